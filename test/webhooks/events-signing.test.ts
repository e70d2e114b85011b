import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { normalizeTextract } from '../../lambdas/domain/adapters/textract';
import { buildDocumentEvent } from '../../lambdas/domain/webhooks/events';
import { verdictOf } from '../../lambdas/domain/webhooks/outcome';
import { DEFAULT_SCHEDULE_SECONDS, delayBefore, parseRetryAfter } from '../../lambdas/domain/webhooks/schedule';
import { assertSecret, generateSecret, signHeaders, verifySignature } from '../../lambdas/domain/webhooks/signing';

const load = (name: string) => normalizeTextract(JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'textract', name), 'utf8')));
const document = load('issue_83.json');

describe('events', () => {
  it('inlines the document under the limit and sends links only above it', () => {
    const small = buildDocumentEvent({ type: 'document.completed', documentId: 'd1', clientId: 'c1', document, exports: { document: 'https://x/d1.json', tables: [{ name: 'page-1-table-1.csv', url: 'https://x/t1.csv' }] } });
    expect(small.data.documentInline).toBe(true);
    expect(small.data.document?.pages).toHaveLength(1);
    expect(small.id).toMatch(/^evt_/);
    const large = buildDocumentEvent({ type: 'document.completed', documentId: 'd1', clientId: 'c1', document, exports: { document: 'https://x/d1.json' } }, { inlineLimitBytes: 1024 });
    expect(large.data.documentInline).toBe(false);
    expect(large.data.document).toBeUndefined();
    expect(large.data.exports.document).toBe('https://x/d1.json');
    expect(large.data.pageCount).toBe(1);
    // The default limit is 256 KiB: a dense form's full JSON goes by link.
    const dense = load('form1005-response.json');
    expect(Buffer.byteLength(JSON.stringify(dense))).toBeGreaterThan(256 * 1024);
    expect(buildDocumentEvent({ type: 'document.completed', documentId: 'd2', clientId: 'c1', document: dense }).data.documentInline).toBe(false);
  });

  it('summarises page predictions and requires an error on document.failed', () => {
    const predicted = { ...document, pages: document.pages.map((p) => ({ ...p, predictions: { label: 'application_form', confidence: 0.42, model: 'm', needsReview: true } })) };
    const event = buildDocumentEvent({ type: 'document.needs_review', documentId: 'd1', clientId: 'c1', document: predicted });
    expect(event.data.pages).toEqual([{ number: 1, label: 'application_form', confidence: 0.42, needsReview: true }]);
    expect(() => buildDocumentEvent({ type: 'document.failed', documentId: 'd1', clientId: 'c1' })).toThrow();
    const failed = buildDocumentEvent({ type: 'document.failed', documentId: 'd1', clientId: 'c1', error: { code: 'PDF_ENCRYPTED', message: 'The PDF is encrypted.' } });
    expect(failed.data).toMatchObject({ status: 'failed', error: { code: 'PDF_ENCRYPTED' }, documentInline: false });
  });
});

describe('signing', () => {
  it('produces what the standardwebhooks library produces and verifies', () => {
    const secret = generateSecret();
    const when = new Date('2026-11-25T10:00:00Z');
    const headers = signHeaders([secret], 'evt_1', when.getTime() / 1000, '{"a":1}');
    expect(headers['webhook-signature']).toBe(new Webhook(secret).sign('evt_1', when, '{"a":1}'));
    expect(verifySignature([secret], headers, '{"a":1}', { now: when.getTime() })).toBe(true);
    expect(verifySignature([secret], headers, '{"a":2}', { now: when.getTime() })).toBe(false);
    expect(verifySignature([secret], headers, '{"a":1}', { now: when.getTime() + 600_000 })).toBe(false);
  });

  it('rejects secrets that are not whsec_ with enough key bytes', () => {
    expect(() => assertSecret('hunter2')).toThrow(expect.objectContaining({ code: 'WEBHOOK_SECRET_INVALID' }));
    expect(() => assertSecret('whsec_' + Buffer.alloc(8).toString('base64'))).toThrow(expect.objectContaining({ code: 'WEBHOOK_SECRET_INVALID' }));
    expect(() => assertSecret(generateSecret())).not.toThrow();
  });

  it('takes only standard, padded base64 after whsec_: two different strings are never one key', () => {
    const bytes = Buffer.from(Array.from({ length: 32 }, (_, i) => i * 7 + 250));
    const canonical = bytes.toString('base64'); // holds '+' and '/', ends in '='
    expect(canonical).toMatch(/[+/].*=$/);
    expect(() => assertSecret(`whsec_${canonical}`)).not.toThrow();
    expect(() => assertSecret(`whsec_${Buffer.alloc(24, 1).toString('base64')}`)).not.toThrow();
    for (const bad of [
      'whsec_ !!!! this is definitely not base64 but decodes anyway ok',
      'whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA$$$$ ????',
      'whsec_%%%%abcdefghijklmnopqrstuvwxyzabcdefgh',
      `whsec_${canonical.slice(0, 20)} ${canonical.slice(20)}`, // a space inside
      `whsec_${canonical}\n`,
      `whsec_${canonical.replace(/=+$/, '')}`, // padding left out
      `whsec_${canonical}=`, // padding too long
      `whsec_${bytes.toString('base64url')}`, // the URL alphabet
      `whsec_${canonical.slice(0, -2)}${String.fromCharCode(canonical.charCodeAt(canonical.length - 2) + 1)}=`, // bits past the last byte
    ]) {
      expect({ bad, refused: (() => { try { assertSecret(bad); return undefined; } catch (error) { return (error as { code?: string }).code; } })() }).toEqual({ bad, refused: 'WEBHOOK_SECRET_INVALID' });
    }
  });
});

describe('retry schedule and response classes', () => {
  it('follows the default schedule with jitter, and ends', () => {
    expect(DEFAULT_SCHEDULE_SECONDS).toEqual([0, 5, 300, 1800, 7200, 18000, 36000, 36000]);
    expect(delayBefore(2, undefined, undefined, () => 0.5)).toBe(5);
    expect(delayBefore(4, undefined, undefined, () => 0)).toBe(1440); // 1800 - 20%
    expect(delayBefore(4, undefined, undefined, () => 1)).toBe(2160); // 1800 + 20%
    expect(delayBefore(9)).toBeUndefined();
    expect(delayBefore(2, undefined, 600, () => 0.5)).toBe(600);
  });

  it('parses Retry-After as seconds or a date', () => {
    expect(parseRetryAfter('120')).toBe(120);
    expect(parseRetryAfter(new Date(Date.now() + 30_000).toUTCString())).toBeGreaterThanOrEqual(29);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });

  it('classifies responses', () => {
    expect([200, 201, 204].map(verdictOf)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect([undefined, 408, 409, 425, 429, 500, 502, 503].map(verdictOf)).toEqual(Array(8).fill('retry'));
    expect([301, 302, 400, 401, 403, 404, 410, 413, 422].map(verdictOf)).toEqual(Array(9).fill('permanent'));
  });
});
