/**
 * Outbound HTTP to addresses that workspace users configure (webhooks, SMS providers, journey
 * webhook steps). Unless the deployment allows it (SIYU_OUTBOUND_ALLOW_PRIVATE), a request may
 * not reach loopback, private, link-local (cloud metadata at 169.254.169.254), shared,
 * multicast or reserved addresses: a workspace admin must not be able to make the server call
 * its own database port or the cloud's metadata service. The check runs on the address that is
 * actually connected to (after DNS, in the connection's own lookup), so a name that resolves to
 * a public address when saved and to a private one later is refused too.
 */
import dns from 'node:dns';
import net from 'node:net';
import { Agent, fetch as undiciFetch } from 'undici';

const BLOCKED = new net.BlockList();
for (const [prefix, bits] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  BLOCKED.addSubnet(prefix, bits, 'ipv4');
}
for (const [prefix, bits] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96], // NAT64 (embeds an IPv4 address)
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const) {
  BLOCKED.addSubnet(prefix, bits, 'ipv6');
}

/** IPv4-mapped IPv6 (::ffff:127.0.0.1) is checked as the IPv4 address it carries. */
function unmapped(address: string): { address: string; family: 'ipv4' | 'ipv6' } {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return { address: mapped[1]!, family: 'ipv4' };
  return { address, family: net.isIPv6(address) ? 'ipv6' : 'ipv4' };
}

/** Whether an IP address is one outbound requests may reach by default. */
export function isPublicAddress(address: string): boolean {
  if (!net.isIP(address)) return false;
  const a = unmapped(address);
  return !BLOCKED.check(a.address, a.family);
}

/** Thrown (as the cause of fetch's error) when a request would reach a blocked address. */
export class BlockedAddressError extends Error {
  readonly code = 'ERR_BLOCKED_ADDRESS';
  readonly host: string;
  readonly address: string;
  constructor(host: string, address: string) {
    super(`${host} resolves to ${address}, a private, loopback or reserved address; outbound requests may not reach it (SIYU_OUTBOUND_ALLOW_PRIVATE allows it)`);
    this.name = 'BlockedAddressError';
    this.host = host;
    this.address = address;
  }
}

/** The blocked-address error behind a failed fetch, if that is why it failed. */
export function blockedAddressOf(err: unknown): BlockedAddressError | null {
  for (let e = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof BlockedAddressError) return e;
  }
  return null;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

/** dns.lookup that leaves out blocked addresses (and fails when none is left). */
function guardedLookup(hostname: string, options: dns.LookupOptions, callback: LookupCallback): void {
  dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, []);
    const allowed = addresses.filter((a) => isPublicAddress(a.address));
    if (!allowed.length) return callback(new BlockedAddressError(hostname, addresses[0]?.address ?? 'no address') as NodeJS.ErrnoException, []);
    if (options.all) return callback(null, allowed);
    callback(null, allowed[0]!.address, allowed[0]!.family);
  });
}

/**
 * A fetch for user-configured URLs. With `allowPrivate` (a deployment that calls its own
 * internal systems) it is the platform fetch; otherwise blocked addresses are refused, both as
 * IP literals in the URL and after DNS.
 */
export function createOutboundFetch(options: { allowPrivate: boolean }): typeof fetch {
  if (options.allowPrivate) return fetch;
  const dispatcher = new Agent({ connect: { lookup: guardedLookup as never } });
  const guarded = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    if (input instanceof Request) throw new TypeError('outbound requests take a URL and options, not a Request');
    const url = new URL(input);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (net.isIP(host) && !isPublicAddress(host)) throw new TypeError('fetch failed', { cause: new BlockedAddressError(host, host) });
    return (await undiciFetch(url, { ...(init as object), dispatcher })) as unknown as Response;
  };
  return guarded as typeof fetch;
}
