/**
 * Identity types and normalisation: pure rules, no database. Identity types are data
 * (table identity_types); these built-ins are copied into every new workspace.
 */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

export type IdentityStrength = 'strong' | 'weak' | 'strong_if_verified';
export type IdentityNormalizer = 'trim' | 'lowercase' | 'mobile' | 'email';

export interface IdentityTypeDef {
  key: string;
  strength: IdentityStrength;
  isScoped: boolean;
  normalizer: IdentityNormalizer;
}

export interface BuiltinIdentityType extends IdentityTypeDef {
  labelZh: string;
  labelEn: string;
}

export const BUILTIN_IDENTITY_TYPES: readonly BuiltinIdentityType[] = [
  { key: 'wecom_external_userid', labelZh: '企业微信外部联系人', labelEn: 'WeCom external user id', strength: 'strong', isScoped: true, normalizer: 'trim' },
  { key: 'wechat_unionid', labelZh: '微信 UnionID', labelEn: 'WeChat unionid', strength: 'strong', isScoped: false, normalizer: 'trim' },
  { key: 'wechat_openid', labelZh: '微信 OpenID', labelEn: 'WeChat openid', strength: 'strong', isScoped: true, normalizer: 'trim' },
  { key: 'mobile', labelZh: '手机号', labelEn: 'Mobile phone', strength: 'strong_if_verified', isScoped: false, normalizer: 'mobile' },
  { key: 'email', labelZh: '邮箱', labelEn: 'Email', strength: 'weak', isScoped: false, normalizer: 'email' },
  { key: 'taobao_buyer_id', labelZh: '淘宝买家', labelEn: 'Taobao buyer id', strength: 'weak', isScoped: false, normalizer: 'trim' },
  { key: 'jd_buyer_id', labelZh: '京东买家', labelEn: 'JD buyer id', strength: 'weak', isScoped: false, normalizer: 'trim' },
  { key: 'douyin_buyer_id', labelZh: '抖音买家', labelEn: 'Douyin buyer id', strength: 'weak', isScoped: false, normalizer: 'trim' },
  { key: 'xiaohongshu_user_id', labelZh: '小红书用户', labelEn: 'Xiaohongshu user id', strength: 'weak', isScoped: false, normalizer: 'trim' },
  { key: 'member_card', labelZh: '会员卡号', labelEn: 'Member card', strength: 'strong', isScoped: false, normalizer: 'trim' },
];

/** One identity as asserted by an event, order or import row, after normalisation. */
export interface Identity {
  type: string;
  scope: string;
  value: string;
  verified: boolean;
}

export interface IdentityInput {
  type: string;
  scope?: string | undefined;
  value: string;
  verified?: boolean | undefined;
}

export type NormalizeResult =
  | { ok: true; identity: Identity }
  | { ok: false; field: 'type' | 'scope' | 'value'; reason: string; message: string };

export const DEFAULT_PHONE_REGION: CountryCode = 'CN';
const MAX_VALUE_LENGTH = 200;

// Parsing a number is the costliest step of validating an event; the same customers come back.
const mobileCache = new Map<string, string | null>();
const MOBILE_CACHE_MAX = 50_000;

/** A mobile number as E.164 (+8613812345678), or null when it is not a valid number. */
export function normalizeMobile(text: string, region: CountryCode = DEFAULT_PHONE_REGION): string | null {
  if (region !== DEFAULT_PHONE_REGION) return parseMobile(text, region);
  const cached = mobileCache.get(text);
  if (cached !== undefined) return cached;
  if (mobileCache.size >= MOBILE_CACHE_MAX) mobileCache.clear();
  const value = parseMobile(text, region);
  mobileCache.set(text, value);
  return value;
}

function parseMobile(text: string, region: CountryCode): string | null {
  const cleaned = text.trim().replace(/[\s()-]/g, '');
  if (!/^\+?\d{5,20}$/.test(cleaned.replace(/^00/, '+'))) return null;
  const parsed = parsePhoneNumberFromString(cleaned.replace(/^00/, '+'), region);
  return parsed && parsed.isValid() ? parsed.number : null;
}

export function normalizeValue(normalizer: IdentityNormalizer, raw: string): string | null {
  const value = raw.trim();
  if (!value) return null;
  switch (normalizer) {
    case 'trim':
      return value;
    case 'lowercase':
      return value.toLowerCase();
    case 'email':
      return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value) ? value.toLowerCase() : null;
    case 'mobile':
      return normalizeMobile(value);
  }
}

/** Normalises one asserted identity against the workspace's identity types. */
export function normalizeIdentity(input: IdentityInput, types: ReadonlyMap<string, IdentityTypeDef>): NormalizeResult {
  const def = types.get(input.type);
  if (!def) return { ok: false, field: 'type', reason: 'unknown_identity_type', message: `Unknown identity type ${input.type}` };
  const scope = (input.scope ?? '').trim();
  if (def.isScoped && !scope) {
    return { ok: false, field: 'scope', reason: 'scope_required', message: `Identity type ${def.key} needs a scope (corp id / app id)` };
  }
  if (!def.isScoped && scope) {
    return { ok: false, field: 'scope', reason: 'scope_not_allowed', message: `Identity type ${def.key} is not scoped` };
  }
  if (input.value.length > MAX_VALUE_LENGTH) return { ok: false, field: 'value', reason: 'too_long', message: 'Identity value is too long' };
  const value = normalizeValue(def.normalizer, input.value);
  if (value === null) {
    const reason = def.normalizer === 'mobile' ? 'invalid_mobile' : def.normalizer === 'email' ? 'invalid_email' : 'empty';
    return { ok: false, field: 'value', reason, message: `Not a valid ${def.key} value` };
  }
  return { ok: true, identity: { type: def.key, scope, value, verified: input.verified === true } };
}

export function identityKey(i: { type: string; scope: string; value: string }): string {
  return `${i.type}\u0001${i.scope}\u0001${i.value}`;
}

export function typeScopeKey(i: { type: string; scope: string }): string {
  return `${i.type}\u0001${i.scope}`;
}

/** Whether sharing this identity links two customers for sure. */
export function isStrongIdentity(def: IdentityTypeDef | undefined, verified: boolean): boolean {
  if (!def) return false;
  return def.strength === 'strong' || (def.strength === 'strong_if_verified' && verified);
}

/** 13812348888 / +8613812348888 -> 138****8888 (the national number, middle digits hidden). */
export function maskMobile(e164: string): string {
  const national = e164.startsWith('+86') ? e164.slice(3) : e164.replace(/^\+/, '');
  if (national.length < 7) return '*'.repeat(national.length);
  return `${national.slice(0, 3)}${'*'.repeat(national.length - 7)}${national.slice(-4)}`;
}

/**
 * Reads a phone search: a full number (exact), a masked form 138****8888 (prefix + last
 * four), or the last four digits alone.
 */
export type PhoneQuery = { kind: 'exact'; e164: string } | { kind: 'masked'; prefix: string; last4: string } | { kind: 'last4'; last4: string };

export function parsePhoneQuery(text: string): PhoneQuery | null {
  const t = text.trim();
  const masked = /^(\d{3})\*+(\d{4})$/.exec(t);
  if (masked) return { kind: 'masked', prefix: `+86${masked[1]}`, last4: masked[2]! };
  if (/^\d{4}$/.test(t)) return { kind: 'last4', last4: t };
  const e164 = normalizeMobile(t);
  return e164 ? { kind: 'exact', e164 } : null;
}
