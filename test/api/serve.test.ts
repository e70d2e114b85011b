/**
 * `docpipe serve` offers the client API of the cloud: per-client API keys, an upload URL the client PUTs to without
 * credentials (as to a presigned S3 URL), the document found by its key and completed, export links that work on
 * their own, webhooks managed over HTTP, and no way into another client's data.
 */
import { Webhook } from 'standardwebhooks';
import { validateDocument } from '../../lambdas/domain/document';
import { startServer, type RunningServer } from '../../lambdas/local/cli/serve';
import { fixture, HookReceiver, tempDir } from '../pipeline/support';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('docpipe serve: the client API', () => {
  let server: RunningServer;
  let receiver: HookReceiver;
  let acmeKey: string;
  let globexKey: string;
  const as = (apiKey: string) => (path: string, init: RequestInit = {}) => fetch(`${server.url}${path}`, { ...init, headers: { 'x-api-key': apiKey, ...(init.headers ?? {}) } });
  const json = async (response: Response): Promise<Json> => (await response.json()) as Json;

  beforeAll(async () => {
    receiver = new HookReceiver();
    await receiver.start();
    server = await startServer({ port: 0, workspace: tempDir('docpipe-serve-api-'), pipeline: { waitMs: 1, webhookScheduleSeconds: [0, 1] } });
    acmeKey = (await server.clients.add('acme')).apiKey;
    globexKey = (await server.clients.add('globex')).apiKey;
  });
  afterAll(async () => {
    await server.close();
    await receiver.stop();
  });

  it('takes an upload through an upload URL, ingests it as S3’s event would, and serves its status and exports', async () => {
    const acme = as(acmeKey);
    const hook = await acme('/v1/clients/acme/webhooks', { method: 'POST', body: JSON.stringify({ url: `${receiver.url}/acme` }) });
    expect(hook.status).toBe(201);
    const { secret } = await json(hook);

    const asked = await acme('/v1/clients/acme/uploads', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'receipt.jpg', contentType: 'image/jpeg' }) });
    expect(asked.status).toBe(201);
    const upload = await json(asked);
    expect(upload.uploadUrl.startsWith(`${server.url}/v1/files/clients/acme/uploads/`)).toBe(true);

    // The PUT carries no credentials at all: the URL's signature is the permission, as for S3.
    const put = await fetch(upload.uploadUrl, { method: upload.method, headers: upload.headers, body: new Uint8Array(fixture('receipt.jpg')) });
    expect(put.status).toBe(200);
    expect(put.headers.get('etag')).toMatch(/^"[0-9a-f]{32}"$/);
    await server.idle();

    const found = await json(await acme(upload.documentsPath));
    expect(found.documents).toHaveLength(1);
    const [{ documentId }] = found.documents;
    const status = await json(await acme(`/v1/clients/acme/documents/${documentId}`));
    expect(status).toMatchObject({ documentId, name: 'receipt.jpg', key: upload.key, contentType: 'image/jpeg', pageCount: 1 });
    expect(['completed', 'needs_review']).toContain(status.status);
    expect(status.pages).toHaveLength(1);

    // The export link works on its own, like a presigned GET, and holds the document of that upload.
    const exported = await fetch(status.exports.document);
    expect(exported.status).toBe(200);
    const document = validateDocument(await exported.json());
    expect(document.pages[0].lines.length).toBeGreaterThan(0);
    expect(document.pages[0].predictions?.label).toBe(status.pages[0].label);
    // A changed link does not.
    const tampered = new URL(status.exports.document);
    tampered.searchParams.set('expires', String(Number(tampered.searchParams.get('expires')) + 60));
    expect((await fetch(tampered)).status).toBe(403);

    // The webhook for that document was signed with the endpoint's secret.
    const [delivered] = receiver.forDocument(documentId);
    const event = new Webhook(secret).verify(delivered.body, delivered.headers as Record<string, string>) as Json;
    expect(event.data.documentId).toBe(documentId);

    // Another client's key: the path of acme is refused, and acme's document does not exist under its own.
    const globex = as(globexKey);
    const crossing = await globex(`/v1/clients/acme/documents/${documentId}`);
    expect(crossing.status).toBe(403);
    expect((await json(crossing)).error.code).toBe('API_FORBIDDEN');
    const foreign = await globex(`/v1/clients/globex/documents/${documentId}`);
    expect(foreign.status).toBe(404);
    expect((await json(foreign)).error.code).toBe('DOCUMENT_NOT_FOUND');
    expect((await globex(`/v1/clients/globex/documents/${documentId}/document.json`)).status).toBe(404);
  });

  it('refuses an upload URL used for another key, or without its signature', async () => {
    const upload = await json(await as(acmeKey)('/v1/clients/acme/uploads', { method: 'POST', body: JSON.stringify({ name: 'a.pdf' }) }));
    const other = new URL(upload.uploadUrl.replace('/clients/acme/', '/clients/globex/'));
    const moved = await fetch(other, { method: 'PUT', body: new Uint8Array(fixture('sample-invoice.pdf')) });
    expect(moved.status).toBe(403);
    expect((await json(moved)).error.code).toBe('URL_SIGNATURE_INVALID');
    const bare = new URL(upload.uploadUrl);
    bare.search = '';
    expect((await fetch(bare, { method: 'PUT', body: 'x' })).status).toBe(403);
    expect(await server.pipeline.store.head(upload.key)).toBeUndefined();
  });

  it('manages webhooks over HTTP: list, rotate, finish, remove', async () => {
    const acme = as(acmeKey);
    const { endpoint } = await json(await acme('/v1/clients/acme/webhooks', { method: 'POST', body: JSON.stringify({ url: `${receiver.url}/second`, events: ['document.failed'] }) }));
    const rotated = await acme(`/v1/clients/acme/webhooks/${endpoint.id}/rotate`, { method: 'POST' });
    expect(rotated.status).toBe(200);
    expect((await json(rotated)).activeSecrets).toBe(2);
    const listed = await json(await acme('/v1/clients/acme/webhooks'));
    expect(listed.endpoints.find((e: Json) => e.id === endpoint.id)).toMatchObject({ activeSecrets: 2, eventTypes: ['document.failed'] });
    expect((await json(await acme(`/v1/clients/acme/webhooks/${endpoint.id}/rotate`, { method: 'POST', body: '{"finish":true}' }))).activeSecrets).toBe(1);
    expect((await as(globexKey)(`/v1/clients/globex/webhooks/${endpoint.id}`, { method: 'DELETE' })).status).toBe(404);
    const removed = await acme(`/v1/clients/acme/webhooks/${endpoint.id}`, { method: 'DELETE' });
    expect(removed.status).toBe(204);
    expect(await removed.text()).toBe('');
    expect((await json(await acme('/v1/clients/acme/webhooks'))).endpoints.map((e: Json) => e.id)).not.toContain(endpoint.id);
  });

  it('answers errors as JSON with a code: unknown key, bad input, refused URL, unknown route', async () => {
    const stranger = await as('dpk_not-a-key')('/v1/clients/acme/webhooks');
    expect(stranger.status).toBe(403);
    expect((await json(stranger)).error.code).toBe('API_KEY_UNKNOWN');
    const acme = as(acmeKey);
    const bad = await acme('/v1/clients/acme/uploads', { method: 'POST', body: '{"name":' });
    expect([bad.status, (await json(bad)).error.code]).toEqual([400, 'INVALID_JSON']);
    const refused = await acme('/v1/clients/acme/webhooks', { method: 'POST', body: JSON.stringify({ url: 'http://169.254.169.254/latest/meta-data/' }) });
    expect([refused.status, (await json(refused)).error.code]).toEqual([422, 'WEBHOOK_ADDRESS_FORBIDDEN']);
    const nowhere = await acme('/v1/clients/acme/nowhere');
    expect([nowhere.status, (await json(nowhere)).error.code]).toEqual([404, 'API_NOT_FOUND']);
    // The operator's token may act for any client.
    const operator = await fetch(`${server.url}/v1/clients/globex/webhooks`, { headers: { authorization: `Bearer ${server.token}` } });
    expect(operator.status).toBe(200);
  });
});
