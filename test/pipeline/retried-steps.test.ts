/**
 * Steps retried after they got part way, end to end (local): a transient failure after the final status was
 * written (announcing), after Register's claim was written (its answer lost), and a document read by the version
 * its event named, not whatever the key holds when a step runs. Each time the client hears exactly once.
 */
import { DocpipeError } from '../../lambdas/domain/errors';
import { markFailed } from '../../lambdas/domain/pipeline/failure';
import { deliveryIdFor, finalEventId } from '../../lambdas/domain/pipeline/notify';
import { registerDocument } from '../../lambdas/domain/pipeline/register';
import type { LocalPipeline } from '../../lambdas/local/pipeline';
import type { DocumentRecord } from '../../lambdas/ports/document-table';
import type { BusEvent } from '../../lambdas/ports/event-bus';
import { addEndpoint, fixture, HookReceiver, newPipeline, statesOf } from './support';

const transient = (code: string) => new DocpipeError(code, `${code} (test, once).`, { retryable: true });

/** Makes `method` of `target` throw `error` once, on the first call that `when` picks (after running it when `after`). */
function failOnce<T extends object, K extends keyof T>(target: T, method: K, error: () => Error, options: { when?: (...args: never[]) => boolean; after?: boolean } = {}): { failed: () => boolean } {
  const real = (target[method] as (...args: unknown[]) => Promise<unknown>).bind(target);
  let done = false;
  (target as Record<K, unknown>)[method] = async (...args: unknown[]) => {
    if (done || (options.when && !options.when(...(args as never[])))) return real(...args);
    done = true;
    if (options.after) await real(...args);
    throw error();
  };
  return { failed: () => done };
}

function tried(run: { trace: { type: string; state?: string; error?: string }[] }, state: string): (string | undefined)[] {
  return run.trace.filter((t) => t.type === 'TaskFailed' && t.state === state).map((t) => t.error);
}

describe('steps retried after they got part way (local)', () => {
  let pipeline: LocalPipeline;
  let receiver: HookReceiver;
  const bus: BusEvent[] = [];

  beforeAll(async () => {
    receiver = new HookReceiver();
    await receiver.start();
    pipeline = newPipeline({ heartbeatMs: 20000 });
    pipeline.bus.subscribe((e) => bus.push(e));
    await addEndpoint(pipeline, 'acme', `${receiver.url}/acme-1`);
    await addEndpoint(pipeline, 'acme', `${receiver.url}/acme-2`);
  });
  afterAll(async () => {
    await pipeline.close();
    await receiver.stop();
  });

  const busOf = (documentId: string) => bus.filter((e) => e.documentId === documentId);
  const hooksOf = (documentId: string) => receiver.forDocument(documentId).map((h) => `${h.path} ${(JSON.parse(h.body) as { type: string }).type} ${h.headers['webhook-id']}`).sort();

  describe('announcing', () => {
    it('BuildExports: the bus failing once after the status was written is retried, and the client is told once per endpoint', async () => {
      const fault = failOnce(pipeline.bus, 'publish', () => transient('EVENT_BUS_UNAVAILABLE'), { when: (events: BusEvent[]) => events.some((e) => e.type === 'document.completed') });
      const outcome = await pipeline.submit(fixture('invoice.png'), { clientId: 'acme', name: 'bus-once.png' });
      expect(fault.failed()).toBe(true);
      expect(outcome.record?.status).toBe('completed');
      const exporter = outcome.runs.find((r) => r.machine === 'export')!;
      expect(exporter.run.status).toBe('SUCCEEDED');
      expect(tried(exporter.run, 'BuildExports')).toEqual(['EVENT_BUS_UNAVAILABLE']);
      expect(statesOf(exporter.run)).toEqual(['BuildExports', 'Deliver', 'StartDelivery', 'StartDelivery']);
      const eventId = finalEventId(outcome.documentId, 'document.completed');
      expect(busOf(outcome.documentId).map((e) => [e.type, e.detail.eventId])).toEqual([['document.completed', eventId]]);
      expect(hooksOf(outcome.documentId)).toEqual([`/acme-1 document.completed ${eventId}`, `/acme-2 document.completed ${eventId}`]);
    });

    it('BuildExports got part way (event published, one delivery recorded): the retry publishes the same event id and records no second delivery', async () => {
      let puts = 0;
      // The second endpoint's delivery, after the event was published and the first delivery recorded.
      const fault = failOnce(pipeline.webhooks.deliveries, 'put', () => transient('TABLE_UNAVAILABLE'), { when: () => ++puts === 2 });
      const outcome = await pipeline.submit(fixture('invoice.png'), { clientId: 'acme', name: 'part-way.png' });
      expect(fault.failed()).toBe(true);
      expect(outcome.record?.status).toBe('completed');
      const exporter = outcome.runs.find((r) => r.machine === 'export')!;
      expect(tried(exporter.run, 'BuildExports')).toEqual(['TABLE_UNAVAILABLE']);
      const eventId = finalEventId(outcome.documentId, 'document.completed');
      // Published by both tries, under one id: a consumer drops the second.
      expect(busOf(outcome.documentId).map((e) => e.detail.eventId)).toEqual([eventId, eventId]);
      expect(hooksOf(outcome.documentId)).toEqual([`/acme-1 document.completed ${eventId}`, `/acme-2 document.completed ${eventId}`]);
      const deliveries = outcome.runs.filter((r) => r.machine === 'webhook-delivery').map((r) => r.name);
      expect(deliveries).toHaveLength(2);
      expect(new Set(deliveries).size).toBe(2);
    });

    it('MarkFailed: the bus failing once after `failed` was written is retried, and the failure is announced once', async () => {
      const fault = failOnce(pipeline.bus, 'publish', () => transient('EVENT_BUS_UNAVAILABLE'), { when: (events: BusEvent[]) => events.some((e) => e.type === 'document.failed') });
      const outcome = await pipeline.submit(fixture('invalid.pdf'), { clientId: 'acme', name: 'broken-bus-once.pdf' });
      expect(fault.failed()).toBe(true);
      expect(outcome.record).toMatchObject({ status: 'failed', reason: { code: 'PDF_CORRUPT' } });
      const extraction = outcome.runs.find((r) => r.machine === 'extraction')!;
      expect(tried(extraction.run, 'MarkFailed')).toEqual(['EVENT_BUS_UNAVAILABLE']);
      expect(statesOf(extraction.run)).toEqual(['Register', 'MarkFailed', 'NotifyFailure', 'StartFailureDelivery', 'StartFailureDelivery', 'DocumentFailed']);
      const eventId = finalEventId(outcome.documentId, 'document.failed');
      expect(busOf(outcome.documentId).map((e) => [e.type, e.detail.eventId])).toEqual([['document.failed', eventId]]);
      expect(hooksOf(outcome.documentId)).toEqual([`/acme-1 document.failed ${eventId}`, `/acme-2 document.failed ${eventId}`]);
    });

    it('MarkFailed again on a failed document announces the recorded failure under the same ids, and never writes over a delivery already made', async () => {
      const outcome = await pipeline.submit(fixture('invalid.pdf'), { clientId: 'acme', name: 'broken-twice.pdf' });
      const record = outcome.record as DocumentRecord;
      const eventId = finalEventId(outcome.documentId, 'document.failed');
      const endpoints = await pipeline.webhooks.endpoints.listForClient('acme');
      const ids = endpoints.map((e) => deliveryIdFor(eventId, e.id));
      const before = await Promise.all(ids.map((id) => pipeline.webhooks.deliveries.get(id)));
      expect(before.map((d) => d?.status)).toEqual(['succeeded', 'succeeded']);

      const again = await markFailed(pipeline.deps, { documentId: outcome.documentId, clientId: 'acme', failure: { Error: 'OTHER_CODE', Cause: 'another reason' } });
      expect(again.deliveries.map((d) => d.deliveryId)).toEqual(ids);
      const after = await Promise.all(ids.map((id) => pipeline.webhooks.deliveries.get(id)));
      expect(after).toEqual(before);
      expect(await pipeline.table.get(outcome.documentId)).toEqual(record);
      const events = busOf(outcome.documentId);
      expect(events.map((e) => e.detail.eventId)).toEqual([eventId, eventId]);
      expect(events[1].detail).toEqual(events[0].detail);
    });

    it('a document completed is not announced as failed', async () => {
      const outcome = await pipeline.submit(fixture('invoice.png'), { clientId: 'acme', name: 'done.png' });
      expect(await markFailed(pipeline.deps, { documentId: outcome.documentId, clientId: 'acme', failure: { Error: 'EVENT_BUS_UNAVAILABLE' } })).toEqual({ deliveries: [] });
      expect(busOf(outcome.documentId).map((e) => e.type)).toEqual(['document.completed']);
      expect((await pipeline.table.get(outcome.documentId))?.status).toBe('completed');
    });
  });

  describe("Register's claim", () => {
    it('written, its answer lost (TABLE_UNAVAILABLE): the retry finds its own claim and goes on', async () => {
      const fault = failOnce(pipeline.table, 'update', () => transient('TABLE_UNAVAILABLE'), { after: true, when: (_id: string, changes: { status?: string }) => changes.status === 'processing' });
      const outcome = await pipeline.submit(fixture('invoice.png'), { clientId: 'acme', name: 'claim-lost.png' });
      expect(fault.failed()).toBe(true);
      expect(outcome.record?.status).toBe('completed');
      const extraction = outcome.runs.find((r) => r.machine === 'extraction')!;
      expect(tried(extraction.run, 'Register')).toEqual(['TABLE_UNAVAILABLE']);
      expect(statesOf(extraction.run)).toEqual(['Register', 'ChooseOcr', 'OcrSync', 'Predict', 'StartExport']);
      expect(receiver.forDocument(outcome.documentId)).toHaveLength(2);
    });

    it('Register ran, Lambda answered Lambda.ServiceException: the retry goes on', async () => {
      let once = true;
      const local = newPipeline({
        heartbeatMs: 20000,
        wrap: {
          RegisterDocumentFunctionArn: (task) => async (input, context) => {
            const output = await task(input, context);
            if (once) {
              once = false;
              throw Object.assign(new Error('Lambda internal error'), { name: 'Lambda.ServiceException' });
            }
            return output;
          },
        },
      });
      try {
        const outcome = await local.submit(fixture('invoice.png'), { clientId: 'acme', name: 'lambda-lost.png' });
        expect(outcome.record?.status).toBe('completed');
        const extraction = outcome.runs.find((r) => r.machine === 'extraction')!;
        expect(tried(extraction.run, 'Register')).toEqual(['Lambda.ServiceException']);
        expect(statesOf(extraction.run)).toContain('StartExport');
      } finally {
        await local.close();
      }
    });

    it('is DOCUMENT_ALREADY_REGISTERED for a final record, another version or other bytes; goes on for its own', async () => {
      const bytes = fixture('invoice.png');
      const info = await pipeline.store.put('clients/acme/claims.png', bytes);
      const input = { clientId: 'acme', key: 'clients/acme/claims.png', version: info.version };
      const now = new Date().toISOString();
      const base: DocumentRecord = { documentId: '', clientId: 'acme', status: 'processing', sourceKey: input.key, sourceVersion: info.version, createdAt: now, updatedAt: now };
      let n = 0;
      const withRecord = async (record: Partial<DocumentRecord>) => {
        const documentId = `doc_claims_${++n}`;
        await pipeline.table.create({ ...base, documentId, ...record });
        return registerDocument(pipeline.deps, { ...input, documentId });
      };
      await expect(withRecord({ status: 'completed' })).rejects.toMatchObject({ code: 'DOCUMENT_ALREADY_REGISTERED' });
      await expect(withRecord({ status: 'failed' })).rejects.toMatchObject({ code: 'DOCUMENT_ALREADY_REGISTERED' });
      await expect(withRecord({ sourceVersion: 'another-version' })).rejects.toMatchObject({ code: 'DOCUMENT_ALREADY_REGISTERED' });
      await expect(withRecord({ sourceKey: 'clients/acme/other.png' })).rejects.toMatchObject({ code: 'DOCUMENT_ALREADY_REGISTERED' });
      await expect(withRecord({ sha256: 'f'.repeat(64) })).rejects.toMatchObject({ code: 'DOCUMENT_ALREADY_REGISTERED' });
      await expect(withRecord({})).resolves.toMatchObject({ ocrMode: 'sync', contentType: 'image/png' });
      await expect(withRecord({ status: 'received' })).resolves.toMatchObject({ ocrMode: 'sync' });
      expect((await pipeline.table.get(`doc_claims_${n}`))?.status).toBe('processing');
    });
  });

  describe('the version the event named', () => {
    it('an older version whose key was overwritten: OBJECT_VERSION_CHANGED, never the newer bytes; the newer one is its own document', async () => {
      const key = 'clients/acme/overwritten.png';
      const older = await pipeline.store.put(key, fixture('invoice.png'));
      const newer = await pipeline.store.put(key, fixture('receipt.jpg'));
      const a = await pipeline.ingest(key, older.version);
      expect(a.record).toMatchObject({ status: 'failed', reason: { code: 'OBJECT_VERSION_CHANGED' }, sourceVersion: older.version });
      expect(a.record?.sha256).toBeUndefined();
      expect(a.record?.exportKeys).toBeUndefined();
      const [hook] = receiver.forDocument(a.documentId);
      expect(JSON.parse(hook.body)).toMatchObject({ type: 'document.failed', data: { error: { code: 'OBJECT_VERSION_CHANGED' } } });
      const b = await pipeline.ingest(key, newer.version);
      expect(b.record).toMatchObject({ status: 'completed', contentType: 'image/jpeg' });
    });

    it('overwritten between Register and OCR: OCR refuses the other bytes', async () => {
      const key = 'clients/acme/swapped.png';
      const local = newPipeline({
        heartbeatMs: 20000,
        wrap: {
          RegisterDocumentFunctionArn: (task) => async (input, context) => {
            const output = await task(input, context);
            await local.store.put(key, fixture('receipt.jpg'));
            return output;
          },
        },
      });
      try {
        const outcome = await local.submit(fixture('invoice.png'), { clientId: 'acme', name: 'swapped.png' });
        expect(outcome.record).toMatchObject({ status: 'failed', reason: { code: 'OBJECT_VERSION_CHANGED' }, contentType: 'image/png' });
        expect(statesOf(outcome.runs.find((r) => r.machine === 'extraction')!.run).slice(0, 4)).toEqual(['Register', 'ChooseOcr', 'OcrSync', 'MarkFailed']);
      } finally {
        await local.close();
      }
    });
  });
});
