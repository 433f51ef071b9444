import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { blockedAddressOf, createOutboundFetch, isPublicAddress } from './outbound.ts';

describe('outbound addresses', () => {
  it('blocks loopback, private, link-local, shared, reserved and multicast addresses, in IPv4 and IPv6', () => {
    for (const a of [
      '127.0.0.1', '127.8.9.10', '10.1.2.3', '172.16.0.1', '172.31.255.254', '192.168.1.1', '169.254.169.254', '100.64.0.1',
      '0.0.0.0', '224.0.0.1', '255.255.255.255', '198.18.0.1', '::1', '::', 'fe80::1', 'fd00::1', 'fc12:3456::1', 'ff02::1',
      '::ffff:127.0.0.1', '::ffff:10.0.0.1', '64:ff9b::a00:1',
    ]) {
      assert.equal(isPublicAddress(a), false, a);
    }
  });

  it('lets public addresses through, including neighbours of the blocked ranges', () => {
    for (const a of ['8.8.8.8', '1.1.1.1', '172.15.255.255', '172.32.0.1', '100.128.0.1', '169.253.255.255', '2001:4860:4860::8888', '::ffff:8.8.8.8']) {
      assert.equal(isPublicAddress(a), true, a);
    }
  });

  it('treats anything that is not an IP address as not public', () => {
    assert.equal(isPublicAddress('localhost'), false);
    assert.equal(isPublicAddress(''), false);
  });
});

describe('outbound fetch', () => {
  let server: http.Server;
  let port: number;
  let hits = 0;
  before(async () => {
    server = http.createServer((_req, res) => {
      hits++;
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('refuses a loopback address written in the URL, and a name that resolves to one, without sending anything', async () => {
    const guarded = createOutboundFetch({ allowPrivate: false });
    const before = hits;
    for (const url of [`http://127.0.0.1:${port}/hook`, `http://[::ffff:127.0.0.1]:${port}/hook`, `http://localhost:${port}/hook`]) {
      const err = await guarded(url, { method: 'POST', body: '{}' }).then(
        () => assert.fail(`${url} was fetched`),
        (e: unknown) => e,
      );
      const blocked = blockedAddressOf(err);
      assert.ok(blocked, `${url}: ${String(err)}`);
      assert.match(blocked.message, /private, loopback or reserved/);
    }
    assert.equal(hits, before, 'the local server was never called');
  });

  it('reaches the same server when the deployment allows private addresses', async () => {
    const open = createOutboundFetch({ allowPrivate: true });
    const res = await open(`http://localhost:${port}/hook`, { method: 'POST', body: '{}' });
    assert.equal(await res.text(), 'ok');
  });

});
