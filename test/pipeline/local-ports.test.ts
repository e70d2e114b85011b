/** The local implementations of the ports: encryption at rest (and damage found as such), conditional writes across callers. */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSecret } from '../../lambdas/domain/webhooks/signing';
import { EncryptedObjectStore } from '../../lambdas/local/encrypted-object-store';
import { FileDocumentTable } from '../../lambdas/local/file-document-table';
import { LocalEventBus } from '../../lambdas/local/local-event-bus';
import { KeyFileSecrets } from '../../lambdas/local/webhooks/key-file-secrets';
import { LocalDeliveryStore } from '../../lambdas/local/webhooks/local-delivery-store';
import type { Delivery } from '../../lambdas/ports/delivery-store';
import type { DocumentRecord } from '../../lambdas/ports/document-table';
import { fixture, newPipeline, tempDir } from './support';

describe('EncryptedObjectStore', () => {
  it('keeps neither the content nor the key name in clear on disk, and reads it back', async () => {
    const dir = tempDir();
    const store = new EncryptedObjectStore(join(dir, 'objects'), join(dir, 'key'));
    const secretText = 'Invoice INV-3337 total 93.50 for Sliced Invoices';
    await store.put('clients/acme/secret-invoice.txt', secretText, { contentType: 'text/plain', metadata: { origin: 'test' } });
    for (const name of readdirSync(join(dir, 'objects'))) {
      const raw = readFileSync(join(dir, 'objects', name));
      expect(raw.includes(Buffer.from('INV-3337'))).toBe(false);
      expect(raw.includes(Buffer.from('secret-invoice'))).toBe(false);
    }
    const got = await store.get('clients/acme/secret-invoice.txt');
    expect(Buffer.from(got.bytes).toString()).toBe(secretText);
    expect(got).toMatchObject({ contentType: 'text/plain', metadata: { origin: 'test' } });
    expect(await store.list('clients/acme/')).toEqual(['clients/acme/secret-invoice.txt']);
    expect(await store.head('clients/acme/nothing')).toBeUndefined();
    await expect(store.get('clients/acme/nothing')).rejects.toMatchObject({ code: 'OBJECT_NOT_FOUND' });
  });

  it('keeps only the latest version of a key: reading an older one is OBJECT_VERSION_CHANGED, never the newer bytes', async () => {
    const dir = tempDir();
    const store = new EncryptedObjectStore(join(dir, 'objects'), join(dir, 'key'));
    const first = await store.put('clients/acme/a.pdf', 'first');
    expect(Buffer.from((await store.get('clients/acme/a.pdf', { version: first.version })).bytes).toString()).toBe('first');
    const second = await store.put('clients/acme/a.pdf', 'second');
    expect(second.version).not.toBe(first.version);
    await expect(store.get('clients/acme/a.pdf', { version: first.version })).rejects.toMatchObject({ code: 'OBJECT_VERSION_CHANGED', retryable: false, details: { version: first.version, current: second.version } });
    expect(Buffer.from((await store.get('clients/acme/a.pdf', { version: second.version })).bytes).toString()).toBe('second');
    expect(Buffer.from((await store.get('clients/acme/a.pdf')).bytes).toString()).toBe('second');
  });

  it('detects a changed file, and a file copied over another key', async () => {
    const dir = tempDir();
    const store = new EncryptedObjectStore(join(dir, 'objects'), join(dir, 'key'));
    await store.put('a', 'first');
    await store.put('b', 'second');
    const files = readdirSync(join(dir, 'objects')).filter((n) => n.endsWith('.bin'));
    const contents = files.map((f) => readFileSync(join(dir, 'objects', f)));
    writeFileSync(join(dir, 'objects', files[0]), contents[1]);
    const results = await Promise.allSettled([store.get('a'), store.get('b')]);
    expect(results.filter((r) => r.status === 'rejected').map((r) => ((r as PromiseRejectedResult).reason as { code: string }).code)).toEqual(['LOCAL_OBJECT_TAMPERED']);
    // Another key file cannot read the store.
    const other = new EncryptedObjectStore(join(dir, 'objects'), join(dir, 'other-key'));
    await expect(other.get('a')).rejects.toMatchObject({ code: 'LOCAL_OBJECT_TAMPERED' });
  });
});

describe('a damaged workspace file is a typed error, never a bare crypto error', () => {
  /** The file cut to 0 bytes, to 8 (inside the iv), to 27 (one short of iv + tag), and the file with its last bit flipped. */
  const damages: [string, (sealed: Buffer) => Buffer][] = [
    ['cut to 0 bytes', () => Buffer.alloc(0)],
    ['cut to 8 bytes', (sealed) => sealed.subarray(0, 8)],
    ['cut to 27 bytes', (sealed) => sealed.subarray(0, 27)],
    ['with a bit flipped', (sealed) => Buffer.from(sealed.map((byte, i) => (i === sealed.length - 1 ? byte ^ 1 : byte)))],
  ];

  it.each(damages)('a stored object %s is LOCAL_OBJECT_TAMPERED', async (_, damage) => {
    const dir = tempDir();
    const store = new EncryptedObjectStore(join(dir, 'objects'), join(dir, 'key'));
    await store.put('clients/acme/a.pdf', Buffer.alloc(100, 7));
    const file = join(dir, 'objects', readdirSync(join(dir, 'objects')).find((n) => n.endsWith('.bin'))!);
    writeFileSync(file, damage(readFileSync(file)));
    await expect(store.get('clients/acme/a.pdf')).rejects.toMatchObject({ name: 'DocpipeError', code: 'LOCAL_OBJECT_TAMPERED', retryable: false });
    await expect(store.head('clients/acme/a.pdf')).rejects.toMatchObject({ code: 'LOCAL_OBJECT_TAMPERED' });
  });

  it.each(damages)('a sealed secret %s is LOCAL_SECRET_TAMPERED', async (_, damage) => {
    const dir = tempDir();
    const secrets = new KeyFileSecrets(join(dir, 'secrets'), join(dir, 'local.key'));
    const id = await secrets.put(generateSecret());
    const file = join(dir, 'secrets', `${id}.json`);
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { sealed: string };
    writeFileSync(file, JSON.stringify({ ...stored, sealed: damage(Buffer.from(stored.sealed, 'base64')).toString('base64') }));
    await expect(secrets.get(id)).rejects.toMatchObject({ name: 'DocpipeError', code: 'LOCAL_SECRET_TAMPERED', retryable: false, details: { secretId: id } });
  });

  it('a secret file cut to 0 bytes (no longer JSON) is LOCAL_SECRET_TAMPERED', async () => {
    const dir = tempDir();
    const secrets = new KeyFileSecrets(join(dir, 'secrets'), join(dir, 'local.key'));
    const id = await secrets.put(generateSecret());
    writeFileSync(join(dir, 'secrets', `${id}.json`), '');
    await expect(secrets.get(id)).rejects.toMatchObject({ code: 'LOCAL_SECRET_TAMPERED' });
  });

  it('an original cut to 0 bytes before Register fails its document with LOCAL_OBJECT_TAMPERED (not INTERNAL_ERROR)', async () => {
    const dir = tempDir();
    const key = 'clients/acme/invoice.png';
    const pipeline = newPipeline({
      dir,
      wrap: {
        RegisterDocumentFunctionArn: (task) => async (input, context) => {
          truncateSync(join(dir, 'objects', `${createHash('sha256').update(key).digest('hex')}.bin`), 0);
          return task(input, context);
        },
      },
    });
    try {
      const outcome = await pipeline.submit(fixture('invoice.png'), { clientId: 'acme', name: 'invoice.png' });
      expect(outcome.record).toMatchObject({ status: 'failed', reason: { code: 'LOCAL_OBJECT_TAMPERED' } });
    } finally {
      await pipeline.close();
    }
  });
});

describe('LocalDeliveryStore', () => {
  const delivery = (id: string, payload: string): Delivery => ({ id, eventId: 'evt_1', eventType: 'document.completed', endpointId: 'ep_1', clientId: 'acme', payload, status: 'dead', attempts: [], replays: 0, scheduleOffset: 0, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z' });

  it('seals the payload (the document) at rest, keeps the rest readable, and reads it back', async () => {
    const dir = tempDir();
    const store = new LocalDeliveryStore(join(dir, 'deliveries'), join(dir, 'objects.key'));
    await store.put(delivery('dlv_1', '{"data":{"document":"Invoice INV-3337 total 93.50"}}'));
    const raw = readFileSync(join(dir, 'deliveries', 'dlv_1.json'), 'utf8');
    expect(raw).not.toContain('INV-3337');
    expect(JSON.parse(raw)).toMatchObject({ id: 'dlv_1', status: 'dead', endpointId: 'ep_1' });
    expect((await store.get('dlv_1'))?.payload).toBe('{"data":{"document":"Invoice INV-3337 total 93.50"}}');
    expect((await store.listDead()).map((d) => d.payload)).toEqual(['{"data":{"document":"Invoice INV-3337 total 93.50"}}']);
  });

  it('a payload moved into another delivery\'s record is LOCAL_OBJECT_TAMPERED; a record of an older workspace (payload in clear) still reads', async () => {
    const dir = tempDir();
    const store = new LocalDeliveryStore(join(dir, 'deliveries'), join(dir, 'objects.key'));
    await store.put(delivery('dlv_1', 'first'));
    await store.put(delivery('dlv_2', 'second'));
    const first = JSON.parse(readFileSync(join(dir, 'deliveries', 'dlv_1.json'), 'utf8'));
    const second = JSON.parse(readFileSync(join(dir, 'deliveries', 'dlv_2.json'), 'utf8'));
    writeFileSync(join(dir, 'deliveries', 'dlv_2.json'), JSON.stringify({ ...second, sealedPayload: first.sealedPayload }));
    await expect(store.get('dlv_2')).rejects.toMatchObject({ code: 'LOCAL_OBJECT_TAMPERED' });
    writeFileSync(join(dir, 'deliveries', 'dlv_3.json'), JSON.stringify(delivery('dlv_3', 'legacy')));
    expect((await store.get('dlv_3'))?.payload).toBe('legacy');
  });
});

describe('FileDocumentTable', () => {
  const record = (id: string): DocumentRecord => ({ documentId: id, clientId: 'acme', status: 'received', sourceKey: 'clients/acme/x', sourceVersion: 'v', createdAt: new Date().toISOString(), updatedAt: '' });

  it('creates once, and only one of many concurrent claims moves a document out of received', async () => {
    const dir = tempDir();
    const tables = [new FileDocumentTable(dir), new FileDocumentTable(dir)];
    expect(await Promise.all([tables[0].create(record('d1')), tables[1].create(record('d1'))])).toEqual(expect.arrayContaining([true, false]));
    const claims = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => tables[i % 2].update('d1', { status: 'processing' }, { expectedStatus: ['received'] })));
    expect(claims.filter((c) => c.status === 'fulfilled')).toHaveLength(1);
    expect(claims.filter((c) => c.status === 'rejected').every((c) => ((c as PromiseRejectedResult).reason as { code: string }).code === 'DOCUMENT_STATUS_CONFLICT')).toBe(true);
    await expect(tables[0].update('nope', { status: 'failed' })).rejects.toMatchObject({ code: 'DOCUMENT_NOT_FOUND' });
  });

  it('an undefined value removes the attribute; lists a client newest first and never another client', async () => {
    const table = new FileDocumentTable(tempDir());
    await table.create({ ...record('d1'), taskToken: 't', createdAt: '2026-01-01T00:00:00Z' });
    await table.create({ ...record('d2'), createdAt: '2026-01-02T00:00:00Z' });
    await table.create({ ...record('d3'), clientId: 'globex' });
    expect(await table.update('d1', { taskToken: undefined })).not.toHaveProperty('taskToken');
    expect((await table.listForClient('acme')).map((r) => r.documentId)).toEqual(['d2', 'd1']);
  });

  it('writes on condition of the task token the record holds (null: none), for the one OCR completion that answers it', async () => {
    const table = new FileDocumentTable(tempDir());
    await table.create({ ...record('d1'), status: 'processing', taskToken: 't1' });
    const takes = await Promise.allSettled([0, 1, 2].map(() => table.update('d1', { taskToken: undefined }, { expectedStatus: ['processing'], expectedTaskToken: 't1' })));
    expect(takes.filter((t) => t.status === 'fulfilled')).toHaveLength(1);
    expect(takes.filter((t) => t.status === 'rejected').map((t) => ((t as PromiseRejectedResult).reason as { code: string }).code)).toEqual(['DOCUMENT_STATUS_CONFLICT', 'DOCUMENT_STATUS_CONFLICT']);
    expect(await table.update('d1', { taskToken: 't1' }, { expectedTaskToken: null })).toMatchObject({ taskToken: 't1' });
    await expect(table.update('d1', { taskToken: 't2' }, { expectedTaskToken: null })).rejects.toMatchObject({ code: 'DOCUMENT_STATUS_CONFLICT' });
  });
});

describe('LocalEventBus', () => {
  it('tells subscribers and appends to its log', async () => {
    const dir = tempDir();
    const bus = new LocalEventBus(join(dir, 'events.jsonl'));
    const seen: string[] = [];
    bus.subscribe((e) => seen.push(e.type));
    await bus.publish([{ type: 'document.failed', clientId: 'acme', documentId: 'd1', detail: { error: { code: 'EMPTY_FILE' } } }]);
    expect(seen).toEqual(['document.failed']);
    expect(JSON.parse(readFileSync(join(dir, 'events.jsonl'), 'utf8'))).toMatchObject({ source: 'docpipe', type: 'document.failed', clientId: 'acme' });
  });
});
