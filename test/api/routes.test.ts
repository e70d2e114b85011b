/**
 * The client API router on the local ports, with documents that went through the real local pipeline: every route,
 * client isolation, validation errors, the SSRF guard, and a rotation that keeps the old secret verifying.
 */
import { Webhook } from 'standardwebhooks';
import type { ApiDeps } from '../../lambdas/domain/api/deps';
import { handleApiRequest, type ApiRequest, type ApiResponse } from '../../lambdas/domain/api/routes';
import { uploadName } from '../../lambdas/domain/api/uploads';
import { validateDocument } from '../../lambdas/domain/document';
import { DocpipeError } from '../../lambdas/domain/errors';
import { attemptDelivery, startDelivery } from '../../lambdas/domain/webhooks/delivery';
import { buildDocumentEvent } from '../../lambdas/domain/webhooks/events';
import type { DocumentOutcome, LocalPipeline } from '../../lambdas/local/pipeline';
import { fixture, HookReceiver, newPipeline } from '../pipeline/support';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The port with one method throwing, the others working. */
function failing<T extends object>(port: T, method: keyof T, error: Error): T {
  return Object.assign(Object.create(port) as T, { [method]: async () => Promise.reject(error) });
}

/** The port with each call a few ms later, as over a network: concurrent requests interleave between their calls. */
function slow<T extends object>(port: T): T {
  return new Proxy(port, {
    get: (target, property) => {
      const value = (target as Record<string | symbol, unknown>)[property];
      return typeof value === 'function' ? async (...args: unknown[]) => (await new Promise((r) => setTimeout(r, 5)), value.apply(target, args)) : value;
    },
  });
}

/** The port with `method` running `meanwhile` once (after its own work, before answering): a request that lands in between. */
function interleaved<T extends object>(port: T, method: keyof T, meanwhile: () => Promise<unknown>): T {
  let done = false;
  const original = port[method] as (...args: unknown[]) => Promise<unknown>;
  return Object.assign(Object.create(port) as T, {
    [method]: async (...args: unknown[]) => {
      const result = await original.apply(port, args);
      if (!done) {
        done = true;
        await meanwhile();
      }
      return result;
    },
  });
}

describe('client API router (local ports)', () => {
  let pipeline: LocalPipeline;
  let deps: ApiDeps;
  let receiver: HookReceiver;
  let receipt: DocumentOutcome;
  let broken: DocumentOutcome;

  const call = (request: Partial<ApiRequest> & { path: string }, over: Partial<ApiDeps> = {}): Promise<ApiResponse> =>
    handleApiRequest({ method: 'GET', clientId: 'acme', ...request }, { ...deps, ...over });
  const post = (path: string, body: unknown, clientId = 'acme', over: Partial<ApiDeps> = {}) =>
    call({ method: 'POST', path, clientId, body: typeof body === 'string' ? body : JSON.stringify(body) }, over);
  const codeOf = (response: ApiResponse): string | undefined => (response.body as Json | undefined)?.error?.code;

  beforeAll(async () => {
    receiver = new HookReceiver();
    await receiver.start();
    // Served URLs, as under `docpipe serve` (nothing listens there: the test only checks what the links sign).
    pipeline = newPipeline({ exportBaseUrl: 'http://127.0.0.1:9/v1/files' });
    deps = { store: pipeline.store, table: pipeline.table, endpoints: pipeline.webhooks.endpoints, secrets: pipeline.webhooks.secrets, guard: pipeline.webhooks.guard };
    receipt = await pipeline.submit(fixture('receipt.jpg'), { clientId: 'acme', name: 'receipt.jpg' });
    broken = await pipeline.submit(fixture('invalid.pdf'), { clientId: 'acme', name: 'broken.pdf' });
  });
  afterAll(async () => {
    await pipeline.close();
    await receiver.stop();
  });

  describe('uploads', () => {
    it('signs a PUT for a key under the caller’s own prefix, with the name made safe', async () => {
      const response = await post('/v1/clients/acme/uploads', { name: '../../etc/Rechnung März 2026.pdf', contentType: 'application/pdf' });
      expect(response.status).toBe(201);
      const body = response.body as Json;
      expect(body.key).toMatch(/^clients\/acme\/uploads\/upl_[0-9a-f]{20}\/Rechnung_Marz_2026\.pdf$/);
      expect(body).toMatchObject({ method: 'PUT', name: 'Rechnung_Marz_2026.pdf', headers: { 'content-type': 'application/pdf' } });
      expect(body.documentsPath).toBe(`/v1/clients/acme/documents?key=${encodeURIComponent(body.key)}`);
      const expiresIn = (Date.parse(body.expiresAt) - Date.now()) / 1000;
      expect(expiresIn).toBeGreaterThan(890);
      expect(expiresIn).toBeLessThanOrEqual(900);

      const url = new URL(body.uploadUrl);
      expect(decodeURIComponent(url.pathname)).toBe(`/v1/files/${body.key}`);
      const [expires, signature] = [url.searchParams.get('expires'), url.searchParams.get('signature')];
      expect(pipeline.store.verifyUrl('PUT', body.key, expires, signature)).toBe(true);
      // Only for that key, that method, and until it expires.
      expect(pipeline.store.verifyUrl('PUT', body.key.replace('acme', 'globex'), expires, signature)).toBe(false);
      expect(pipeline.store.verifyUrl('GET', body.key, expires, signature)).toBe(false);
      expect(pipeline.store.verifyUrl('PUT', body.key, expires, signature, Date.now() + 901_000)).toBe(false);
      expect(pipeline.store.verifyUrl('PUT', body.key, String(Number(expires) + 3600), signature)).toBe(false);
    });

    it('takes a shorter or longer lifetime within bounds, and two uploads of one name get two keys', async () => {
      const a = (await post('/v1/clients/acme/uploads', { name: 'scan.tif', expiresInSeconds: 120 })).body as Json;
      const b = (await post('/v1/clients/acme/uploads', { name: 'scan.tif' })).body as Json;
      expect(a.key).not.toBe(b.key);
      expect((Date.parse(a.expiresAt) - Date.now()) / 1000).toBeLessThanOrEqual(120);
      expect(a.headers).toEqual({});
    });

    it.each([
      ['no body', undefined, 'API_INPUT_INVALID'],
      ['not JSON', '{"name": ', 'INVALID_JSON'],
      ['no name', {}, 'API_INPUT_INVALID'],
      ['an empty name', { name: '' }, 'API_INPUT_INVALID'],
      ['an unknown field', { name: 'a.pdf', bucket: 'other' }, 'API_INPUT_INVALID'],
      ['a content type that is not one', { name: 'a.pdf', contentType: 'pdf' }, 'API_INPUT_INVALID'],
      ['a lifetime over an hour', { name: 'a.pdf', expiresInSeconds: 86400 }, 'API_INPUT_INVALID'],
    ])('refuses %s with 400 and a code', async (_what, body, code) => {
      const response = await call({ method: 'POST', path: '/v1/clients/acme/uploads', body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
      expect(response.status).toBe(400);
      expect(codeOf(response)).toBe(code);
      expect((response.body as Json).error.message).toEqual(expect.any(String));
    });

    it('says where the input is wrong', async () => {
      const response = await post('/v1/clients/acme/uploads', { name: 7 });
      expect((response.body as Json).error.details.issues[0]).toMatch(/^name: /);
    });

    it('refuses a JSON body over 64 KiB', async () => {
      const response = await post('/v1/clients/acme/uploads', { name: 'x'.repeat(70 * 1024) });
      expect(response.status).toBe(413);
      expect(codeOf(response)).toBe('API_BODY_TOO_LARGE');
    });

    it('keeps the extension of a name with no ASCII before it, and calls it document', async () => {
      const response = await post('/v1/clients/acme/uploads', { name: '日本語.pdf', contentType: 'application/pdf' });
      expect(response.status).toBe(201);
      expect((response.body as Json).key).toMatch(/^clients\/acme\/uploads\/upl_[0-9a-f]{20}\/document\.pdf$/);
      expect((response.body as Json).name).toBe('document.pdf');
      expect(uploadName('—.png')).toBe('document.png');
      expect(uploadName(`${'日'.repeat(300)}.tiff`)).toBe('document.tiff');
      expect(uploadName('請求書 2024.pdf')).toBe('2024.pdf');
      expect(uploadName('日本語')).toBe('document');
      expect(uploadName('.pdf')).toBe('pdf');
      expect(uploadName('archive.tar.gz')).toBe('archive.tar.gz');
    });

    it('makes file names safe', () => {
      expect(uploadName('..')).toBe('document');
      expect(uploadName('C:\\Users\\me\\scan 1.PNG')).toBe('scan_1.PNG');
      expect(uploadName('.hidden')).toBe('hidden');
      const long = uploadName(`${'a'.repeat(300)}.pdf`);
      expect(long).toHaveLength(100);
      expect(long.endsWith('.pdf')).toBe(true);
    });
  });

  describe('documents', () => {
    it('reads a processed document: status, page classes from its export, signed export links', async () => {
      const record = receipt.record!;
      expect(['completed', 'needs_review']).toContain(record.status);
      const response = await call({ path: `/v1/clients/acme/documents/${receipt.documentId}` });
      expect(response.status).toBe(200);
      const body = response.body as Json;
      expect(body).toMatchObject({ documentId: receipt.documentId, status: record.status, name: 'receipt.jpg', key: record.sourceKey, pageCount: record.pageCount, contentType: 'image/jpeg', needsReview: record.status === 'needs_review' });
      // The classes are the page model's, as stored in the exported document.
      const exported = validateDocument(JSON.parse((await pipeline.documentJson(record))!));
      expect(body.pages).toEqual(exported.pages.map((p) => ({ number: p.number, label: p.predictions?.label ?? null, confidence: p.predictions?.confidence ?? null, needsReview: p.predictions?.needsReview ?? false })));
      expect(body.pages[0].label).toEqual(expect.any(String));
      // Links signed for GET on the export keys, not more.
      const link = new URL(body.exports.document);
      expect(pipeline.store.verifyUrl('GET', record.exportKeys!.document!, link.searchParams.get('expires'), link.searchParams.get('signature'))).toBe(true);
      expect(pipeline.store.verifyUrl('PUT', record.exportKeys!.document!, link.searchParams.get('expires'), link.searchParams.get('signature'))).toBe(false);
      expect(body.exports.tables.map((t: Json) => t.name)).toEqual(record.exportKeys!.tables.map((t) => t.name));
      // Internal state stays inside.
      expect(body).not.toHaveProperty('taskToken');
      expect(body).not.toHaveProperty('sha256');
      expect(body).not.toHaveProperty('clientId');
    });

    it('reads a failed document with its reason and no exports', async () => {
      const body = (await call({ path: `/v1/clients/acme/documents/${broken.documentId}` })).body as Json;
      expect(body).toMatchObject({ status: 'failed', reason: { code: 'PDF_CORRUPT' }, needsReview: false });
      expect(body.exports).toBeUndefined();
      expect(body.pages).toBeUndefined();
    });

    it('finds the document of an upload by its key, and lists the client’s documents', async () => {
      const byKey = (await call({ path: '/v1/clients/acme/documents', query: { key: receipt.record!.sourceKey } })).body as Json;
      expect(byKey.documents.map((d: Json) => d.documentId)).toEqual([receipt.documentId]);
      const all = (await call({ path: '/v1/clients/acme/documents', query: { limit: '10' } })).body as Json;
      expect(all.documents.map((d: Json) => d.documentId).sort()).toEqual([receipt.documentId, broken.documentId].sort());
      expect((await call({ path: '/v1/clients/acme/documents', query: { limit: '0' } })).status).toBe(400);
      expect(codeOf(await call({ path: '/v1/clients/acme/documents', query: { sort: 'name' } }))).toBe('API_INPUT_INVALID');
    });

    it('shows another client nothing: a foreign document is 404, another client’s path is 403', async () => {
      const foreign = await call({ path: `/v1/clients/globex/documents/${receipt.documentId}`, clientId: 'globex' });
      expect(foreign.status).toBe(404);
      expect(codeOf(foreign)).toBe('DOCUMENT_NOT_FOUND');
      expect(((await call({ path: '/v1/clients/globex/documents', clientId: 'globex' })).body as Json).documents).toEqual([]);
      const crossing = await call({ path: `/v1/clients/acme/documents/${receipt.documentId}`, clientId: 'globex' });
      expect(crossing.status).toBe(403);
      expect(codeOf(crossing)).toBe('API_FORBIDDEN');
      expect(codeOf(await call({ path: '/v1/clients/acme/documents/doc_doesnotexist' }))).toBe('DOCUMENT_NOT_FOUND');
    });
  });

  describe('webhooks', () => {
    it('registers, lists (to its client only), and removes an endpoint with its secret', async () => {
      const created = await post('/v1/clients/acme/webhooks', { url: `${receiver.url}/acme`, events: ['document.completed', 'document.completed'] });
      expect(created.status).toBe(201);
      const { endpoint, secret } = created.body as Json;
      expect(secret).toMatch(/^whsec_/);
      expect(endpoint).toMatchObject({ clientId: 'acme', url: `${receiver.url}/acme`, eventTypes: ['document.completed'], enabled: true, activeSecrets: 1 });
      expect(endpoint).not.toHaveProperty('secretIds');
      const stored = (await pipeline.webhooks.endpoints.get(endpoint.id))!;
      expect(await pipeline.webhooks.secrets.get(stored.secretIds[0])).toBe(secret);

      const listed = (await call({ path: '/v1/clients/acme/webhooks' })).body as Json;
      expect(listed.endpoints.map((e: Json) => e.id)).toContain(endpoint.id);
      expect(((await call({ path: '/v1/clients/globex/webhooks', clientId: 'globex' })).body as Json).endpoints).toEqual([]);

      // Another client can neither remove nor rotate it, nor learn that it exists.
      for (const response of [await call({ method: 'DELETE', path: `/v1/clients/globex/webhooks/${endpoint.id}`, clientId: 'globex' }), await post(`/v1/clients/globex/webhooks/${endpoint.id}/rotate`, {}, 'globex')]) {
        expect(response.status).toBe(404);
        expect(codeOf(response)).toBe('WEBHOOK_ENDPOINT_NOT_FOUND');
      }
      expect(await pipeline.webhooks.endpoints.get(endpoint.id)).toEqual(stored);

      const removed = await call({ method: 'DELETE', path: `/v1/clients/acme/webhooks/${endpoint.id}` });
      expect(removed).toMatchObject({ status: 204 });
      expect(removed.body).toBeUndefined();
      expect(await pipeline.webhooks.endpoints.get(endpoint.id)).toBeUndefined();
      await expect(pipeline.webhooks.secrets.get(stored.secretIds[0])).rejects.toThrow();
      expect((await call({ method: 'DELETE', path: `/v1/clients/acme/webhooks/${endpoint.id}` })).status).toBe(404);
    });

    it('shows an endpoint docpipe disabled, with the reason, and turns it back on for its own client only', async () => {
      const { endpoint } = (await post('/v1/clients/acme/webhooks', { url: `${receiver.url}/flaky` })).body as Json;
      // What delivery does after days of failures.
      const stored = (await pipeline.webhooks.endpoints.get(endpoint.id))!;
      await pipeline.webhooks.endpoints.put({ ...stored, enabled: false, disabledReason: 'FAILING_TOO_LONG', failingSince: '2026-11-20T00:00:00.000Z' });
      expect(await pipeline.webhooks.endpoints.listForClient('acme', 'document.completed')).not.toContainEqual(expect.objectContaining({ id: endpoint.id }));

      const listed = ((await call({ path: '/v1/clients/acme/webhooks' })).body as Json).endpoints as Json[];
      expect(listed.find((e) => e.id === endpoint.id)).toMatchObject({ enabled: false, disabledReason: 'FAILING_TOO_LONG' });

      const foreign = await post(`/v1/clients/globex/webhooks/${endpoint.id}/enable`, undefined as never, 'globex');
      expect([foreign.status, codeOf(foreign)]).toEqual([404, 'WEBHOOK_ENDPOINT_NOT_FOUND']);
      const enabled = await call({ method: 'POST', path: `/v1/clients/acme/webhooks/${endpoint.id}/enable` });
      expect(enabled.status).toBe(200);
      expect((enabled.body as Json).endpoint).toMatchObject({ id: endpoint.id, enabled: true });
      expect((enabled.body as Json).endpoint).not.toHaveProperty('disabledReason');
      expect(await pipeline.webhooks.endpoints.listForClient('acme', 'document.completed')).toContainEqual(expect.objectContaining({ id: endpoint.id, enabled: true }));
      expect((await pipeline.webhooks.endpoints.get(endpoint.id))!.failingSince).toBeUndefined();
      await call({ method: 'DELETE', path: `/v1/clients/acme/webhooks/${endpoint.id}` });
    });

    it('keeps a secret the client chose, without echoing it', async () => {
      const secret = 'whsec_' + Buffer.alloc(32, 7).toString('base64');
      const created = await post('/v1/clients/acme/webhooks', { url: `${receiver.url}/own`, secret });
      expect(created.status).toBe(201);
      expect(created.body).not.toHaveProperty('secret');
      const stored = (await pipeline.webhooks.endpoints.get((created.body as Json).endpoint.id))!;
      expect(await pipeline.webhooks.secrets.get(stored.secretIds[0])).toBe(secret);
      await call({ method: 'DELETE', path: `/v1/clients/acme/webhooks/${stored.id}` });
    });

    it.each([
      ['a weak secret', { url: 'http://127.0.0.1:9/x', secret: 'whsec_c2hvcnQ=' }, 400, 'WEBHOOK_SECRET_INVALID'],
      // Node's decoder skips the characters it does not know: these decode to 34 bytes.
      ['a secret that is not base64', { url: 'http://127.0.0.1:9/x', secret: 'whsec_ !!!! this is definitely not base64 but decodes anyway ok' }, 400, 'WEBHOOK_SECRET_INVALID'],
      ['an unknown event type', { url: 'http://127.0.0.1:9/x', events: ['document.deleted'] }, 400, 'API_INPUT_INVALID'],
      ['no url', { events: [] }, 400, 'API_INPUT_INVALID'],
      ['a relative url', { url: '/hooks' }, 400, 'WEBHOOK_URL_INVALID'],
      ['credentials in the url', { url: 'http://user:pw@127.0.0.1:9/x' }, 400, 'WEBHOOK_URL_INVALID'],
      ['a private address, even locally', { url: 'http://10.0.0.5/hook' }, 422, 'WEBHOOK_ADDRESS_FORBIDDEN'],
    ])('refuses %s', async (_what, body, status, code) => {
      const response = await post('/v1/clients/acme/webhooks', body);
      expect(response.status).toBe(status);
      expect(codeOf(response)).toBe(code);
    });

    it('applies the cloud’s SSRF guard: HTTPS only, no metadata, no name that resolves inside', async () => {
      const cloud = { guard: { resolve: async (host: string) => (host === 'inside.example.com' ? [{ address: '93.184.215.14', family: 4 }, { address: '10.1.2.3', family: 4 }] : [{ address: '93.184.215.14', family: 4 }]) } };
      const cases: [string, string][] = [
        ['http://hooks.example.com/x', 'WEBHOOK_URL_INSECURE'],
        [`${receiver.url}/x`, 'WEBHOOK_URL_INSECURE'],
        ['https://169.254.169.254/latest/meta-data', 'WEBHOOK_ADDRESS_FORBIDDEN'],
        ['https://[::ffff:127.0.0.1]/x', 'WEBHOOK_ADDRESS_FORBIDDEN'],
        ['https://inside.example.com/x', 'WEBHOOK_ADDRESS_FORBIDDEN'],
      ];
      for (const [url, code] of cases) {
        const response = await post('/v1/clients/acme/webhooks', { url }, 'acme', cloud);
        expect({ url, status: response.status, code: codeOf(response) }).toEqual({ url, status: 422, code });
      }
      const before = (await pipeline.webhooks.endpoints.listForClient('acme')).length;
      const accepted = await post('/v1/clients/acme/webhooks', { url: 'https://hooks.example.com/docpipe' }, 'acme', cloud);
      expect(accepted.status).toBe(201);
      expect((await pipeline.webhooks.endpoints.listForClient('acme')).length).toBe(before + 1);
      await call({ method: 'DELETE', path: `/v1/clients/acme/webhooks/${(accepted.body as Json).endpoint.id}` });
    });

    it('limits the endpoints of a client', async () => {
      const first = await post('/v1/clients/limited/webhooks', { url: `${receiver.url}/1` }, 'limited', { maxEndpointsPerClient: 1 });
      expect(first.status).toBe(201);
      const second = await post('/v1/clients/limited/webhooks', { url: `${receiver.url}/2` }, 'limited', { maxEndpointsPerClient: 1 });
      expect(second.status).toBe(409);
      expect(codeOf(second)).toBe('WEBHOOK_ENDPOINT_LIMIT');
    });

    it('holds the limit under concurrent registrations, and a removal frees a place', async () => {
      const over = { endpoints: slow(pipeline.webhooks.endpoints), maxEndpointsPerClient: 5 };
      const responses = await Promise.all(Array.from({ length: 12 }, (_, i) => post('/v1/clients/crowd/webhooks', { url: `${receiver.url}/crowd/${i}` }, 'crowd', over)));
      expect(responses.filter((r) => r.status === 201)).toHaveLength(5);
      const refused = responses.filter((r) => r.status !== 201);
      expect(refused.map((r) => [r.status, codeOf(r)])).toEqual(Array(7).fill([409, 'WEBHOOK_ENDPOINT_LIMIT']));
      const stored = await pipeline.webhooks.endpoints.listForClient('crowd', undefined, { includeDisabled: true });
      expect(stored).toHaveLength(5);

      await call({ method: 'DELETE', path: `/v1/clients/crowd/webhooks/${stored[0].id}`, clientId: 'crowd' });
      expect((await post('/v1/clients/crowd/webhooks', { url: `${receiver.url}/crowd/again` }, 'crowd', over)).status).toBe(201);
      expect(codeOf(await post('/v1/clients/crowd/webhooks', { url: `${receiver.url}/crowd/more` }, 'crowd', over))).toBe('WEBHOOK_ENDPOINT_LIMIT');
    });

    describe('a change that races another request', () => {
      const register = async (clientId: string) => ((await post(`/v1/clients/${clientId}/webhooks`, { url: `${receiver.url}/${clientId}` }, clientId)).body as Json).endpoint.id as string;
      /** The secrets port, recording the ids it hands out. */
      const recording = (ids: string[]) => Object.assign(Object.create(pipeline.webhooks.secrets), { put: async (value: string) => (ids.push(await pipeline.webhooks.secrets.put(value)), ids.at(-1)!) });

      it('a rotation during a removal answers 404, leaves the endpoint removed and its new secret deleted', async () => {
        const id = await register('race-rm');
        const ids: string[] = [];
        // The removal lands after the rotation read the endpoint and made its secret, before it writes.
        const secrets = interleaved(recording(ids), 'put', async () => expect((await call({ method: 'DELETE', path: `/v1/clients/race-rm/webhooks/${id}`, clientId: 'race-rm' })).status).toBe(204));
        const rotated = await post(`/v1/clients/race-rm/webhooks/${id}/rotate`, {}, 'race-rm', { secrets });
        expect([rotated.status, codeOf(rotated)]).toEqual([404, 'WEBHOOK_ENDPOINT_NOT_FOUND']);
        expect(await pipeline.webhooks.endpoints.get(id)).toBeUndefined();
        expect(await pipeline.webhooks.endpoints.listForClient('race-rm', undefined, { includeDisabled: true })).toEqual([]);
        await expect(pipeline.webhooks.secrets.get(ids[0])).rejects.toMatchObject({ code: 'SECRET_NOT_FOUND' });
      });

      it('of two concurrent rotations, the later writer answers 409 and the secret given by the other one signs', async () => {
        const id = await register('race-rot');
        const [original] = (await pipeline.webhooks.endpoints.get(id))!.secretIds;
        const ids: string[] = [];
        let other: ApiResponse | undefined;
        const secrets = interleaved(recording(ids), 'put', async () => (other = await post(`/v1/clients/race-rot/webhooks/${id}/rotate`, {}, 'race-rot')));
        const first = await post(`/v1/clients/race-rot/webhooks/${id}/rotate`, {}, 'race-rot', { secrets });
        expect([first.status, codeOf(first)]).toEqual([409, 'WEBHOOK_ENDPOINT_CHANGED']);
        expect(other!.status).toBe(200);
        const stored = (await pipeline.webhooks.endpoints.get(id))!.secretIds;
        expect(stored).toHaveLength(2);
        expect(stored[0]).toBe(original);
        expect(await pipeline.webhooks.secrets.get(stored[1])).toBe((other!.body as Json).secret);
        await expect(pipeline.webhooks.secrets.get(ids[0])).rejects.toMatchObject({ code: 'SECRET_NOT_FOUND' });
        // Tried again, it rotates.
        expect((await post(`/v1/clients/race-rot/webhooks/${id}/rotate`, {}, 'race-rot')).status).toBe(200);
      });

      it('an enable during a removal answers 404 and leaves the endpoint removed', async () => {
        const id = await register('race-en');
        const endpoints = interleaved(pipeline.webhooks.endpoints, 'get', () => call({ method: 'DELETE', path: `/v1/clients/race-en/webhooks/${id}`, clientId: 'race-en' }));
        const enabled = await call({ method: 'POST', path: `/v1/clients/race-en/webhooks/${id}/enable`, clientId: 'race-en' }, { endpoints });
        expect([enabled.status, codeOf(enabled)]).toEqual([404, 'WEBHOOK_ENDPOINT_NOT_FOUND']);
        expect(await pipeline.webhooks.endpoints.get(id)).toBeUndefined();
      });

      it('an enable during a rotation keeps the rotation’s secrets', async () => {
        const id = await register('race-en-rot');
        let rotated: ApiResponse | undefined;
        const endpoints = interleaved(pipeline.webhooks.endpoints, 'get', async () => (rotated = await post(`/v1/clients/race-en-rot/webhooks/${id}/rotate`, {}, 'race-en-rot')));
        const enabled = await call({ method: 'POST', path: `/v1/clients/race-en-rot/webhooks/${id}/enable`, clientId: 'race-en-rot' }, { endpoints });
        expect(enabled.status).toBe(200);
        expect((enabled.body as Json).endpoint.activeSecrets).toBe(2);
        const stored = (await pipeline.webhooks.endpoints.get(id))!.secretIds;
        expect(await pipeline.webhooks.secrets.get(stored[1])).toBe((rotated!.body as Json).secret);
      });
    });

    it('rotates: deliveries carry both signatures, the old secret verifies until the rotation is finished', async () => {
      const { endpoint, secret: oldSecret } = (await post('/v1/clients/rotating/webhooks', { url: `${receiver.url}/rotating` }, 'rotating')).body as Json;
      const notStarted = await post(`/v1/clients/rotating/webhooks/${endpoint.id}/rotate`, { finish: true }, 'rotating');
      expect(notStarted.status).toBe(409);
      expect(codeOf(notStarted)).toBe('WEBHOOK_ROTATION_NOT_STARTED');

      // No body at all is a plain rotation.
      const rotated = await call({ method: 'POST', path: `/v1/clients/rotating/webhooks/${endpoint.id}/rotate`, clientId: 'rotating' });
      expect(rotated.status).toBe(200);
      const { secret: newSecret, activeSecrets } = rotated.body as Json;
      expect(activeSecrets).toBe(2);
      expect(newSecret).toMatch(/^whsec_/);
      expect(newSecret).not.toBe(oldSecret);
      expect(((await call({ path: '/v1/clients/rotating/webhooks', clientId: 'rotating' })).body as Json).endpoints[0].activeSecrets).toBe(2);

      const deliver = async (): Promise<{ body: string; headers: Record<string, string> }> => {
        const event = buildDocumentEvent({ type: 'document.completed', documentId: `doc_rot_${Date.now()}`, clientId: 'rotating', pageCount: 1 });
        const delivery = await startDelivery(pipeline.webhooks, (await pipeline.webhooks.endpoints.get(endpoint.id))!, event);
        expect((await attemptDelivery(pipeline.webhooks, delivery.id)).outcome).toBe('succeeded');
        const hook = receiver.forDocument(event.data.documentId)[0];
        return { body: hook.body, headers: hook.headers as Record<string, string> };
      };
      const during = await deliver();
      expect(during.headers['webhook-signature'].split(' ')).toHaveLength(2);
      expect(() => new Webhook(oldSecret).verify(during.body, during.headers)).not.toThrow();
      expect(() => new Webhook(newSecret).verify(during.body, during.headers)).not.toThrow();

      const finished = await post(`/v1/clients/rotating/webhooks/${endpoint.id}/rotate`, { finish: true }, 'rotating');
      expect(finished).toMatchObject({ status: 200, body: { endpointId: endpoint.id, activeSecrets: 1 } });
      expect(finished.body).not.toHaveProperty('secret');
      const after = await deliver();
      expect(() => new Webhook(newSecret).verify(after.body, after.headers)).not.toThrow();
      expect(() => new Webhook(oldSecret).verify(after.body, after.headers)).toThrow();
    });

    it('drops a secret that a never-finished rotation left when rotating again', async () => {
      const { endpoint } = (await post('/v1/clients/twice/webhooks', { url: `${receiver.url}/twice` }, 'twice')).body as Json;
      const [first] = (await pipeline.webhooks.endpoints.get(endpoint.id))!.secretIds;
      await post(`/v1/clients/twice/webhooks/${endpoint.id}/rotate`, {}, 'twice');
      const [, second] = (await pipeline.webhooks.endpoints.get(endpoint.id))!.secretIds;
      const third = (await post(`/v1/clients/twice/webhooks/${endpoint.id}/rotate`, {}, 'twice')).body as Json;
      const ids = (await pipeline.webhooks.endpoints.get(endpoint.id))!.secretIds;
      expect(ids).toHaveLength(2);
      expect(ids[0]).toBe(second);
      expect(await pipeline.webhooks.secrets.get(ids[1])).toBe(third.secret);
      await expect(pipeline.webhooks.secrets.get(first)).rejects.toThrow();
    });
  });

  describe('routing and errors', () => {
    it('answers an unknown route 404, a wrong method 405 with Allow, an id of the wrong form 404', async () => {
      expect(codeOf(await call({ path: '/v1/clients/acme/invoices' }))).toBe('API_NOT_FOUND');
      expect(codeOf(await call({ path: '/v2/things' }))).toBe('API_NOT_FOUND');
      const wrong = await call({ method: 'PUT', path: '/v1/clients/acme/webhooks' });
      expect(wrong.status).toBe(405);
      expect(wrong.headers).toEqual({ allow: 'GET, POST' });
      expect((await call({ path: '/v1/clients/acme/documents/..%2F..%2Fsecrets' })).status).toBe(404);
      expect((await call({ path: '/v1/clients/acme/documents/%E0%A4%A' })).status).toBe(404);
    });

    it('hides unexpected failures behind INTERNAL_ERROR and reports transient ones as 503', async () => {
      const crash = await call({ path: `/v1/clients/acme/documents/${receipt.documentId}` }, { table: failing(pipeline.table, 'get', new Error('disk on fire at /var/secret/path')) });
      expect(crash.status).toBe(500);
      expect(crash.body).toEqual({ error: { code: 'INTERNAL_ERROR', message: 'Something went wrong on our side.' } });
      expect((crash.failure as Error).message).toMatch(/disk on fire/);
      const busy = await call({ path: '/v1/clients/acme/webhooks' }, { endpoints: failing(pipeline.webhooks.endpoints, 'listForClient', new DocpipeError('TABLE_UNAVAILABLE', 'DynamoDB throttled', { retryable: true })) });
      expect(busy.status).toBe(503);
      expect(codeOf(busy)).toBe('API_UNAVAILABLE');
    });
  });
});
