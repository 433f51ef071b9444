/** Display helpers shared by the customer pages. */
import type { TFunction } from 'i18next';
import { formatDateTime } from '../../app/format.ts';

/** Integer fen as `¥1,234.50` (exact: no floating point on the amount). */
export function formatFen(fen: number | null | undefined): string {
  if (fen === null || fen === undefined) return '';
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(fen));
  const yuan = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}¥${yuan}.${String(abs % 100).padStart(2, '0')}`;
}

/** `2025-03-01` in the workspace time zone. */
export function formatDate(value: string | null | undefined, timeZone: string): string {
  return formatDateTime(value, timeZone).slice(0, 10);
}

/** `20:15` in the workspace time zone. */
export function formatTime(value: string | null | undefined, timeZone: string): string {
  return formatDateTime(value, timeZone).slice(11, 16);
}

/** The name a person would recognise: name, else nickname, else the number. */
export function customerName(c: { id: number; name: string | null; nickname: string | null }): string {
  return c.name || c.nickname || `#${c.id}`;
}

/** A source channel's label when Siyu knows the key (SPEC C7 channels), else the stored text. */
export function channelLabel(t: TFunction, channel: string | null | undefined): string {
  if (!channel) return '';
  return t(`customers.channels.${channel}`, { defaultValue: channel });
}

/** Channel keys offered as suggestions in the filter; any other value may be typed. */
export const KNOWN_CHANNELS = [
  'ecom_service_chat',
  'ecom_post_payment',
  'ecom_package_card',
  'ecom_sms',
  'ecom_ai_call',
  'store_counter_qr',
  'store_staff_badge',
  'store_poster',
  'content_xiaohongshu',
  'content_douyin',
  'content_zhihu',
  'content_bilibili',
  'content_weibo',
  'wechat_search',
  'wechat_oa_menu',
  'wechat_moments_ads',
  'fission',
] as const;

export const CONSENT_COLORS: Record<string, string> = { granted: 'green', denied: 'red', unknown: 'default' };

/** Whether a search text reads as a phone number (full, 138****8888, or the last four digits). */
export function looksLikePhone(text: string): boolean {
  const compact = text.replace(/[\s-]/g, '');
  return /^\+?[\d*]{4,20}$/.test(compact) && /\d{4}$/.test(compact);
}
