import { createHash, timingSafeEqual } from 'node:crypto';
import { randomToken } from '../../platform/ids.ts';

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function safeEqualHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

export function safeEqualText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

const uuidToBytes = (uuid: string) => Buffer.from(uuid.replace(/-/g, ''), 'hex');
const bytesToUuid = (b: Buffer) => {
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

/**
 * API key tokens carry their workspace and key id, so a key is found by its primary key
 * (no cross-workspace lookup) and then verified by the hash of its secret:
 *   sy_<base64url(workspace uuid ‖ key uuid)>_<secret>
 */
export function formatApiKey(workspaceId: string, keyId: string): { token: string; secret: string; prefix: string } {
  const ids = Buffer.concat([uuidToBytes(workspaceId), uuidToBytes(keyId)]).toString('base64url');
  const secret = randomToken(32);
  const token = `sy_${ids}_${secret}`;
  return { token, secret, prefix: token.slice(0, 12) };
}

export function parseApiKey(token: string): { workspaceId: string; keyId: string; secret: string } | null {
  const m = /^sy_([A-Za-z0-9_-]{43})_([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return null;
  const ids = Buffer.from(m[1]!, 'base64url');
  if (ids.length !== 32) return null;
  return { workspaceId: bytesToUuid(ids.subarray(0, 16)), keyId: bytesToUuid(ids.subarray(16)), secret: m[2]! };
}
