import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkTarget, embeddedIPv4, forbiddenReason } from '../../lambdas/domain/webhooks/guard';
import { send } from '../../lambdas/domain/webhooks/send';

describe('SSRF guard', () => {
  it.each([
    ['0.0.0.0', 'this network'],
    ['10.0.0.1', 'private'],
    ['10.255.255.255', 'private'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.254', 'carrier-grade NAT'],
    ['127.0.0.1', 'loopback'],
    ['127.8.9.10', 'loopback'],
    ['169.254.169.254', 'link-local'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['192.0.2.10', 'documentation'],
    ['198.18.0.1', 'benchmarking'],
    ['224.0.0.251', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['fc00::1', 'unique local'],
    ['fd12:3456:789a::1', 'unique local'],
    ['fe80::1', 'link-local'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'documentation'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['::ffff:a9fe:a9fe', 'link-local'],
    ['::ffff:7f00:1', 'loopback'],
    ['64:ff9b::192.168.0.1', 'private'],
    ['2002:a00:1::1', 'private'],
    // The embedded IPv4 ends in .0.0, so the address is written with `::`: read from the bytes, not the text.
    ['2002:c0a8::1', 'private (192.168.0.0/16)'],
    ['2002:a00::1', 'private (10.0.0.0/8)'],
    ['2002:7f00::1', 'loopback (127.0.0.0/8)'],
    ['2002:a9fe::1', 'link-local'],
    ['2002::1', 'this network (0.0.0.0/8)'],
    ['2002:C0A8::1', 'private (192.168.0.0/16)'],
    ['64:ff9b::', 'this network (0.0.0.0/8)'],
    ['64:ff9b::a00:0', 'private (10.0.0.0/8)'],
    ['::7f00:1', 'loopback (127.0.0.0/8)'], // IPv4-compatible
    ['::a9fe:a9fe', 'link-local'],
    ['::808:808', 'IPv4-compatible (deprecated) (::/96)'],
    ['::ffff:0:7f00:1', 'loopback (127.0.0.0/8)'], // SIIT
    ['::ffff:0:a00:1', 'private (10.0.0.0/8)'],
    ['64:ff9b:1::a00:1', 'private (10.0.0.0/8)'], // local-use NAT64
    ['64:ff9b:1::808:808', 'local-use NAT64 (64:ff9b:1::/48)'],
    ['2001::1', 'Teredo (2001::/32)'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'Teredo (2001::/32)'],
  ])('refuses %s (%s)', async (address, label) => {
    expect(forbiddenReason(address)).toContain(label);
    const host = address.includes(':') ? `[${address}]` : address;
    await expect(checkTarget(`https://${host}/hook`)).rejects.toMatchObject({ code: 'WEBHOOK_ADDRESS_FORBIDDEN' });
  });

  it.each(['8.8.8.8', '52.94.236.248', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '2606:4700::1111', '::ffff:8.8.8.8', '2002:0808:0808::1', '2002:808:808::', '64:ff9b::8.8.8.8'])('allows the public address %s', async (address) => {
    expect(forbiddenReason(address)).toBeUndefined();
    const host = address.includes(':') ? `[${address}]` : address;
    await expect(checkTarget(`https://${host}/hook`)).resolves.toMatchObject({ url: expect.any(URL) });
  });

  it('refuses a 6to4 address written with :: when DNS answers it (an AAAA record)', async () => {
    const resolve = async () => [{ address: '2002:c0a8::1', family: 6 }];
    await expect(checkTarget('https://hooks.example.com/x', { resolve })).rejects.toMatchObject({ code: 'WEBHOOK_ADDRESS_FORBIDDEN', message: expect.stringContaining('private (192.168.0.0/16)') });
  });

  it('reads the IPv4 address inside mapped, NAT64 and 6to4 addresses', () => {
    expect(embeddedIPv4('::ffff:a9fe:a9fe')).toBe('169.254.169.254');
    expect(embeddedIPv4('64:ff9b::10.1.2.3')).toBe('10.1.2.3');
    expect(embeddedIPv4('2002:c0a8:0101::1')).toBe('192.168.1.1');
    expect(embeddedIPv4('2606:4700::1')).toBeUndefined();
  });

  it.each([
    ['2002:c0a8::1', '192.168.0.0'],
    ['2002::1', '0.0.0.0'],
    ['2002:0808:0808::1', '8.8.8.8'],
    ['64:ff9b::', '0.0.0.0'],
    ['64:ff9b:1::a00:1', '10.0.0.1'],
    ['::7f00:1', '127.0.0.1'],
    ['::ffff:0:7f00:1', '127.0.0.1'],
    ['0:0:0:0:0:ffff:127.0.0.1', '127.0.0.1'],
    ['::', undefined],
    ['::1', undefined],
    ['fe80::1%eth0', undefined],
    ['2001::1', undefined],
  ])('reads the IPv4 address carried by %s from its bytes: %s', (address, carried) => {
    expect(embeddedIPv4(address)).toBe(carried);
  });

  it('refuses a name that resolves to a private address, even next to a public one', async () => {
    const resolve = async () => [{ address: '93.184.216.34', family: 4 }, { address: '10.0.0.7', family: 4 }];
    await expect(checkTarget('https://hooks.example.com/x', { resolve })).rejects.toMatchObject({ code: 'WEBHOOK_ADDRESS_FORBIDDEN', details: { address: '10.0.0.7' } });
    await expect(checkTarget('https://hooks.example.com/x', { resolve: async () => [{ address: '93.184.216.34', family: 4 }] })).resolves.toMatchObject({ address: '93.184.216.34' });
  });

  it('allows plain HTTP only to loopback, only in local mode', async () => {
    await expect(checkTarget('http://127.0.0.1:9/hook')).rejects.toMatchObject({ code: 'WEBHOOK_URL_INSECURE' });
    await expect(checkTarget('http://127.0.0.1:9/hook', { local: true })).resolves.toMatchObject({ address: '127.0.0.1' });
    await expect(checkTarget('http://93.184.216.34/hook', { local: true })).rejects.toMatchObject({ code: 'WEBHOOK_URL_INSECURE' });
    // Local mode opens loopback, not the rest of the private ranges.
    await expect(checkTarget('https://192.168.0.10/hook', { local: true })).rejects.toMatchObject({ code: 'WEBHOOK_ADDRESS_FORBIDDEN' });
    await expect(checkTarget('http://[::1]:9/hook', { local: true })).resolves.toMatchObject({ address: '::1' });
    // A 6to4 address that carries 127.0.0.1 goes to a 6to4 relay, not to this machine.
    await expect(checkTarget('https://[2002:7f00:1::1]/hook', { local: true })).rejects.toMatchObject({ code: 'WEBHOOK_ADDRESS_FORBIDDEN' });
  });

  it('refuses URLs that are not http(s), carry credentials or do not parse', async () => {
    await expect(checkTarget('ftp://example.com/x')).rejects.toMatchObject({ code: 'WEBHOOK_URL_INVALID' });
    await expect(checkTarget('https://user:pw@example.com/x')).rejects.toMatchObject({ code: 'WEBHOOK_URL_INVALID' });
    await expect(checkTarget('not a url')).rejects.toMatchObject({ code: 'WEBHOOK_URL_INVALID' });
    await expect(checkTarget('https://nowhere.invalid/x', { resolve: async () => Promise.reject(Object.assign(new Error('x'), { code: 'ENOTFOUND' })) })).rejects.toMatchObject({ code: 'WEBHOOK_DNS_FAILED', retryable: true });
  });

  it('connects to the address it checked, not to a second DNS answer (no rebinding window)', async () => {
    const server = createServer((req, res) => res.end(`host=${req.headers.host}`));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    let lookups = 0;
    try {
      // The name has no DNS record at all: only the checked, pinned address can be reached.
      const target = await checkTarget(`http://receiver.docpipe.test:${port}/hook`, { local: true, resolve: async () => (lookups++, [{ address: '127.0.0.1', family: 4 }]) });
      const result = await send({ target, headers: {}, body: '{}' });
      expect(result).toMatchObject({ status: 200, responseBody: `host=receiver.docpipe.test:${port}` });
      expect(lookups).toBe(1);
    } finally {
      server.close();
    }
  });

  it('reads at most the response cap', async () => {
    const server = createServer((_req, res) => res.end('x'.repeat(100_000)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const target = await checkTarget(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, { local: true });
      const result = await send({ target, headers: {}, body: '{}', maxResponseBytes: 1024 });
      expect(result.status).toBe(200);
      expect(result.responseBody).toHaveLength(1024);
    } finally {
      server.close();
    }
  });
});
