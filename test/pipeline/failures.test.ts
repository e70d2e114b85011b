/**
 * Failure paths end to end: each document ends in the right status with the right code, the client hears about it
 * (event on the bus and signed webhook), the original stays where it was, and duplicates start nothing.
 */
import { Webhook } from 'standardwebhooks';
import type { Document, Page, PagePrediction } from '../../lambdas/domain/document';
import { DocpipeError } from '../../lambdas/domain/errors';
import type { BusEvent } from '../../lambdas/ports/event-bus';
import type { OcrRequest, OcrVendor } from '../../lambdas/ports/ocr-vendor';
import type { PageModel } from '../../lambdas/ports/page-model';
import { InProcessPageModel } from '../../lambdas/local/in-process-page-model';
import type { LocalPipeline } from '../../lambdas/local/pipeline';
import { LocalOcrVendor } from '../../lambdas/local/ocr/local-ocr-vendor';
import { addEndpoint, fixture, HookReceiver, newPipeline, statesOf } from './support';

/** The real local OCR, throwing OCR_THROTTLED (as the Textract port does on ThrottlingException) while `throttles` > 0. */
class ThrottlingVendor implements OcrVendor {
  readonly name = 'tesseract';
  throttles = 0;
  calls = 0;
  hang = false;
  constructor(private readonly real: LocalOcrVendor) {}
  async recognize(request: OcrRequest): Promise<Document> {
    this.calls++;
    if (this.hang) return new Promise<Document>(() => undefined);
    if (this.throttles > 0) {
      this.throttles--;
      throw new DocpipeError('OCR_THROTTLED', 'Rate exceeded (test).', { retryable: true });
    }
    return this.real.recognize(request);
  }
  close(): Promise<void> {
    return this.real.close();
  }
}

class FlakyPageModel implements PageModel {
  down = false;
  calls = 0;
  private readonly real = new InProcessPageModel();
  async predict(pages: readonly Page[]): Promise<PagePrediction[]> {
    this.calls++;
    if (this.down) throw new Error('connect ECONNREFUSED 127.0.0.1:8080');
    return this.real.predict(pages);
  }
}

describe('failure paths, end to end (local)', () => {
  let pipeline: LocalPipeline;
  let receiver: HookReceiver;
  let secret: string;
  let vendor: ThrottlingVendor;
  let model: FlakyPageModel;
  const bus: BusEvent[] = [];

  beforeAll(async () => {
    receiver = new HookReceiver();
    await receiver.start();
    vendor = new ThrottlingVendor(new LocalOcrVendor({ workers: 1 }));
    model = new FlakyPageModel();
    // Long enough for a loaded CI machine to OCR a page (a slow job must not pass for a lost one), short enough for the lost-completion test.
    pipeline = newPipeline({ ocr: vendor, pageModel: model, heartbeatMs: 3000 });
    pipeline.bus.subscribe((e) => bus.push(e));
    ({ secret } = await addEndpoint(pipeline, 'acme', `${receiver.url}/acme`));
  });
  afterAll(async () => {
    await pipeline.close();
    await receiver.stop();
  });
  beforeEach(() => {
    vendor.throttles = 0;
    vendor.hang = false;
    model.down = false;
  });

  async function expectFailed(name: string, bytes: Buffer, code: string) {
    const calls = vendor.calls;
    const outcome = await pipeline.submit(bytes, { clientId: 'acme', name });
    expect(outcome.record).toMatchObject({ status: 'failed', reason: { code } });
    expect(outcome.record!.reason!.message.length).toBeGreaterThan(10);
    // No OCR was paid for.
    expect(vendor.calls).toBe(calls);
    // The client hears it twice: on the bus and by a signed webhook carrying the code.
    expect(bus.filter((e) => e.documentId === outcome.documentId).map((e) => e.type)).toEqual(['document.failed']);
    const [hook] = receiver.forDocument(outcome.documentId);
    const event = new Webhook(secret).verify(hook.body, hook.headers as Record<string, string>) as { type: string; data: { status: string; error: { code: string } } };
    expect(event).toMatchObject({ type: 'document.failed', data: { status: 'failed', error: { code } } });
    // The original is where it was uploaded, unchanged.
    expect(Buffer.from((await pipeline.store.get(`clients/acme/${name}`)).bytes).equals(bytes)).toBe(true);
    const extraction = outcome.runs.find((r) => r.machine === 'extraction')!;
    expect(extraction.run.status).toBe('FAILED');
    expect(extraction.run.error?.name).toBe('DOCUMENT_FAILED');
    return { outcome, extraction };
  }

  it('a corrupt PDF fails with PDF_CORRUPT in 5 transitions', async () => {
    const { extraction } = await expectFailed('broken.pdf', fixture('invalid.pdf'), 'PDF_CORRUPT');
    expect(statesOf(extraction.run)).toEqual(['Register', 'MarkFailed', 'NotifyFailure', 'StartFailureDelivery', 'DocumentFailed']);
  });

  it('a zero-byte file fails with EMPTY_FILE', async () => {
    await expectFailed('empty.png', Buffer.alloc(0), 'EMPTY_FILE');
  });

  it('a text file renamed .pdf fails with UNSUPPORTED_TYPE (judged by its bytes, not its name)', async () => {
    await expectFailed('notes.pdf', Buffer.from('Meeting notes\nNot a PDF at all.\n'), 'UNSUPPORTED_TYPE');
  });

  it('OCR throttled twice, then succeeds: retried by the state machine, completed, one webhook', async () => {
    vendor.throttles = 2;
    const calls = vendor.calls;
    const outcome = await pipeline.submit(fixture('invoice.png'), { clientId: 'acme', name: 'throttled-invoice.png' });
    expect(outcome.record?.status).toBe('completed');
    expect(vendor.calls - calls).toBe(3);
    const extraction = outcome.runs.find((r) => r.machine === 'extraction')!;
    expect(extraction.run.trace.filter((t) => t.type === 'TaskFailed' && t.state === 'OcrSync').map((t) => t.error)).toEqual(['OCR_THROTTLED', 'OCR_THROTTLED']);
    expect(extraction.run.trace.filter((t) => t.type === 'StateRetried')).toHaveLength(2);
    expect(receiver.forDocument(outcome.documentId)).toHaveLength(1);
  });

  it('OCR throttled without end: after the retries, failed with OCR_THROTTLED', async () => {
    vendor.throttles = 100;
    const outcome = await pipeline.submit(fixture('receipt.jpg'), { clientId: 'acme', name: 'always-throttled.jpg' });
    expect(outcome.record).toMatchObject({ status: 'failed', reason: { code: 'OCR_THROTTLED' } });
    // MaxAttempts 5 in the ASL: the first call and five retries.
    expect(100 - vendor.throttles).toBe(6);
  });

  it('the page model failing: the document goes on without predictions and ends needs_review, text intact', async () => {
    model.down = true;
    const outcome = await pipeline.submit(fixture('sample-invoice.pdf'), { clientId: 'acme', name: 'no-model.pdf' });
    expect(outcome.record).toMatchObject({ status: 'needs_review', reason: { code: 'PAGE_MODEL_FAILED' } });
    expect(model.calls).toBeGreaterThanOrEqual(4); // first try and three retries
    const [hook] = receiver.forDocument(outcome.documentId);
    const event = new Webhook(secret).verify(hook.body, hook.headers as Record<string, string>) as { type: string; data: { document: Document } };
    expect(event.type).toBe('document.needs_review');
    expect(event.data.document.warnings.map((w) => w.code)).toContain('PAGE_MODEL_FAILED');
    expect(event.data.document.pages[0].predictions).toBeNull();
    expect(event.data.document.pages[0].lines.map((l) => l.text).join(' ')).toMatch(/INV-3337/);
    const extraction = outcome.runs.find((r) => r.machine === 'extraction')!;
    expect(statesOf(extraction.run)).toEqual(['Register', 'ChooseOcr', 'OcrAsync', 'Predict', 'StartExport']);
  });

  it('a lost async OCR completion: the heartbeat timeout retries once, then the document fails with TASK_TIMEOUT', async () => {
    vendor.hang = true;
    const outcome = await pipeline.submit(fixture('textractor-multipage-doc.pdf'), { clientId: 'acme', name: 'lost.pdf' });
    expect(outcome.record).toMatchObject({ status: 'failed', reason: { code: 'TASK_TIMEOUT' } });
    const extraction = outcome.runs.find((r) => r.machine === 'extraction')!;
    expect(extraction.run.trace.filter((t) => t.type === 'TaskFailed' && t.state === 'OcrAsync').map((t) => t.error)).toEqual(['States.HeartbeatTimeout', 'States.HeartbeatTimeout']);
  });

  it('the same object ingested twice (one after the other and at once) starts one run and sends one webhook', async () => {
    const bytes = fixture('sample-invoice.pdf');
    const info = await pipeline.store.put('clients/acme/dup.pdf', bytes);
    const first = await pipeline.ingest('clients/acme/dup.pdf', info.version);
    const [again, concurrent] = await Promise.all([pipeline.ingest('clients/acme/dup.pdf', info.version), pipeline.ingest('clients/acme/dup.pdf', info.version)]);
    expect(first.ingest).toBe('started');
    expect([again.ingest, concurrent.ingest]).toEqual(['duplicate', 'duplicate']);
    expect(again.documentId).toBe(first.documentId);
    expect(pipeline.runs.filter((r) => r.machine === 'extraction' && r.name === first.documentId)).toHaveLength(1);
    expect(receiver.forDocument(first.documentId)).toHaveLength(1);
    // A new version of the object is a new document.
    const v2 = await pipeline.store.put('clients/acme/dup.pdf', Buffer.concat([bytes, Buffer.from('\n')]));
    expect((await pipeline.ingest('clients/acme/dup.pdf', v2.version)).documentId).not.toBe(first.documentId);
  });

  it("a client's endpoints only receive that client's documents", async () => {
    const globex = await addEndpoint(pipeline, 'globex', `${receiver.url}/globex`);
    const a = await pipeline.submit(fixture('textractor-multipage-doc.pdf'), { clientId: 'acme', name: 'for-acme.pdf' });
    const g = await pipeline.submit(fixture('textractor-multipage-doc.pdf'), { clientId: 'globex', name: 'for-globex.pdf' });
    const g2 = await pipeline.submit(fixture('invalid.pdf'), { clientId: 'globex', name: 'broken-globex.pdf' });
    const byPath = (path: string) => receiver.received.filter((h) => h.path === path).map((h) => JSON.parse(h.body) as { data: { clientId: string; documentId: string } });
    expect(byPath('/globex').map((e) => e.data.documentId).sort()).toEqual([g.documentId, g2.documentId].sort());
    expect(byPath('/globex').every((e) => e.data.clientId === 'globex')).toBe(true);
    expect(byPath('/acme').every((e) => e.data.clientId === 'acme')).toBe(true);
    expect(byPath('/acme').map((e) => e.data.documentId)).toContain(a.documentId);
    expect(byPath('/acme').map((e) => e.data.documentId)).not.toContain(g.documentId);
    // And globex's signatures verify with globex's secret only.
    const hook = receiver.received.find((h) => h.path === '/globex')!;
    expect(() => new Webhook(globex.secret).verify(hook.body, hook.headers as Record<string, string>)).not.toThrow();
    expect(() => new Webhook(secret).verify(hook.body, hook.headers as Record<string, string>)).toThrow();
  });
});
