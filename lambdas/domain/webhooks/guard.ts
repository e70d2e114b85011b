/**
 * The outbound guard against server-side request forgery. A webhook URL is the client's to choose, so docpipe
 * must never let it reach into its own network: HTTPS only (plain HTTP only to loopback, and only in local mode);
 * the host is resolved here and every address it resolves to is checked against the private, loopback, link-local
 * (169.254.0.0/16, the instance metadata address), CGNAT, multicast, documentation and other reserved ranges, IPv4
 * and IPv6 (IPv4-mapped, IPv4-compatible, SIIT, NAT64 and 6to4 addresses are checked by the IPv4 address they carry;
 * Teredo is refused outright). The caller then connects to the address that was checked (`pinnedLookup`), so a
 * second DNS answer cannot slip in another one.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { DocpipeError } from '../errors';
import { WEBHOOK_ERRORS } from './errors';

const FORBIDDEN_V4: [string, number, string][] = [
  ['0.0.0.0', 8, 'this network'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'carrier-grade NAT'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local (cloud instance metadata)'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'IETF protocol assignments'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.88.99.0', 24, '6to4 relay anycast'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];
const FORBIDDEN_V6: [string, number, string][] = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  // IPv4-compatible (deprecated, RFC 4291): no public host has one. `::` and `::1` match the rules above first.
  ['::', 96, 'IPv4-compatible (deprecated)'],
  // Local-use NAT64 (RFC 8215) is not globally reachable; the IPv4 it carries is checked first, for the message.
  ['64:ff9b:1::', 48, 'local-use NAT64'],
  ['100::', 64, 'discard'],
  // Teredo carries an obfuscated IPv4 client address and tunnels to any relay: refused outright. Before 2001::/23
  // (which covers it too) so that the refusal names it.
  ['2001::', 32, 'Teredo'],
  ['2001::', 23, 'IETF protocol assignments'],
  ['2001:db8::', 32, 'documentation'],
  ['fc00::', 7, 'unique local (private)'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'site-local'],
  ['ff00::', 8, 'multicast'],
];

/** One block list per range, so that a refusal can say which range it was. */
const rulesOf = (ranges: [string, number, string][], type: 'ipv4' | 'ipv6') =>
  ranges.map(([network, prefix, label]) => {
    const list = new BlockList();
    list.addSubnet(network, prefix, type);
    return { list, reason: `${label} (${network}/${prefix})` };
  });
const RULES_V4 = rulesOf(FORBIDDEN_V4, 'ipv4');
const RULES_V6 = rulesOf(FORBIDDEN_V6, 'ipv6');

/**
 * The 16 bytes of an IPv6 address in any textual form (`::` compression, a dotted IPv4 tail, a `%zone`), or
 * undefined when it is not one. Reading the bytes rather than matching text means no spelling of an address
 * (`2002:c0a8::1`, `::ffff:0:7f00:1`, `64:ff9b::`) can hide what it carries.
 */
export function ipv6Bytes(address: string): Uint8Array | undefined {
  const text = address.replace(/%.*$/, '');
  if (isIP(text) !== 6) return undefined;
  const toWords = (part: string): number[] => {
    if (part === '') return [];
    return part.split(':').flatMap((group) => {
      if (!group.includes('.')) return [parseInt(group, 16)];
      const [a, b, c, d] = group.split('.').map(Number);
      return [(a << 8) | b, (c << 8) | d];
    });
  };
  const [head, tail] = text.split('::');
  const headWords = toWords(head);
  const tailWords = tail === undefined ? [] : toWords(tail);
  const words = [...headWords, ...new Array<number>(8 - headWords.length - tailWords.length).fill(0), ...tailWords];
  const bytes = new Uint8Array(16);
  words.forEach((word, i) => {
    bytes[2 * i] = word >> 8;
    bytes[2 * i + 1] = word & 255;
  });
  return bytes;
}

const startsWith = (bytes: Uint8Array, prefix: number[]): boolean => prefix.every((byte, i) => bytes[i] === byte);
const dottedAt = (bytes: Uint8Array, offset: number): string => Array.from(bytes.subarray(offset, offset + 4)).join('.');
const zeros = (n: number): number[] => new Array<number>(n).fill(0);

/**
 * The IPv4 address an IPv6 address carries, read from its bytes: IPv4-mapped ::ffff:0:0/96, IPv4-compatible ::/96
 * (but not `::` or `::1`), SIIT ::ffff:0:0:0/96, NAT64 64:ff9b::/96 and local-use NAT64 64:ff9b:1::/48 (the last 32
 * bits), and 6to4 2002::/16 (bytes 2 to 5). Undefined for any other address.
 */
export function embeddedIPv4(address: string): string | undefined {
  const bytes = ipv6Bytes(address);
  if (!bytes) return undefined;
  if (startsWith(bytes, [...zeros(10), 0xff, 0xff])) return dottedAt(bytes, 12);
  if (startsWith(bytes, [...zeros(8), 0xff, 0xff, 0, 0])) return dottedAt(bytes, 12);
  if (startsWith(bytes, zeros(12)) && !(startsWith(bytes.subarray(12), [0, 0, 0]) && bytes[15] <= 1)) return dottedAt(bytes, 12);
  if (startsWith(bytes, [0, 0x64, 0xff, 0x9b, ...zeros(8)])) return dottedAt(bytes, 12);
  if (startsWith(bytes, [0, 0x64, 0xff, 0x9b, 0, 1])) return dottedAt(bytes, 12);
  if (startsWith(bytes, [0x20, 0x02])) return dottedAt(bytes, 2);
  return undefined;
}

/** Loopback is 127/8, ::1 and IPv4-mapped 127/8; a 6to4 or NAT64 address that carries 127.x goes to a relay, not here. */
const isLoopback = (address: string): boolean => {
  if (isIP(address) === 4) return address.startsWith('127.');
  const bytes = ipv6Bytes(address);
  if (!bytes) return false;
  return startsWith(bytes, [...zeros(10), 0xff, 0xff, 127]) || (startsWith(bytes, zeros(15)) && bytes[15] === 1);
};

/** Why an address may not be called, or undefined when it may. */
export function forbiddenReason(address: string, { allowLoopback = false } = {}): string | undefined {
  const family = isIP(address);
  if (family === 0) return 'not an IP address';
  if (allowLoopback && isLoopback(address)) return undefined;
  if (family === 4) return RULES_V4.find((rule) => rule.list.check(address, 'ipv4'))?.reason;
  // The IPv4 range first, so that the message names it (`private (192.168.0.0/16)` for 2002:c0a8::1); then the IPv6
  // ranges, which also refuse carriers that are not globally reachable whatever they carry.
  const v4 = embeddedIPv4(address);
  const v4Reason = v4 === undefined ? undefined : RULES_V4.find((rule) => rule.list.check(v4, 'ipv4'))?.reason;
  const v6 = address.replace(/%.*$/, '');
  return v4Reason ?? RULES_V6.find((rule) => rule.list.check(v6, 'ipv6'))?.reason;
}

export interface GuardOptions {
  /** Local mode: plain HTTP and loopback addresses are allowed (and nothing else private). Default false. */
  local?: boolean;
  /** DNS resolution, replaceable in tests. Default: the system resolver, every address. */
  resolve?: (host: string) => Promise<{ address: string; family: number }[]>;
}

export interface CheckedTarget {
  url: URL;
  /** The address that was checked: connect to this one and no other. */
  address: string;
  family: 4 | 6;
}

const systemResolve = (host: string) => dnsLookup(host, { all: true, verbatim: true });

export async function checkTarget(rawUrl: string, options: GuardOptions = {}): Promise<CheckedTarget> {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new DocpipeError(WEBHOOK_ERRORS.WEBHOOK_URL_INVALID, `"${rawUrl}" is not an absolute URL.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new DocpipeError(WEBHOOK_ERRORS.WEBHOOK_URL_INVALID, `Webhook URLs are https:// (got ${url.protocol}).`);
  if (url.username || url.password) throw new DocpipeError(WEBHOOK_ERRORS.WEBHOOK_URL_INVALID, 'Webhook URLs may not carry credentials; the signature authenticates docpipe.');
  const local = options.local ?? false;
  if (url.protocol === 'http:' && !local) throw new DocpipeError(WEBHOOK_ERRORS.WEBHOOK_URL_INSECURE, 'Webhook URLs must use HTTPS (plain HTTP is allowed only to loopback in local mode).');

  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: { address: string; family: number }[];
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
  else {
    try {
      addresses = await (options.resolve ?? systemResolve)(host);
    } catch (error) {
      throw new DocpipeError(WEBHOOK_ERRORS.WEBHOOK_DNS_FAILED, `The webhook host ${host} does not resolve (${(error as NodeJS.ErrnoException).code ?? 'error'}).`, { retryable: true });
    }
  }
  if (addresses.length === 0) throw new DocpipeError(WEBHOOK_ERRORS.WEBHOOK_DNS_FAILED, `The webhook host ${host} has no address.`, { retryable: true });
  // Every address must pass: a name that also resolves to a private address is refused as a whole.
  for (const { address } of addresses) {
    const reason = forbiddenReason(address, { allowLoopback: local });
    if (reason) throw new DocpipeError(WEBHOOK_ERRORS.WEBHOOK_ADDRESS_FORBIDDEN, `The webhook host ${host} resolves to ${address}, a ${reason} address: docpipe does not call into private networks.`, { details: { host, address } });
  }
  if (url.protocol === 'http:' && !addresses.every(({ address }) => isLoopback(address))) {
    throw new DocpipeError(WEBHOOK_ERRORS.WEBHOOK_URL_INSECURE, 'Plain HTTP is allowed only to a loopback address, in local mode; use HTTPS.');
  }
  const [first] = addresses;
  return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
}

/** A `lookup` for http.request that answers the checked address, whatever the name: no second resolution. */
export function pinnedLookup(target: CheckedTarget) {
  return (_host: string, options: { all?: boolean } | number | undefined, callback: (...args: unknown[]) => void): void => {
    if (typeof options === 'object' && options?.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
}
