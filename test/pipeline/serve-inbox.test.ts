/** `docpipe serve` robustness: an inbox that takes only complete regular files and survives bad entries, and a restart that leaves no accepted document open. */
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../../lambdas/local/cli/serve';
import { LocalExecutionStarter } from '../../lambdas/local/local-executions';
import { LocalPipeline } from '../../lambdas/local/pipeline';
import { documentIdFor } from '../../lambdas/domain/pipeline/identity';
import { addEndpoint, fixture, HookReceiver, tempDir } from './support';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(done: () => boolean | Promise<boolean>, ms = 15000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(25);
  }
}

describe('docpipe serve inbox', () => {
  let server: RunningServer;
  let inbox: string;
  let logged: string[];
  let write: jest.SpyInstance;

  beforeAll(async () => {
    logged = [];
    const original = process.stderr.write.bind(process.stderr);
    write = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
      logged.push(String(chunk));
      return original(chunk, ...(rest as []));
    });
    inbox = tempDir('docpipe-inbox-');
    // Settles after 400 ms; uploads over 100 KB refused (the real limit is 500 MB).
    server = await startServer({ port: 0, workspace: tempDir(), inbox, inboxPollMs: 30, inboxSettleMs: 400, maxUploadBytes: 100_000, pipeline: { waitMs: 1 } });
  });
  afterAll(async () => {
    await server.close();
    write.mockRestore();
  });

  it('takes a file only once it is complete: one written in two halves with a pause is ingested whole', async () => {
    const dir = join(inbox, 'acme');
    mkdirSync(dir, { recursive: true });
    const bytes = fixture('invoice.png');
    const file = join(dir, 'slow.png');
    writeFileSync(file, bytes.subarray(0, 10000));
    await sleep(250); // several polls: the half file must not be taken
    expect(existsSync(file)).toBe(true);
    appendFileSync(file, bytes.subarray(10000));
    await until(() => !existsSync(file));
    await server.idle();
    const records = await server.pipeline.table.listForClient('acme');
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ status: 'completed', sizeBytes: bytes.length });
  });

  it('refuses symlinks (broken or pointing outside) and over-limit files with a recorded reason, and keeps serving', async () => {
    const dir = join(inbox, 'globex');
    mkdirSync(dir, { recursive: true });
    const outside = join(tempDir('docpipe-private-'), 'private.png');
    writeFileSync(outside, fixture('invoice.png'));
    symlinkSync(outside, join(dir, 'x.png'));
    symlinkSync(join(dir, 'gone.png'), join(dir, 'broken.png'));
    writeFileSync(join(dir, 'big.pdf'), Buffer.alloc(100_001, 1));
    await until(() => readdirSync(dir).filter((n) => !n.startsWith('.')).length === 0);
    await sleep(100); // a few more polls: a crash would surface here

    const rejected = readdirSync(join(dir, '.rejected'));
    const reason = (name: string) => readFileSync(join(dir, '.rejected', rejected.find((n) => n.endsWith(`-${name}.error.txt`))!), 'utf8');
    expect(reason('x.png')).toMatch(/^INBOX_SYMLINK_REFUSED: /);
    expect(reason('broken.png')).toMatch(/^INBOX_SYMLINK_REFUSED: /);
    expect(reason('big.pdf')).toMatch(/^INBOX_FILE_TOO_LARGE: .*100001 bytes/);
    expect(logged.join('')).toMatch(/inbox globex\/broken\.png: INBOX_SYMLINK_REFUSED/);
    expect(logged.join('')).toMatch(/inbox globex\/big\.pdf: INBOX_FILE_TOO_LARGE/);
    // Nothing of the linked file reached the client, and the link's target is untouched.
    expect(await server.pipeline.table.listForClient('globex')).toHaveLength(0);
    expect(readFileSync(outside)).toEqual(fixture('invoice.png'));
    const res = await fetch(`${server.url}/v1/clients/globex/documents`, { headers: { authorization: `Bearer ${server.token}` } });
    expect(res.status).toBe(200);
  });
});

describe('docpipe serve restart', () => {
  const SERVE_UPLOAD = { contentType: 'application/octet-stream', metadata: { 'docpipe-serve': '1' } };
  let receiver: HookReceiver;
  beforeAll(async () => {
    receiver = new HookReceiver();
    await receiver.start();
  });
  afterAll(() => receiver.stop());

  it('records an accepted upload before answering 202, even while the queue is full', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const server = await startServer({ port: 0, workspace: tempDir(), pipeline: { waitMs: 1, wrap: { RegisterDocumentFunctionArn: () => async () => {
      await gate;
      throw new Error('held, then failed: no OCR needed here');
    } } } });
    try {
      const post = () => fetch(`${server.url}/v1/clients/acme/documents?name=i.png`, { method: 'POST', headers: { authorization: `Bearer ${server.token}` }, body: new Uint8Array(fixture('invoice.png')) });
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) ids.push(((await (await post()).json()) as { documentId: string }).documentId);
      const third = await fetch(`${server.url}/v1/clients/acme/documents/${ids[2]}`, { headers: { authorization: `Bearer ${server.token}` } });
      expect(third.status).toBe(200);
      expect(await third.json()).toMatchObject({ status: 'received' });
    } finally {
      release();
      await server.idle();
      await server.close();
    }
  });

  it('on start, runs accepted uploads that never ran and fails interrupted ones as SERVER_INTERRUPTED, telling the client', async () => {
    const workspace = tempDir();
    const before = new LocalPipeline({ dir: workspace });
    await addEndpoint(before, 'acme', `${receiver.url}/acme`);
    const bytes = fixture('invoice.png');
    const now = new Date().toISOString();
    // Stored and answered 202, then serve stopped before its record was written.
    const unrecorded = await before.store.put('clients/acme/1-a-unrecorded.png', bytes, SERVE_UPLOAD);
    // Recorded `received`, stopped before its execution started.
    const received = await before.store.put('clients/acme/2-b-received.png', bytes, SERVE_UPLOAD);
    const receivedId = documentIdFor('acme', received.key, received.version);
    await before.table.create({ documentId: receivedId, clientId: 'acme', status: 'received', sourceKey: received.key, sourceVersion: received.version, createdAt: now, updatedAt: now });
    // Processing, its execution (named by the document id) claimed: it cannot run a second time.
    const processing = await before.store.put('clients/acme/3-c-processing.png', bytes, SERVE_UPLOAD);
    const processingId = documentIdFor('acme', processing.key, processing.version);
    await before.table.create({ documentId: processingId, clientId: 'acme', status: 'processing', sourceKey: processing.key, sourceVersion: processing.version, createdAt: now, updatedAt: now });
    await new LocalExecutionStarter('extraction', () => { throw new Error('stopped'); }, join(workspace, 'executions'), () => undefined).start(processingId, {}).catch(() => undefined);
    await before.close();

    const server = await startServer({ port: 0, workspace, pipeline: { waitMs: 1, webhookScheduleSeconds: [0, 1] } });
    try {
      await server.idle();
      const status = async (id: string) => (await server.pipeline.table.get(id))?.status;
      expect(await status(documentIdFor('acme', unrecorded.key, unrecorded.version))).toBe('completed');
      expect(await status(receivedId)).toBe('completed');
      expect(await server.pipeline.table.get(processingId)).toMatchObject({ status: 'failed', reason: { code: 'SERVER_INTERRUPTED', message: expect.stringMatching(/upload it again/) } });
      const [hook] = receiver.forDocument(processingId);
      expect(JSON.parse(hook.body)).toMatchObject({ type: 'document.failed', data: { error: { code: 'SERVER_INTERRUPTED' } } });
    } finally {
      await server.close();
    }
  });
});
