/**
 * End to end on real documents, locally: the three state machines, the real handlers, Tesseract and the pdf text
 * layer, the in-process page model, a signed webhook to a real receiver on 127.0.0.1.
 */
import { Webhook } from 'standardwebhooks';
import { validateDocument, type Document } from '../../lambdas/domain/document';
import { WebhookEvent } from '../../lambdas/domain/webhooks/events';
import type { LocalPipeline } from '../../lambdas/local/pipeline';
import { addEndpoint, fixture, HookReceiver, newPipeline, statesOf } from './support';

describe('docpipe end to end on real documents (local)', () => {
  let pipeline: LocalPipeline;
  let receiver: HookReceiver;
  let secret: string;

  beforeAll(async () => {
    receiver = new HookReceiver();
    await receiver.start();
    pipeline = newPipeline();
    ({ secret } = await addEndpoint(pipeline, 'acme', `${receiver.url}/acme`));
  });
  afterAll(async () => {
    await pipeline.close();
    await receiver.stop();
  });

  async function process(name: string) {
    const outcome = await pipeline.submit(fixture(name), { clientId: 'acme', name });
    const hooks = receiver.forDocument(outcome.documentId);
    expect(hooks).toHaveLength(1);
    // Signed with the endpoint's secret (Standard Webhooks), verified as a receiver would.
    const verified = new Webhook(secret).verify(hooks[0].body, hooks[0].headers as Record<string, string>);
    // The event id travels in the webhook-id header (Standard Webhooks), the body holds type, timestamp, data.
    const event = WebhookEvent.parse({ id: hooks[0].headers['webhook-id'], ...(verified as object) });
    expect(event.data.clientId).toBe('acme');
    const document: Document = validateDocument(event.data.document);
    const text = document.pages.flatMap((p) => p.lines.map((l) => l.text)).join('\n');
    const exported = validateDocument(JSON.parse((await pipeline.documentJson(outcome.record!))!));
    expect(exported.pages.length).toBe(document.pages.length);
    return { outcome, event, document, text };
  }

  it('invoice.png: sync OCR, the words on the page, classed invoice, completed, webhook signed', async () => {
    const { outcome, event, document, text } = await process('invoice.png');
    expect(outcome.record).toMatchObject({ status: 'completed', clientId: 'acme', contentType: 'image/png', pageCount: 1 });
    expect(event.type).toBe('document.completed');
    expect(text).toMatch(/East Repair/);
    expect(text).toMatch(/US-001/);
    expect(text).toMatch(/Harvest Lane/);
    expect(document.pages[0].predictions?.label).toBe('invoice');
    const extraction = outcome.runs.find((r) => r.machine === 'extraction')!;
    expect(statesOf(extraction.run)).toEqual(['Register', 'ChooseOcr', 'OcrSync', 'Predict', 'StartExport']);
    expect(extraction.run.transitions).toBe(5);
    const exporter = outcome.runs.find((r) => r.machine === 'export')!;
    expect(statesOf(exporter.run)).toEqual(['BuildExports', 'Deliver', 'StartDelivery']);
    const webhook = outcome.runs.find((r) => r.machine === 'webhook-delivery')!;
    expect(webhook.run.transitions).toBe(3);
    // The line items, found by their aligned columns under a header, exported as CSV, listed in the event.
    expect(document.pages[0].tables).toHaveLength(1);
    expect(event.data.exports.tables).toHaveLength(1);
    const [table] = outcome.record!.exportKeys!.tables;
    const csv = Buffer.from((await pipeline.store.get(table.key)).bytes).toString('utf8');
    expect(csv.split('\r\n')[0]).toBe('QTY,DESCRIPTION,UNIT PRICE,AMOUNT');
    expect(csv).toMatch(/^1,Front and rear brake cables,100\.00,100\.00\r?$/m);
    expect(csv.trim().split(/\r?\n/)).toHaveLength(4);
  });

  it('receipt.jpg: the store and the phone number, classed receipt', async () => {
    const { outcome, document, text } = await process('receipt.jpg');
    expect(outcome.record?.contentType).toBe('image/jpeg');
    expect(text).toMatch(/MEGA MARKET/);
    expect(text).toMatch(/800-532-2918/);
    expect(document.pages[0].predictions?.label).toBe('receipt');
  });

  it('paystub.jpg (a small 85 DPI scan, read again enlarged): the earnings statement, classed paystub', async () => {
    const { document, text } = await process('paystub.jpg');
    expect(text).toMatch(/Earnings Statement/);
    expect(text).toMatch(/ANY COMPANY CORP/);
    // Read at its own size, Tesseract garbled these ("Soci Security", "Eamings"), and the page was classed report.
    expect(text).toMatch(/Social Security Number/);
    // A label and its date are two lines, as Textract reads them, and one field.
    expect(text).toMatch(/Period ending:\n7\/18\/2008/);
    expect(document.pages[0].fields.map((f) => [f.key.text, f.value.text])).toContainEqual(['Period ending:', '7/18/2008']);
    expect(document.pages[0]).toMatchObject({ width: 706, height: 914 });
    expect(document.pages[0].predictions).toMatchObject({ label: 'paystub', needsReview: false });
    // At 85 DPI bold letters are about checkbox size: none of them is taken for one.
    expect(document.pages[0].selections).toEqual([]);
    // The earnings table stands beside the benefits table on the same lines; it is read as Textract reads it.
    const earnings = document.pages[0].tables.find((t) => t.cells.some((c) => c.text === 'Earnings'))!;
    expect(earnings).toMatchObject({ rows: 6, columns: 5 });
    const row = (r: number) => earnings.cells.filter((c) => c.row === r).sort((a, b) => a.column - b.column).map((c) => c.text);
    expect(row(0)).toEqual(['Earnings', 'rate', 'hours', 'this period', 'year to date']);
    expect(row(1)).toEqual(['Regular', '10.00', '32.00', '320.00', '16,640.00']);
    expect(row(3)).toEqual(['Holiday', '10.00', '8.00', '80.00', '4,160.00']);
    // The deductions have no header row: rows of a label and figures, prose beside them.
    const deductions = document.pages[0].tables.find((t) => t.cells.some((c) => c.text === 'Social Security Tax'))!;
    expect(deductions).toMatchObject({ columns: 3 });
    expect(deductions.rows).toBeGreaterThanOrEqual(10);
    expect(deductions.cells.filter((c) => c.row === 1).map((c) => c.text)).toEqual(['Social Security Tax', '-28.05', '1,458.60']);
    // The benefits go on over the blank line beside the earnings' "Tuition" row, to "Title", as Textract reads them.
    const benefits = document.pages[0].tables.find((t) => t.cells.some((c) => c.text === 'Group Term Life'))!;
    expect(benefits).toMatchObject({ rows: 6, columns: 3 });
    expect(benefits.cells.filter((c) => c.column === 0).sort((a, b) => a.row - b.row).map((c) => c.text)).toEqual(['Information', 'Group Term Life', 'Loan Amt Paid', 'Vac Hrs', 'Sick Hrs', 'Title']);
  });

  it('sample-invoice.pdf: the async path (task token answered by the completion handler), classed invoice', async () => {
    const { outcome, document, text } = await process('sample-invoice.pdf');
    expect(outcome.record).toMatchObject({ status: 'completed', contentType: 'application/pdf' });
    expect(text).toMatch(/INV-3337/);
    expect(text).toMatch(/Sliced Invoices/);
    expect(document.pages[0].predictions?.label).toBe('invoice');
    const extraction = outcome.runs.find((r) => r.machine === 'extraction')!;
    expect(statesOf(extraction.run)).toEqual(['Register', 'ChooseOcr', 'OcrAsync', 'Predict', 'StartExport']);
    expect(extraction.run.trace.some((t) => t.type === 'TaskTokenAnswered' && t.state === 'OcrAsync')).toBe(true);
    expect(outcome.record?.taskToken).toBeUndefined();
  });

  it('textractor-multipage-doc.pdf: both pages, in order', async () => {
    const { outcome, document, text, event } = await process('textractor-multipage-doc.pdf');
    expect(outcome.record?.pageCount).toBe(2);
    expect(document.pages.map((p) => p.number)).toEqual([1, 2]);
    expect(event.data.pages).toHaveLength(2);
    expect(text).toMatch(/Textractor/);
    expect(document.pages.every((p) => p.predictions !== null)).toBe(true);
  });
});
