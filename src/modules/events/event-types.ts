/**
 * The event types Siyu understands (SPEC C2) and the schema of each one's properties.
 * Pure contracts: the ingestion service validates with them, the docs list them.
 */
import { z } from 'zod';

const id = z.string().min(1).max(200);
const text = (max = 500) => z.string().max(max);
const fen = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const count = z.number().int().min(0);
const msgType = z.enum(['text', 'image', 'voice', 'video', 'link', 'mini_program', 'file', 'emoji', 'other']);

/** Known properties are typed; further properties are kept as they are. */
export const EVENT_PROPERTY_SCHEMAS = {
  'official_account.followed': z.looseObject({ appId: id.optional(), scene: text(100).optional(), qrScene: text(200).optional() }),
  'official_account.unfollowed': z.looseObject({ appId: id.optional() }),
  'wecom.friend_added': z.looseObject({ corpId: id.optional(), staffUserId: id.optional(), state: text(200).optional(), welcomeSent: z.boolean().optional() }),
  'wecom.friend_deleted': z.looseObject({ corpId: id.optional(), staffUserId: id.optional(), by: z.enum(['customer', 'staff']).optional() }),
  'group.joined': z.looseObject({ groupId: id, joinScene: text(100).optional(), inviterId: id.optional() }),
  'group.left': z.looseObject({ groupId: id, reason: text(200).optional() }),
  'group.message': z.looseObject({ groupId: id, messageId: id.optional(), msgType: msgType.optional(), text: text(5000).optional() }),
  'message.private': z.looseObject({ direction: z.enum(['inbound', 'outbound']), staffUserId: id.optional(), msgType: msgType.optional(), text: text(5000).optional() }),
  'page.viewed': z.looseObject({ url: text(2000).min(1), title: text().optional(), referrer: text(2000).optional(), durationMs: count.optional() }),
  'product.viewed': z.looseObject({ productId: id, sku: id.optional(), name: text().optional(), category: text(200).optional(), priceFen: fen.optional() }),
  'cart.added': z.looseObject({ productId: id, sku: id.optional(), quantity: z.number().int().min(1).max(100_000).optional(), priceFen: fen.optional() }),
  'coupon.claimed': z.looseObject({ couponId: id, campaignId: id.optional(), valueFen: fen.optional() }),
  'coupon.redeemed': z.looseObject({ couponId: id, orderNo: id.optional(), valueFen: fen.optional() }),
  checkin: z.looseObject({ activityId: id.optional(), groupId: id.optional(), streak: z.number().int().min(1).optional() }),
  share: z.looseObject({ target: z.enum(['friend', 'moments', 'group']).optional(), contentId: id.optional(), url: text(2000).optional() }),
  'poster.scanned': z.looseObject({ posterId: id, referrerCustomerId: id.optional(), channelCode: id.optional() }),
  'link.clicked': z.looseObject({ url: text(2000).min(1), linkId: id.optional(), utmSource: text(200).optional(), utmMedium: text(200).optional(), utmCampaign: text(200).optional() }),
  'questionnaire.answered': z.looseObject({ questionnaireId: id, answers: z.record(z.string(), z.unknown()).optional(), score: z.number().optional() }),
  'live.watched': z.looseObject({ liveId: id, durationSeconds: count.optional(), platform: text(100).optional() }),
} as const;

export type KnownEventType = keyof typeof EVENT_PROPERTY_SCHEMAS;
export const KNOWN_EVENT_TYPES = Object.keys(EVENT_PROPERTY_SCHEMAS) as KnownEventType[];

/** Produced by the orders API only: status changes and refunds of an order. */
export const ORDER_EVENT_TYPES = ['order.paid', 'order.shipped', 'order.completed', 'order.refunded'] as const;
export type OrderEventType = (typeof ORDER_EVENT_TYPES)[number];

/** Events that mark entering the private domain: they move customers.joined_at back. */
export const JOINING_EVENT_TYPES: ReadonlySet<string> = new Set(['wecom.friend_added', 'official_account.followed', 'group.joined']);

export const CUSTOM_TYPE_RE = /^custom\.[a-z0-9][a-z0-9_.-]{0,62}$/;

export type TypeCheck =
  | { ok: true; schema: z.ZodType }
  | { ok: false; reason: 'unknown_type' | 'reserved_type'; message: string };

export function eventTypeSchema(type: string): TypeCheck {
  if (type.startsWith('order.')) {
    return { ok: false, reason: 'reserved_type', message: 'Order events come from the orders API: use PUT /api/v1/orders/{platform}/{orderNo}' };
  }
  if (Object.hasOwn(EVENT_PROPERTY_SCHEMAS, type)) return { ok: true, schema: EVENT_PROPERTY_SCHEMAS[type as KnownEventType] };
  if (CUSTOM_TYPE_RE.test(type)) return { ok: true, schema: z.record(z.string(), z.unknown()) };
  return { ok: false, reason: 'unknown_type', message: `Unknown event type ${type}; custom types start with "custom." (lowercase letters, digits, _ . -)` };
}
