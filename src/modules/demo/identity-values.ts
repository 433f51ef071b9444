/**
 * Identity values of demo persons, in the formats the platforms use (WeCom external_userid
 * "wm…", WeChat ids "o…", E.164 mobiles, Taobao/JD/Douyin buyer ids, member cards).
 * Every value embeds the person index, so two persons never share one, whatever the seed.
 */
import { MOBILE_PREFIXES } from './people.ts';
import { createRng, hashInts, hashText } from './prng.ts';

const B62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function randomChars(seed: number, index: number, purpose: string, length: number): string {
  const rng = createRng(hashInts(seed, index, hashText(purpose)));
  let out = '';
  for (let i = 0; i < length; i++) out += B62[Math.floor(rng.next() * 62)];
  return out;
}

/** The index in base 36, fixed width, so values keep their usual length. */
const idx36 = (index: number, width: number) => index.toString(36).padStart(width, '0');

export interface PersonIdValues {
  unionid: string;
  externalUserid: string;
  openid: string;
  oaOpenid: string;
  mobile: string;
  email: string;
  taobao: string;
  jd: string;
  douyin: string;
  memberCard: string;
}

/**
 * A bijection of the index onto 8 digits (48271 is coprime with 10^8), so mobile numbers
 * look scattered yet never repeat for persons below 10^8.
 */
function scatter8(seedTag: number, index: number): string {
  const n = (index * 48271 + seedTag * 7919) % 100_000_000;
  return String(n).padStart(8, '0');
}

export function personIdValues(seed: number, seedTag: number, index: number): PersonIdValues {
  const prefix = MOBILE_PREFIXES[hashInts(seed, index, 7) % MOBILE_PREFIXES.length]!;
  const digits10 = String(index).padStart(10, '0');
  return {
    unionid: `o${randomChars(seed, index, 'unionid', 21)}${idx36(index, 6)}`,
    externalUserid: `wm${randomChars(seed, index, 'external_userid', 24)}${idx36(index, 6)}`,
    openid: `o${randomChars(seed, index, 'openid', 21)}${idx36(index, 6)}`,
    oaOpenid: `o${randomChars(seed, index, 'oa_openid', 21)}${idx36(index, 6)}`,
    mobile: `+86${prefix}${scatter8(seedTag, index)}`,
    email: `${String(100_000_000 + ((index * 7919 + seedTag) % 900_000_000))}@qq.com`,
    taobao: `tb${String(seedTag).padStart(4, '0')}${digits10}`,
    jd: `jd_${randomChars(seed, index, 'jd', 6).toLowerCase()}${idx36(index, 7)}`,
    douyin: `dy${String(seedTag).padStart(4, '0')}${digits10}`,
    memberCard: `LX${String(seedTag).padStart(4, '0')}${digits10}`,
  };
}
