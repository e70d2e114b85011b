/** `docpipe serve`: upload over HTTP or into the inbox, a registered webhook signed, status and exports over HTTP (the client API itself: test/api/serve.test.ts). */
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { validateDocument } from '../../lambdas/domain/document';
import { startServer, type RunningServer } from '../../lambdas/local/cli/serve';
import { DOCUMENTS, fixture, HookReceiver, tempDir } from './support';

describe('docpipe serve', () => {
  let server: RunningServer;
  let receiver: HookReceiver;
  let inbox: string;
  const api = (path: string, init: RequestInit = {}) => fetch(`${server.url}${path}`, { ...init, headers: { authorization: `Bearer ${server.token}`, ...(init.headers ?? {}) } });

  beforeAll(async () => {
    receiver = new HookReceiver();
    await receiver.start();
    inbox = tempDir('docpipe-inbox-');
    server = await startServer({ port: 0, workspace: tempDir(), inbox, inboxPollMs: 50, pipeline: { waitMs: 1, webhookScheduleSeconds: [0, 1] } });
  });
  afterAll(async () => {
    await server.close();
    await receiver.stop();
  });

  it('refuses requests without the token', async () => {
    const res = await fetch(`${server.url}/v1/clients/acme/webhooks`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
  });

  it('registers a webhook, takes an upload, delivers the signed callback, serves status and exports to the owner only', async () => {
    const registered = await api('/v1/clients/acme/webhooks', { method: 'POST', body: JSON.stringify({ url: `${receiver.url}/acme` }) });
    expect(registered.status).toBe(201);
    const { secret, endpoint } = (await registered.json()) as { secret: string; endpoint: { id: string; clientId: string } };
    expect(endpoint.clientId).toBe('acme');
    expect(secret).toMatch(/^whsec_/);

    const upload = await api('/v1/clients/acme/documents?name=invoice.png', { method: 'POST', body: new Uint8Array(fixture('invoice.png')) });
    expect(upload.status).toBe(202);
    const { documentId } = (await upload.json()) as { documentId: string };
    await server.idle();

    const [hook] = receiver.forDocument(documentId);
    const event = new Webhook(secret).verify(hook.body, hook.headers as Record<string, string>) as { type: string; data: { exports: { document: string } } };
    expect(event.type).toBe('document.completed');
    const status = (await (await api(`/v1/clients/acme/documents/${documentId}`)).json()) as { status: string; exports: { document: string } };
    expect(status).toMatchObject({ status: 'completed', pageCount: 1 });
    const document = validateDocument(await (await api(new URL(status.exports.document).pathname)).json());
    expect(document.pages[0].lines.map((l) => l.text).join(' ')).toMatch(/East Repair/);
    // The link in the event works on its own, as a presigned URL does; without its signature it needs the token.
    expect((await fetch(event.data.exports.document)).status).toBe(200);
    expect((await fetch(`${server.url}${new URL(event.data.exports.document).pathname}`)).status).toBe(401);
    expect((await api(new URL(event.data.exports.document).pathname)).status).toBe(200);
    // Another client cannot see it.
    expect((await api(`/v1/clients/globex/documents/${documentId}`)).status).toBe(404);
  });

  it('ingests a file dropped into the inbox of a client, and reports a bad one with its code', async () => {
    const dir = join(inbox, 'acme');
    mkdirSync(dir, { recursive: true });
    copyFileSync(join(DOCUMENTS, 'sample-invoice.pdf'), join(dir, 'sample-invoice.pdf'));
    copyFileSync(join(DOCUMENTS, 'invalid.pdf'), join(dir, 'broken.pdf'));
    const deadline = Date.now() + 20000;
    const before = receiver.received.length;
    while (receiver.received.length < before + 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await server.idle();
    const events = receiver.received.slice(before).map((h) => JSON.parse(h.body) as { type: string; data: { error?: { code: string } } });
    expect(events.map((e) => e.type).sort()).toEqual(['document.completed', 'document.failed']);
    expect(events.find((e) => e.type === 'document.failed')!.data.error!.code).toBe('PDF_CORRUPT');
    expect(existsSync(join(dir, 'sample-invoice.pdf'))).toBe(false);
    expect(readdirSync(join(dir, '.processed'))).toHaveLength(2);
  });
});
