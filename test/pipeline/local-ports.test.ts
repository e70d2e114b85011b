/** The local implementations of the ports: encryption at rest, conditional writes across callers. */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EncryptedObjectStore } from '../../lambdas/local/encrypted-object-store';
import { FileDocumentTable } from '../../lambdas/local/file-document-table';
import { LocalEventBus } from '../../lambdas/local/local-event-bus';
import type { DocumentRecord } from '../../lambdas/ports/document-table';
import { tempDir } from './support';

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
