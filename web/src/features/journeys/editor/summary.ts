/** One-line descriptions of a trigger and of a step, for nodes and lists. */
import type { TFunction } from 'i18next';
import type { Step, Trigger } from '../types.ts';

function durationText(t: TFunction, d: { days?: number; hours?: number; minutes?: number }): string {
  const parts: string[] = [];
  if (d.days) parts.push(t('journeys.units.days', { count: d.days }));
  if (d.hours) parts.push(t('journeys.units.hours', { count: d.hours }));
  if (d.minutes) parts.push(t('journeys.units.minutes', { count: d.minutes }));
  return parts.join(' ') || '—';
}

export function triggerSummary(t: TFunction, trigger: Trigger, segmentName?: (id: string) => string | undefined): string {
  switch (trigger.type) {
    case 'event':
      return t('journeys.summary.event', { eventType: trigger.eventType || '—', count: trigger.filters?.length ?? 0 });
    case 'segment':
      return t(`journeys.summary.segment_${trigger.change}`, { segment: segmentName?.(trigger.segmentId) ?? (trigger.segmentId || '—') });
    case 'schedule':
      return t('journeys.summary.schedule', { cron: trigger.cron, audience: t(`journeys.audience.${trigger.audience.type}`) });
    case 'date':
      return t('journeys.summary.date', {
        attribute: trigger.attribute === 'birthday' ? t('journeys.trigger.birthday') : trigger.attribute.replace(/^attributes\./, ''),
        offset: trigger.offsetDays ?? 0,
        at: trigger.at,
      });
    case 'joined':
      return t('journeys.summary.joined', { days: trigger.days, at: trigger.at });
    case 'manual':
      return t('journeys.summary.manual');
  }
}

export function stepSummary(t: TFunction, step: Step, tagName?: (id: string) => string | undefined): string {
  switch (step.type) {
    case 'wait':
      return t('journeys.summary.wait', { duration: durationText(t, step.duration) });
    case 'wait_until':
      return t('journeys.summary.waitUntil', { time: step.time });
    case 'branch':
      return t('journeys.summary.branch');
    case 'split':
      return step.variants.map((v) => `${v.key} ${v.weight}%`).join(' / ');
    case 'send':
      return `${t(`journeys.channels.${step.channel}`, { defaultValue: step.channel })} · ${step.templateId ? t('journeys.summary.template') : (step.content?.text ?? '').slice(0, 30) || '—'}`;
    case 'tag':
      return `${t(`journeys.tagActions.${step.action}`)} ${step.tagIds.map((id) => tagName?.(id) ?? id).join('、') || '—'}`;
    case 'task':
      return `${t(`journeys.taskKinds.${step.kind}`)} · ${step.title || '—'}`;
    case 'webhook':
      return step.url;
  }
}
