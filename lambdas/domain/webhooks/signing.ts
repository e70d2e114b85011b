/**
 * Standard Webhooks signing (https://www.standardwebhooks.com): the signature is HMAC-SHA256 over
 * `${webhook-id}.${webhook-timestamp}.${body}` with the secret's bytes, sent as `v1,<base64>`. During a secret
 * rotation an endpoint has two active secrets and the header carries one signature per secret, space-separated,
 * so receivers holding either secret verify.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { DocpipeError } from '../errors';
import { WEBHOOK_ERRORS } from './errors';

export const SECRET_PREFIX = 'whsec_';

export type SignedHeaders = {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
};

/** A new random secret, `whsec_` + base64 of 32 bytes. */
export function generateSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64');
}

/** The least key a secret may carry (Standard Webhooks asks for 24 to 64 bytes; docpipe generates 32). */
const MIN_SECRET_BYTES = 24;

/**
 * The HMAC key: the bytes of the base64 after the prefix. Node's decoder skips characters outside the alphabet;
 * assertSecret refuses those at registration, and signing decodes as it always has, so that a secret stored before
 * that check keeps the key its receiver verifies with.
 */
function keyOf(secret: string): Buffer {
  if (!secret.startsWith(SECRET_PREFIX)) {
    throw new DocpipeError(WEBHOOK_ERRORS.WEBHOOK_SECRET_INVALID, 'A webhook secret starts with "whsec_" followed by base64 (see docs/webhooks.md).');
  }
  const key = Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64');
  if (key.length < MIN_SECRET_BYTES) throw new DocpipeError(WEBHOOK_ERRORS.WEBHOOK_SECRET_INVALID, `A webhook secret must hold at least ${MIN_SECRET_BYTES} random bytes (32 recommended).`);
  return key;
}

/**
 * Checks a secret's form without using it; throws WEBHOOK_SECRET_INVALID. Strict: standard base64 (A-Z, a-z, 0-9,
 * `+`, `/`) with its `=` padding and nothing else, so that two different strings are never one key and any Standard
 * Webhooks library decodes the secret to the bytes docpipe signs with.
 */
export function assertSecret(secret: string): void {
  const key = keyOf(secret);
  // Only canonical base64 encodes back to itself: no foreign character, no missing or extra padding, no stray bits.
  if (key.toString('base64') !== secret.slice(SECRET_PREFIX.length)) {
    throw new DocpipeError(WEBHOOK_ERRORS.WEBHOOK_SECRET_INVALID, 'A webhook secret is "whsec_" followed by standard base64 (A-Z, a-z, 0-9, "+", "/", padded with "="), nothing else (see docs/webhooks.md).');
  }
}

export function signature(secret: string, id: string, timestamp: number, body: string): string {
  return 'v1,' + createHmac('sha256', keyOf(secret)).update(`${id}.${timestamp}.${body}`).digest('base64');
}

/** The three Standard Webhooks headers, signed with every active secret (one or two). */
export function signHeaders(secrets: readonly string[], id: string, timestamp: number, body: string): SignedHeaders {
  if (secrets.length === 0) throw new DocpipeError(WEBHOOK_ERRORS.WEBHOOK_SECRET_INVALID, 'An endpoint needs at least one active secret to sign with.');
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': secrets.map((secret) => signature(secret, id, timestamp, body)).join(' '),
  };
}

/**
 * What a receiver does (docpipe's own tests and `docpipe serve` use it; clients can use the `standardwebhooks`
 * library): true when any signature matches any secret and the timestamp is within the tolerance.
 */
export function verifySignature(secrets: readonly string[], headers: Record<string, string | undefined>, body: string, { toleranceSeconds = 300, now = Date.now() } = {}): boolean {
  const id = headers['webhook-id'];
  const timestamp = Number(headers['webhook-timestamp']);
  const header = headers['webhook-signature'];
  if (!id || !header || !Number.isFinite(timestamp) || Math.abs(now / 1000 - timestamp) > toleranceSeconds) return false;
  const given = header.split(' ').filter((part) => part.startsWith('v1,')).map((part) => Buffer.from(part.slice(3), 'base64'));
  for (const secret of secrets) {
    const expected = Buffer.from(signature(secret, id, timestamp, body).slice(3), 'base64');
    if (given.some((candidate) => candidate.length === expected.length && timingSafeEqual(candidate, expected))) return true;
  }
  return false;
}
