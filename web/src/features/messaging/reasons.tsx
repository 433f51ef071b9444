import { Tag } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../app/format.ts';
import type { Message, MessageStatus } from './types.ts';

export const STATUS_COLORS: Record<MessageStatus, string> = {
  held: 'gold',
  queued: 'blue',
  sending: 'processing',
  awaiting_confirmation: 'purple',
  sent: 'green',
  suppressed: 'orange',
  failed: 'red',
  cancelled: 'default',
};

export function StatusTag({ status, testId }: { status: MessageStatus; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLORS[status]} bordered={false} data-testid={testId}>
      {t(`messaging.status.${status}`, { defaultValue: status })}
    </Tag>
  );
}

type Detail = Record<string, unknown>;

function detailOf(m: Pick<Message, 'reasonDetail'>): Detail {
  const d = m.reasonDetail;
  return typeof d === 'object' && d !== null && !Array.isArray(d) ? (d as Detail) : {};
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** `08:00` when the moment is on the same local day as now, else `2025-03-02 08:00`. */
export function releaseTime(at: string, timeZone: string, now = new Date()): string {
  const when = formatDateTime(at, timeZone);
  const today = formatDateTime(now, timeZone).slice(0, 10);
  return when.slice(0, 10) === today ? when.slice(11, 16) : when.slice(0, 16);
}

function channelName(t: TFunction, channel: string): string {
  return t(`messaging.channels.${channel}`, { defaultValue: channel });
}

/**
 * Why a message was not sent (or not yet), in plain words, from its reason and the detail
 * the guard rails recorded; null for a message without a reason.
 */
export function whyNotSent(t: TFunction, m: Pick<Message, 'status' | 'reason' | 'reasonDetail' | 'releaseAt' | 'lastError' | 'attempts'>, timeZone: string, now = new Date()): string | null {
  if (!m.reason) return null;
  const d = detailOf(m);
  const release = m.releaseAt ?? (typeof d.releaseAt === 'string' ? d.releaseAt : null);
  const at = release ? releaseTime(release, timeZone, now) : '';
  switch (m.reason) {
    case 'capped_daily':
    case 'capped_weekly':
    case 'capped_monthly': {
      const scope = typeof d.scope === 'string' && d.scope !== 'all' ? 'channel' : 'all';
      return t(`messaging.why.${m.reason}.${scope}`, { channel: channelName(t, String(d.scope)) });
    }
    case 'quiet_hours':
      return m.status === 'held' && at ? t('messaging.why.quiet_hours.held', { time: at }) : t('messaging.why.quiet_hours.other');
    case 'quota':
      return m.status === 'held' && at ? t('messaging.why.quota.held', { time: at }) : t('messaging.why.quota.other');
    case 'template_error': {
      const error = typeof d.error === 'string' ? d.error : '';
      if (error === 'missing_variable') return t('messaging.why.template_error.missing_variable', { variables: strings(d.variables).join(t('messaging.listSeparator')) });
      if (['syntax', 'template_not_found', 'template_archived', 'no_content'].includes(error)) return t(`messaging.why.template_error.${error}`);
      return t('messaging.why.template_error.other');
    }
    case 'adlaw_blocked':
      return t('messaging.why.adlaw_blocked', { words: strings(d.words).join(t('messaging.listSeparator')) });
    case 'driver_failed':
      return t('messaging.why.driver_failed', { attempts: m.attempts, error: m.lastError ?? (typeof d.error === 'string' ? d.error : '') });
    case 'no_address':
      return t('messaging.why.no_address');
    case 'opted_out':
    case 'unknown_customer':
    case 'cancelled':
      return t(`messaging.why.${m.reason}`);
    default:
      return t('messaging.why.unknown', { reason: m.reason });
  }
}
