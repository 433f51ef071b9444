/** Validation issues in words: the journeys area's own reasons, else the console's, else the server's message. */
import type { TFunction } from 'i18next';
import { reasonText } from '../../app/api/errors.ts';
import type { Issue } from './types.ts';

/** The server's message without its leading `steps[3].next: ` (the node already says where). */
function bareMessage(issue: Issue): string | undefined {
  const m = issue.message;
  if (!m) return undefined;
  const field = (issue.field ?? '').replace(/^definition\./, '');
  return field && m.startsWith(`${field}: `) ? m.slice(field.length + 2) : m;
}

/** The words for an issue; with `withField`, led by the field it is about (`Segment: wrong format`) when that field has a name. */
export function issueText(t: TFunction, issue: Issue, withField = false): string {
  const reason = reasonText(t, issue.reason, bareMessage(issue), 'journeys');
  if (!withField) return reason;
  const path = (issue.field ?? '').replace(/^definition\./, '').replace(/^steps\[\d+\]\.?/, '');
  const last = path.split(/[.[\]]/).filter((p) => p && !/^\d+$/.test(p)).at(-1);
  const label = last ? t(`journeys.fields.${last}`, { defaultValue: '' }) : '';
  return label ? t('journeys.fieldIssue', { field: label, reason }) : reason;
}

/** Why an enrollment ended: `stopped`, `opted_out`, `event:order.paid`, … */
export function exitReasonText(t: TFunction, reason: string): string {
  if (reason.startsWith('event:')) return t('journeys.exitReasons.event', { eventType: reason.slice('event:'.length) });
  return t(`journeys.exitReasons.${reason}`, { defaultValue: reason });
}
