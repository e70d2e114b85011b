import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { degrees, PDFDocument } from 'pdf-lib';
import { checkDocument, type Document, type DocumentWarning } from '../../lambdas/domain/document';
import { inspectDocument } from '../../lambdas/domain/intake/inspect';
import { normalizeTextract } from '../../lambdas/domain/adapters/textract';
import { formFieldsOf, LocalOcrVendor, renderedStructure, structureIn, turnedImage } from '../../lambdas/local/ocr/local-ocr-vendor';
import { ballotBoxForm } from './ballot-boxes';
import { continuedTable } from './continued-table';
import { filledForm } from './filled-form';
import { signedForm } from './signed-form';
import { ORIENTATION_UNDOING, phonePhoto } from './phone-photo';
import { grayscaleTiff } from './tiff';

const DOCS = join(__dirname, '..', 'fixtures', 'documents');
const vendor = new LocalOcrVendor({ workers: 2 });
/** The PDF text layer alone, its pages not rendered: what the words' positions give without the rules. */
const textLayerOnly = new LocalOcrVendor({ workers: 1, pdfImageScale: 0 });
afterAll(() => Promise.all([vendor.close(), textLayerOnly.close()]));

async function recognize(bytes: Uint8Array, name: string, by = vendor): Promise<Document> {
  const inspection = await inspectDocument(bytes);
  const document = await by.recognize({ documentId: name, bytes, contentType: inspection.contentType, sha256: inspection.sha256, name });
  expect(checkDocument(document).issues).toEqual([]);
  expect(document.pages).toHaveLength(inspection.pageCount);
  return document;
}
const text = (d: Document, page = 0) => d.pages[page].lines.map((l) => l.text).join('\n');
/** The invoice scan's field keys that Tesseract spells alike however the page is turned ("P.O.#" comes and goes as "P.0O.#"). */
const INVOICE_KEYS = ['INVOICE #', 'INVOICE DATE', 'DUE DATE', 'Subtotal', 'TOTAL', 'Please make checks payable to:'];

describe('the local OCR vendor on real documents', () => {
  it('OCRs a PNG invoice (words read off the image)', async () => {
    const d = await recognize(new Uint8Array(readFileSync(join(DOCS, 'invoice.png'))), 'invoice.png');
    expect(d.producer).toMatchObject({ vendor: 'tesseract' });
    for (const expected of ['East Repair Inc.', 'Harvest Lane', 'brake cables', 'Subtotal', '$154.06', 'Cambridge']) expect(text(d)).toContain(expected);
    expect(d.pages[0]).toMatchObject({ width: 750, height: 1061, unit: 'pixel' });
    const total = d.pages[0].words.find((w) => w.text === '$154.06')!;
    // The total sits at the right, about 62% down the page (read off the image).
    expect(total.geometry!.box.left).toBeGreaterThan(0.7);
    expect(total.geometry!.box.top).toBeGreaterThan(0.58);
    expect(total.geometry!.box.top).toBeLessThan(0.66);
    expect(total.confidence).toBeGreaterThan(0.5);
  });

  it('OCRs a JPEG receipt, into the lines Textract reads', async () => {
    const d = await recognize(new Uint8Array(readFileSync(join(DOCS, 'receipt.jpg'))), 'receipt.jpg');
    for (const expected of ['MEGA MARKET PLUS', 'SUBTOTAL', 'TOTAL', '$1810.46']) expect(text(d)).toContain(expected);
    // Each row is parted at its wide gaps, as Textract parts it: "SUBTOTAL" and "$1699.96" are two lines, not one.
    const textract = normalizeTextract(JSON.parse(readFileSync(join(DOCS, 'receipt.jpg.textract.json'), 'utf8')));
    const theirs = textract.pages[0].lines.map((l) => l.text);
    const ours = d.pages[0].lines.map((l) => l.text);
    expect(ours).toEqual(expect.arrayContaining(['SUBTOTAL', '$1699.96', 'TOTAL', '$1810.46']));
    // The items (their prices with a tax letter) and the totals are two-column tables, cell for cell Textract's two.
    const cells = (t: { cells: { text: string }[] }) => t.cells.map((c) => c.text);
    expect(d.pages[0].tables.map(cells)).toEqual(textract.pages[0].tables.map(cells));
    // 31 of Textract's 44 lines, word for word (9 when Tesseract's rows were kept whole); the rest differ by OCR.
    const shared = ours.filter((line) => {
      const i = theirs.indexOf(line);
      if (i >= 0) theirs.splice(i, 1);
      return i >= 0;
    });
    expect(shared.length).toBeGreaterThanOrEqual(28);
  });

  it('reads the text layer of born-digital PDFs, every page, without OCR', async () => {
    const invoice = await recognize(new Uint8Array(readFileSync(join(DOCS, 'sample-invoice.pdf'))), 'sample-invoice.pdf');
    expect(invoice.producer.vendor).toBe('pdf-text');
    for (const expected of ['Invoice', 'INV-3337', 'January 25, 2016']) expect(text(invoice)).toContain(expected);
    const multi = await recognize(new Uint8Array(readFileSync(join(DOCS, 'textractor-multipage-doc.pdf'))), 'textractor-multipage-doc.pdf');
    expect(multi.pages.map((p) => p.number)).toEqual([1, 2]);
    expect(text(multi, 0)).toContain('Textractor Test');
    expect(text(multi, 1)).toContain('Textractor Test');
    expect(multi.pages[0]).toMatchObject({ unit: 'point', width: 612, height: 792 });
  });

  it('renders and OCRs a scanned PDF page', async () => {
    const d = await recognize(new Uint8Array(readFileSync(join(DOCS, 'scanned-receipt.pdf'))), 'scanned-receipt.pdf');
    expect(d.producer.vendor).toBe('tesseract');
    expect(text(d)).toMatch(/SUBTOTAL/);
    expect(text(d)).toMatch(/MEGA/);
  });

  it('OCRs every page of a multi-page TIFF', async () => {
    const tiff = await grayscaleTiff([join(DOCS, 'invoice.png'), join(DOCS, 'test.png')]);
    const d = await recognize(tiff, 'two-pages.tiff');
    expect(text(d, 0)).toContain('East Repair Inc.');
    expect(text(d, 1)).toMatch(/Contract Year/);
  });

  it('reads a TIFF page as its Orientation tag shows it', async () => {
    const png = new Uint8Array(readFileSync(join(DOCS, 'invoice.png')));
    // Page 1 stored a quarter turn anticlockwise, tagged 6 (turn it 90 degrees to show it); page 2 tagged mirrored.
    const tiff = await grayscaleTiff([await turnedImage(png, 270), png], [6, 2]);
    const d = await recognize(tiff, 'turned.tiff');
    expect(d.pages[0]).toMatchObject({ orientation: 0, width: 750, height: 1061 });
    expect(text(d, 0)).toContain('East Repair Inc.');
    expect(d.pages[0].fields.map((f) => f.key.text)).toEqual(expect.arrayContaining(INVOICE_KEYS));
    expect(d.pages[1]).toMatchObject({ orientation: 0, width: 750, height: 1061 });
    expect(d.warnings).toEqual([expect.objectContaining({ code: 'IMAGE_MIRRORED', pages: [2] })]);
  });

  it('says PDF_CORRUPT for a PDF that pdfjs cannot read', async () => {
    await expect(vendor.recognize({ documentId: 'x', bytes: new Uint8Array(readFileSync(join(DOCS, 'invalid.pdf'))), contentType: 'application/pdf', sha256: '0'.repeat(64) })).rejects.toMatchObject({ code: 'PDF_CORRUPT' });
  });

  it('says IMAGE_CORRUPT for a PNG whose header is sound and whose body is not, and keeps working after it', async () => {
    // Once crashed the process: tesseract.js rethrew the failed job when no errorHandler was set.
    const png = readFileSync(join(DOCS, 'invoice.png'));
    const broken = new Uint8Array(Buffer.concat([png.subarray(0, 64), Buffer.alloc(4096, 0x5a)]));
    const inspection = await inspectDocument(broken);
    expect(inspection.contentType).toBe('image/png');
    await expect(vendor.recognize({ documentId: 'broken', bytes: broken, contentType: 'image/png', sha256: inspection.sha256 })).rejects.toMatchObject({ code: 'IMAGE_CORRUPT' });
    expect(text(await recognize(new Uint8Array(readFileSync(join(DOCS, 'receipt.jpg'))), 'receipt-after-broken'))).toMatch(/TOTAL/i);
  });

  it('finds line-item tables by their header and aligned columns, and no table where there is none', async () => {
    const tablesOf = async (name: string, by = vendor) => (await recognize(new Uint8Array(readFileSync(join(DOCS, name))), name, by)).pages.flatMap((p) => p.tables);
    const [invoice] = await tablesOf('invoice.png');
    expect(invoice).toMatchObject({ rows: 4, columns: 4, kind: 'semi_structured' });
    const grid = (t: typeof invoice) => Array.from({ length: t.rows }, (_, r) => t.cells.filter((c) => c.row === r).sort((a, b) => a.column - b.column).map((c) => c.text));
    expect(grid(invoice)[0]).toEqual(['QTY', 'DESCRIPTION', 'UNIT PRICE', 'AMOUNT']);
    expect(grid(invoice)[3]).toEqual(['3', 'Labor 3hrs', '5.00', '15.00']);
    expect(invoice.cells.filter((c) => c.row === 0).every((c) => c.roles.includes('column_header'))).toBe(true);
    // Born-digital: the same detector on the PDF text layer's words (the rendering, which finds more, left out).
    const [pdf] = await tablesOf('sample-invoice.pdf', textLayerOnly);
    expect(grid(pdf)).toEqual([
      ['Hrs/Qty', 'Service', 'Rate/Price', 'Adjust', 'Sub Total'],
      ['1.00', 'Web Design', '$85.00', '0.00%', '$85.00'],
    ]);
    // Address blocks beside label/value pairs line up too, but have no header row: not tables. The receipt's tables
    // are its items and its totals, four rows each of a label and a figure.
    expect((await tablesOf('receipt.jpg')).map((t) => [t.rows, t.columns, t.cells[0].text])).toEqual([
      [4, 2, 'LG FLATSCREEN 65'],
      [4, 2, 'SUBTOTAL'],
    ]);
  });

  it('reads a ruled table off the scanned image: the resume, two columns, cells of several lines', async () => {
    const [page] = (await recognize(new Uint8Array(readFileSync(join(DOCS, 'resume.png'))), 'resume.png')).pages;
    expect(page.tables).toHaveLength(1);
    const [table] = page.tables;
    expect(table).toMatchObject({ rows: 7, columns: 2, kind: 'structured' });
    const cell = (row: number, column: number) => table.cells.find((c) => c.row === row && c.column === column)?.text;
    // Read off the image.
    expect([cell(0, 0), cell(0, 1)]).toEqual(['Last Name', 'Doe']);
    expect([cell(2, 0), cell(2, 1)]).toEqual(['Address', '123 Imaginary St, New York, NY']);
    expect(cell(3, 1)).toBe('- Private Detective - Neurosurgeon - Pastry Chef');
    expect(cell(6, 0)).toBe('Weaknesses');
    // Labels beside their values: each row is also a field.
    expect(page.fields.map((f) => [f.key.text, f.value.text])).toEqual(expect.arrayContaining([['Last Name', 'Doe'], ['Address', '123 Imaginary St, New York, NY']]));
    expect(page.fields).toHaveLength(7);
  });

  it('reads the household table of a form whose sections are all boxed, as Textract does (6 x 10)', async () => {
    const [page] = (await recognize(new Uint8Array(readFileSync(join(DOCS, 'form.png'))), 'form.png')).pages;
    const table = page.tables.find((t) => t.kind === 'structured')!;
    expect(table).toMatchObject({ rows: 6, columns: 10 });
    const cell = (row: number, column: number) => table.cells.find((c) => c.row === row && c.column === column)?.text;
    expect([cell(0, 1), cell(1, 0), cell(1, 1), cell(2, 0), cell(2, 1)]).toEqual(['Relationship to You', 'Doe John', 'SELF', 'Doe Jane', 'Spouse']);
    expect(cell(1, 9)).toMatch(/111-22-2333/);
    // Header cells over two columns (Yes / No) keep their span.
    expect(table.cells.filter((c) => c.row === 0 && c.colSpan === 2)).toHaveLength(2);
    // The rows of checkbox options ("TV  Friend  Previous EAP Participant ...") line up too, but are no table.
    expect(page.tables.filter((t) => t.kind === 'semi_structured')).toEqual([]);
  });

  it("reads the labels at the top of a form's boxes over what was written in them, as Textract pairs them", async () => {
    const [page] = (await recognize(new Uint8Array(readFileSync(join(DOCS, 'form.png'))), 'form.png')).pages;
    const pairs = page.fields.map((f) => [f.key.text, f.value.text]);
    // "City  State  Zip" over "Sample Town  MN  12345"; each value goes to the label nearest to it, which need not
    // start where the value starts (the City box starts left of its label). The phone numbers keep Tesseract's "()".
    expect(pairs).toEqual(
      expect.arrayContaining([
        ['[Home Address (include apartment or unit number)', '123 Sample Street'],
        ['City', 'Sample Town'],
        ['State', 'MN'],
        ['Zip', '12345'],
        ['(Home Phone', '() 414-2285'],
        ['E-mail Address', 'johndoe@gmail.com'],
      ]),
    );
    const textract = normalizeTextract(JSON.parse(readFileSync(join(DOCS, 'form.png.textract.json'), 'utf8'))).pages[0].fields.map((f) => [f.key.text, f.value.text]);
    expect(textract).toEqual(expect.arrayContaining([['State', 'MN'], ['Zip', '12345'], ['E-mail Address', 'johndoe@gmail.com']]));
    // The office headings over their addresses, at the top of the form, are no labels.
    expect(pairs.filter(([key]) => /OFFICE|LAS VEGAS/.test(key))).toEqual([]);
  });

  // A page 200 inches wide was rendered whole: 28,800 pixels at 144 DPI for its ink image, 36,000 at 180 DPI for a scan.
  it('renders no PDF page over 10,000 pixels on a side: a wide scan at a smaller scale, a wide text page without its ink image', async () => {
    const pdf = await PDFDocument.create();
    const scan = pdf.addPage([5000, 300]); // 69 inches wide, no text: a scan, read at 2x rather than 2.5x
    scan.drawRectangle({ x: 100, y: 100, width: 300, height: 100, borderWidth: 2 });
    const wide = pdf.addPage([14_400, 400]); // 200 inches wide, with text
    wide.drawText('INVOICE TOTAL 93.50', { x: 72, y: 200, size: 24 });
    const document = await recognize(await pdf.save(), 'wide.pdf');
    expect([document.pages[0].width, document.pages[0].height]).toEqual([10_000, 600]);
    expect(text(document, 1)).toBe('INVOICE TOTAL 93.50');
    expect(document.warnings).toEqual([
      { code: 'IMAGE_ANALYSIS_FAILED', pages: [2], message: expect.stringContaining('the page is 14400 x 400 points, over 10000 pixels on a side at 2x') },
    ]);
  });

  it('reports a page image that cannot be searched instead of failing the page', async () => {
    const words = { blocks: [{ paragraphs: [{ text: 'x', confidence: 90, bbox: { x0: 0, y0: 0, x1: 10, y1: 12 }, lines: [{ text: 'x', confidence: 90, bbox: { x0: 0, y0: 0, x1: 10, y1: 12 }, words: [{ text: 'x', confidence: 90, bbox: { x0: 0, y0: 0, x1: 10, y1: 12 } }] }] }] }] };
    await expect(structureIn('data:image/png;base64,bm90IGEgcG5n', words)).resolves.toEqual({ failure: expect.stringMatching(/\S/) });
  });

  it('finds the checkboxes of a scanned form, their state, and the label beside each', async () => {
    const [page] = (await recognize(new Uint8Array(readFileSync(join(DOCS, 'form.png'))), 'form.png')).pages;
    // Read off the image: 32 boxes, 6 of them marked, and one filled square in a table cell.
    expect(page.selections).toHaveLength(33);
    expect(page.selections.filter((s) => s.selected)).toHaveLength(7);
    const boxes = new Map(page.fields.filter((f) => f.valueType === 'selection').map((f) => [f.key.text, f.selected]));
    for (const label of ['Condo/Townhome', 'Rent $2000', 'Section42']) expect(boxes.get(label)).toBe(true);
    for (const label of ['House', 'Apartment', 'Mobile Home', 'Duplex', 'Studio', 'Section 8', 'Friend', 'Landlord', 'Print Media', 'Social Service Employee']) expect(boxes.get(label)).toBe(false);
    expect([...boxes].find(([label]) => label.startsWith('Utility Company'))?.[1]).toBe(true);
    // Each label stops at the next box: no label runs on into the next option.
    expect([...boxes.keys()].filter((label) => label.includes('Mobile Home') && label !== 'Mobile Home')).toEqual([]);
    const condo = page.fields.find((f) => f.key.text === 'Condo/Townhome')!;
    expect(page.selections.find((s) => s.id === condo.value.selectionIds[0])?.selected).toBe(true);
    // A page without boxes gets none.
    expect((await recognize(new Uint8Array(readFileSync(join(DOCS, 'receipt.jpg'))), 'receipt.jpg')).pages[0].selections).toEqual([]);
  });

  it('finds "Label: value" fields on scans and in the PDF text layer, and none in an address block', async () => {
    const fieldsOf = async (name: string) =>
      (await recognize(new Uint8Array(readFileSync(join(DOCS, name))), name)).pages.map((p) => p.fields.map((f) => [f.key.text, f.value.text, f.valueType]));
    // Born-digital: both pages carry the same two fields (read off the PDF), after their two checkboxes.
    const textractor = await fieldsOf('textractor-multipage-doc.pdf');
    for (const page of textractor) {
      expect(page).toEqual([
        ['Selected Checkbox', '', 'selection'],
        ['Un-Selected Checkbox', '', 'selection'],
        ['Name of package:', 'Textractor', 'text'],
        ['Date :', '08/14/2022', 'text'],
      ]);
    }
    // The born-digital invoice: a label alone on its line over its address block ("From:"), labels beside their
    // values in the ruled tables, the line items' header over its single row, and the bank details' numbers after
    // their number signs. Each pair is one Textract reads off the same PDF (17 of its 22: Textract also pairs up some
    // prose).
    const invoice = (await fieldsOf('sample-invoice.pdf'))[0].map(([key, value]) => [key, value]);
    const textract = normalizeTextract(JSON.parse(readFileSync(join(DOCS, 'sample-invoice.pdf.textract.json'), 'utf8'))).pages[0].fields.map((f) => [f.key.text, f.value.text]);
    expect(invoice).toHaveLength(17);
    expect(invoice).toContainEqual(['BSB #', '4321 432']);
    for (const pair of invoice) expect(textract).toContainEqual(pair);
    expect(invoice).toContainEqual(['From:', 'DEMO - Sliced Invoices Suite 5A-1204 123 Somewhere Street Your City AZ 12345 admin@slicedinvoices.com']);
    expect(invoice).toContainEqual(['Invoice Number', 'INV-3337']);
    expect(invoice).toContainEqual(['Service', 'Web Design This is a sample description...']);
    // The scan: "3787 Pineview Drive:" (an address line misread with a colon) is not a field.
    const [scan] = await fieldsOf('invoice.png');
    expect(scan).toEqual([
      // Labels ending in a number sign, their values in the next cell ("P.O.#" as Tesseract reads it).
      ['INVOICE #', 'US-001', 'text'],
      ['P.0O.#', '231212019', 'text'],
      ['Please make checks payable to:', 'East Repair Inc.', 'text'],
      // Labels beside figures, apart on their lines (read off the image), or at the right of the sender's address;
      // the title "invoice" beside the logo is not one.
      ['INVOICE DATE', '11/02/2019', 'text'],
      ['DUE DATE', '26/02/2019', 'text'],
      ['Subtotal', '145.00', 'text'],
      ['TOTAL', '$154.06', 'text'],
    ]);
    // The receipt's header numbers, totals and payment lines: each pair one Textract reads off the same image.
    const [receipt] = await fieldsOf('receipt.jpg');
    const byTextract = normalizeTextract(JSON.parse(readFileSync(join(DOCS, 'receipt.jpg.textract.json'), 'utf8'))).pages[0].fields.map((f) => [f.key.text, f.value.text]);
    expect(receipt.map(([key]) => key)).toEqual(['ST#', 'OP#', 'TE#', 'TR#', 'APPROVAL #', 'REF #', 'TERMINAL #', 'SUBTOTAL', 'TAX', 'TOTAL', 'TEND', 'ACCOUNT #', 'CHANGE DUE']);
    // (Tesseract reads the masked card number and the reference's last letter differently: those two values differ.)
    for (const [key, value] of receipt.filter(([key]) => !['ACCOUNT #', 'REF #'].includes(key as string))) expect(byTextract).toContainEqual([key, value]);
  });

  it('reads the ruled tables and checkboxes of a born-digital PDF off its rendering: the same tables as Textract', async () => {
    const grids = (d: Document) => d.pages.flatMap((p) => p.tables.map((t) => Array.from({ length: t.rows }, (_, r) => t.cells.filter((c) => c.row === r).sort((a, b) => a.column - b.column).map((c) => c.text))));
    const invoice = await recognize(new Uint8Array(readFileSync(join(DOCS, 'sample-invoice.pdf'))), 'sample-invoice.pdf');
    // Textract's reading of the same PDF (its three tables: the invoice details, the line items, the totals).
    const textract = normalizeTextract(JSON.parse(readFileSync(join(DOCS, 'sample-invoice.pdf.textract.json'), 'utf8')));
    const byTop = (d: Document) => grids({ ...d, pages: d.pages.map((p) => ({ ...p, tables: [...p.tables].sort((a, b) => a.geometry!.box.top - b.geometry!.box.top) })) });
    expect(byTop(invoice)).toEqual(byTop(textract));
    expect(byTop(invoice)[1][1]).toEqual(['1.00', 'Web Design This is a sample description...', '$85.00', '0.00%', '$85.00']);
    // The header row the words' positions found is kept when the rules frame the same words.
    const items = invoice.pages[0].tables.find((t) => t.columns === 5)!;
    expect(items.cells.filter((c) => c.roles.includes('column_header')).map((c) => c.text)).toEqual(['Hrs/Qty', 'Service', 'Rate/Price', 'Adjust', 'Sub Total']);
    // Layout regions off the lines and font sizes: the title, one region per table, the page number as furniture.
    const regions = invoice.pages[0].regions;
    const lineText = new Map(invoice.pages[0].lines.map((l) => [l.id, l.text]));
    expect(regions.filter((r) => r.type === 'title').map((r) => r.lineIds.map((id) => lineText.get(id)))).toEqual([['Invoice']]);
    expect(regions.filter((r) => r.type === 'table').flatMap((r) => r.tableIds).sort()).toEqual(invoice.pages[0].tables.map((t) => t.id).sort());
    expect(regions.find((r) => r.type === 'page_number')).toMatchObject({ layer: 'furniture', lineIds: [invoice.pages[0].lines.find((l) => l.text === 'Page 1/1')!.id] });
    expect(regions.map((r) => r.order)).toEqual(regions.map((_, i) => i));
    // The lines a reader sees, as Textract reads them: parted at wide gaps ("Invoice Number" | "INV-3337"), the
    // diagonal "Paid" stamp a line of its own (it once made a band that swallowed the totals beside it). Textract also
    // reads the logo, an image, and reads "|" as "I".
    const lines = invoice.pages[0].lines.map((l) => l.text);
    const textractLines = textract.pages[0].lines.map((l) => l.text);
    expect([...lines.filter((l) => l !== 'Paid'), 'Sliced/Invoices'].map((l) => l.replace(' | ', ' I ')).sort()).toEqual([...textractLines].sort());
    expect(lines).toContain('Paid');
    // The address beside the invoice details is a block of its own, after the title, in reading order.
    const texts = (r: (typeof regions)[number]) => r.lineIds.map((id) => lineText.get(id));
    expect(regions.slice(0, 4).map((r) => [r.type, texts(r)[0]])).toEqual([
      ['title', 'Invoice'],
      ['paragraph', 'From:'],
      ['table', 'Invoice Number'],
      ['paragraph', 'To:'],
    ]);
    expect(texts(regions[1])).toEqual(['From:', 'DEMO - Sliced Invoices', 'Suite 5A-1204', '123 Somewhere Street', 'Your City AZ 12345', 'admin@slicedinvoices.com']);

    const textractor = await recognize(new Uint8Array(readFileSync(join(DOCS, 'textractor-multipage-doc.pdf'))), 'textractor-multipage-doc.pdf');
    const cells = Array.from({ length: 3 }, (_, r) => Array.from({ length: 5 }, (_, c) => `Cell ${r * 5 + c + 1}`));
    expect(grids(textractor)).toEqual([cells, cells]);
    for (const page of textractor.pages) {
      expect(page.selections.map((s) => s.selected)).toEqual([true, false]);
      // Items the PDF writer split with nothing between them are one word.
      expect(page.lines.map((l) => l.text)).toContain('Un-Selected Checkbox');
    }
  });

  it('gets a PDF from its worker one page at a time: the next page waits until the last one is taken', async () => {
    const worker = new Worker(join(__dirname, '..', '..', 'lambdas', 'local', 'ocr', 'pdf-worker.mjs'));
    try {
      const messages: { id: number; page?: { number: number; image?: { grey: Uint8Array } }; done?: boolean }[] = [];
      let arrived: () => void = () => undefined;
      worker.on('message', (m) => {
        messages.push(m);
        arrived();
      });
      const next = () => new Promise<void>((resolve) => (arrived = resolve));
      const first = next();
      worker.postMessage({ id: 7, bytes: new Uint8Array(readFileSync(join(DOCS, 'textractor-multipage-doc.pdf'))) });
      await first;
      expect(messages.map((m) => m.page?.number)).toEqual([1]);
      expect(messages[0].page!.image!.grey.length).toBeGreaterThan(0);
      // Not taken yet: page 2 is not rendered, however long the caller takes.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(messages).toHaveLength(1);
      let more = next();
      worker.postMessage({ id: 7, ack: true });
      await more;
      expect(messages[1]).toMatchObject({ id: 7, page: { number: 2 } });
      more = next();
      worker.postMessage({ id: 7, ack: true });
      await more;
      expect(messages[2]).toEqual({ id: 7, done: true });
    } finally {
      await worker.terminate();
    }
  });

  it('links a ruled table that a page break splits: the foot of page 1 continues at the head of page 2', async () => {
    const document = await recognize(await continuedTable(), 'continued-table.pdf');
    const [first, second] = document.pages.map((p) => p.tables);
    expect(first).toHaveLength(1);
    expect(second).toHaveLength(1);
    expect(first[0]).toMatchObject({ rows: 3, columns: 3, continuesTo: second[0].id });
    expect(second[0]).toMatchObject({ rows: 2, columns: 3, continuesFrom: first[0].id });
    expect(second[0].cells.filter((c) => c.row === 0).map((c) => c.text)).toEqual(['Honey jar', '1', '9.25']);
  });

  it('reads several PDFs at once through its one worker, each as it reads alone', async () => {
    const names = ['sample-invoice.pdf', 'textractor-multipage-doc.pdf', 'sample-invoice.pdf'];
    const alone = [];
    for (const name of names) alone.push(await recognize(new Uint8Array(readFileSync(join(DOCS, name))), name));
    const together = await Promise.all(names.map((name) => recognize(new Uint8Array(readFileSync(join(DOCS, name))), name)));
    const shape = (d: Document) => d.pages.map((p) => [p.lines.map((l) => l.text), p.tables.map((t) => t.cells.map((c) => c.text)), p.selections.length, p.fields.length]);
    expect(together.map(shape)).toEqual(alone.map(shape));
  });

  it('reads a PDF page displayed turned (/Rotate 90) as authored, and turns its boxes to where a viewer shows them', async () => {
    const source = await PDFDocument.load(readFileSync(join(DOCS, 'sample-invoice.pdf')));
    source.getPage(0).setRotation(degrees(90));
    const [turned] = (await recognize(await source.save(), 'turned.pdf')).pages;
    const [upright] = (await recognize(new Uint8Array(readFileSync(join(DOCS, 'sample-invoice.pdf'))), 'sample-invoice.pdf')).pages;
    // The same reading: lines, tables and fields.
    expect(turned.lines.map((l) => l.text)).toEqual(upright.lines.map((l) => l.text));
    expect(turned.tables.map((t) => t.cells.map((c) => c.text))).toEqual(upright.tables.map((t) => t.cells.map((c) => c.text)));
    expect(turned.fields.map((f) => [f.key.text, f.value.text])).toEqual(upright.fields.map((f) => [f.key.text, f.value.text]));
    // Displayed a quarter turn clockwise: wider than tall, text running downwards, each box turned with the page.
    expect(turned).toMatchObject({ orientation: 90, width: upright.height, height: upright.width });
    const box = (page: typeof turned) => page.words.find((w) => w.text === 'INV-3337')!.geometry!.box;
    expect(box(turned).left).toBeCloseTo(1 - box(upright).top - box(upright).height, 6);
    expect(box(turned).top).toBeCloseTo(box(upright).left, 6);
    expect(box(turned).width).toBeCloseTo(box(upright).height, 6);
  });

  it('reads a scan uploaded sideways or upside down the right way up, and keeps its boxes on the image as uploaded', async () => {
    const bytes = new Uint8Array(readFileSync(join(DOCS, 'invoice.png')));
    const [upright] = (await recognize(bytes, 'invoice.png')).pages;
    for (const turn of [270, 180] as const) {
      // The invoice turned `turn` degrees clockwise: its text runs upwards (270) or right to left (180).
      const [page] = (await recognize(await turnedImage(bytes, turn), `invoice-${turn}.png`)).pages;
      expect(page).toMatchObject({ orientation: turn, width: turn === 180 ? 750 : 1061, height: turn === 180 ? 1061 : 750 });
      // The same reading as upright: the lines, the line-item table and the fields.
      for (const expected of ['East Repair Inc.', 'brake cables', 'Subtotal', '$154.06']) expect(text({ pages: [page] } as Document)).toContain(expected);
      expect(page.tables.map((t) => `${t.rows}x${t.columns}`)).toEqual(upright.tables.map((t) => `${t.rows}x${t.columns}`));
      expect(page.fields.map((f) => f.key.text)).toEqual(expect.arrayContaining(INVOICE_KEYS));
      // The total is where it is on the turned image: at the right, 62% down, turned with the page.
      const box = page.words.find((w) => w.text === '$154.06')!.geometry!.box;
      const uprightBox = upright.words.find((w) => w.text === '$154.06')!.geometry!.box;
      if (turn === 180) {
        expect(box.left).toBeCloseTo(1 - uprightBox.left - uprightBox.width, 2);
        expect(box.top).toBeCloseTo(1 - uprightBox.top - uprightBox.height, 2);
      } else {
        expect(box.left).toBeCloseTo(uprightBox.top, 2);
        expect(box.top).toBeCloseTo(1 - uprightBox.left - uprightBox.width, 2);
      }
    }
  });

  it('reads a phone photo as its EXIF orientation shows it, whichever byte order the tag is written in', async () => {
    const png = new Uint8Array(readFileSync(join(DOCS, 'invoice.png')));
    const [upright] = (await recognize(await phonePhoto(png, 0, 1, 'MM'), 'invoice.jpg')).pages;
    for (const [storedTurn, byteOrder] of [[270, 'MM'], [90, 'II']] as const) {
      // The camera stored the pixels turned; the tag says how to turn them back (tesseract.js alone honours only "MM").
      const photo = await phonePhoto(png, storedTurn, ORIENTATION_UNDOING[storedTurn], byteOrder);
      const document = await recognize(photo, `invoice-${storedTurn}-${byteOrder}.jpg`);
      const [page] = document.pages;
      // As a viewer shows it: upright, taller than wide, its boxes on the photo as shown.
      expect(page).toMatchObject({ orientation: 0, width: 750, height: 1061 });
      expect(document.warnings).toEqual([]);
      for (const expected of ['East Repair Inc.', 'brake cables', 'Subtotal', '$154.06']) expect(text(document)).toContain(expected);
      expect(page.tables.map((t) => `${t.rows}x${t.columns}`)).toEqual(upright.tables.map((t) => `${t.rows}x${t.columns}`));
      expect(page.fields.map((f) => f.key.text)).toEqual(expect.arrayContaining(INVOICE_KEYS));
      const box = page.words.find((w) => w.text === '$154.06')!.geometry!.box;
      const uprightBox = upright.words.find((w) => w.text === '$154.06')!.geometry!.box;
      expect(box.left).toBeCloseTo(uprightBox.left, 2);
      expect(box.top).toBeCloseTo(uprightBox.top, 2);
    }
  });

  it('reads a photo tagged as stored mirrored as stored, and says so', async () => {
    const png = new Uint8Array(readFileSync(join(DOCS, 'invoice.png')));
    const document = await recognize(await phonePhoto(png, 0, 2, 'II'), 'mirrored.jpg');
    expect(document.pages[0]).toMatchObject({ orientation: 0, width: 750, height: 1061 });
    expect(document.warnings).toEqual([expect.objectContaining({ code: 'IMAGE_MIRRORED', pages: [1] })]);
    expect(text(document)).toContain('East Repair Inc.');
  });

  it('reads a skewed scan straightened, and keeps its boxes where the words slant on the image as uploaded', async () => {
    const bytes = new Uint8Array(readFileSync(join(DOCS, 'invoice.png')));
    const [upright] = (await recognize(bytes, 'invoice.png')).pages;
    // The invoice turned 8 degrees clockwise on a canvas large enough to hold it, as a page fed in askew.
    const { createCanvas, loadImage } = await import('@napi-rs/canvas');
    const image = await loadImage(Buffer.from(bytes));
    const angle = (8 * Math.PI) / 180;
    const [width, height] = [Math.ceil(750 * Math.cos(angle) + 1061 * Math.sin(angle)), Math.ceil(750 * Math.sin(angle) + 1061 * Math.cos(angle))];
    const canvas = createCanvas(width, height);
    const context = canvas.getContext('2d');
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, width, height);
    context.translate(width / 2, height / 2);
    context.rotate(angle);
    context.drawImage(image, -375, -530.5);
    const [page] = (await recognize(new Uint8Array(await canvas.encode('png')), 'invoice-skewed.png')).pages;
    // Read as upright, with the line-item table (read as it was uploaded, the invoice skewed 6 degrees lost its table
    // and a third of its words, and at 10 degrees every word).
    for (const expected of ['East Repair Inc.', 'brake cables', 'Subtotal', '$154.06']) expect(text({ pages: [page] } as Document)).toContain(expected);
    expect(page.tables.map((t) => `${t.rows}x${t.columns}`)).toEqual(upright.tables.map((t) => `${t.rows}x${t.columns}`));
    expect(page).toMatchObject({ orientation: 0, width, height });
    // The total's centre is the upright total's centre turned 8 degrees about the invoice's centre.
    const centre = (box: { left: number; top: number; width: number; height: number }, w: number, h: number) => [(box.left + box.width / 2) * w, (box.top + box.height / 2) * h];
    const [ux, uy] = centre(upright.words.find((w) => w.text === '$154.06')!.geometry!.box, 750, 1061);
    const [x, y] = centre(page.words.find((w) => w.text === '$154.06')!.geometry!.box, width, height);
    expect(x).toBeCloseTo(width / 2 + (ux - 375) * Math.cos(angle) - (uy - 530.5) * Math.sin(angle), -1); // within 5 px
    expect(y).toBeCloseTo(height / 2 + (ux - 375) * Math.sin(angle) + (uy - 530.5) * Math.cos(angle), -1);
  });

  it('reads checkboxes written as characters ("☐ Yes ☒ No") as selections with their state and label, not as words', async () => {
    const [page] = (await recognize(await ballotBoxForm(), 'ballot-boxes.pdf')).pages;
    expect(page.lines.map((l) => l.text)).toEqual(['Insurance questionnaire', 'Do you smoke?', 'Yes', 'No', 'Any prior claims?', 'Yes', 'No']);
    expect(page.words.filter((w) => /[\u2610-\u2612]/u.test(w.text))).toEqual([]);
    // Four boxes, in reading order, each with the field its label makes.
    expect(page.selections.map((s) => s.selected)).toEqual([false, true, true, false]);
    expect(page.fields.map((f) => [f.key.text, f.valueType, f.selected])).toEqual([
      ['Yes', 'selection', false],
      ['No', 'selection', true],
      ['Yes', 'selection', true],
      ['No', 'selection', false],
    ]);
    // The first box stands where the glyph is drawn: 200 points from the left of a 612-point page, 9.6 points wide.
    expect(page.selections[0].geometry!.box.left).toBeCloseTo(200 / 612, 3);
    expect(page.selections[0].geometry!.box.width).toBeCloseTo(9.6 / 612, 3);
  });

  it('reads the signature fields of a PDF form: a signed one holds a signature, keyed by its printed label', async () => {
    const bytes = await signedForm();
    const [page] = (await recognize(bytes, 'signed-form.pdf')).pages;
    expect(page.signatures.map((s) => s.vendorIds)).toEqual([['tenant.signature']]);
    expect(page.fields.map((f) => [f.key.text, f.valueType, f.value.signatureIds.length, f.vendorIds])).toEqual([
      ['Tenant signature:', 'signature', 1, ['tenant.signature']],
      ['Witness signature:', 'empty', 0, ['witness.signature']],
    ]);
    // The signature stands in its box: 180 points from the left of the page, 180 wide.
    expect(page.signatures[0].geometry!.box.left).toBeCloseTo(180 / 612, 3);
    expect(page.signatures[0].geometry!.box.width).toBeCloseTo(180 / 612, 3);
    // Not rendered, a page cannot tell a signed field from an empty one: both are keys without a value, none invented.
    const [unrendered] = (await recognize(bytes, 'signed-form.pdf', textLayerOnly)).pages;
    expect(unrendered.signatures).toEqual([]);
    expect(unrendered.fields.map((f) => [f.key.text, f.valueType])).toEqual([
      ['Tenant signature:', 'empty'],
      ['Witness signature:', 'empty'],
    ]);
  });

  it('keeps the text of a PDF page whose form fields could not be read, and says so', () => {
    const warnings: DocumentWarning[] = [];
    const page = { number: 3, width: 612, height: 792, items: [{ str: 'Name:', x: 0, y: 0, width: 30, height: 12 }] };
    expect(formFieldsOf({ ...page, formFieldsFailure: 'FormatError: bad /Kids' }, warnings)).toEqual([]);
    expect(warnings).toEqual([{ code: 'FORM_FIELDS_UNREAD', pages: [3], message: expect.stringContaining('bad /Kids') }]);
    const field = { name: 'n', label: '', kind: 'text' as const, value: 'Ann', x: 40, y: 0, width: 100, height: 14 };
    expect(formFieldsOf({ ...page, formFields: [field] }, warnings)).toEqual([field]);
    expect(warnings).toHaveLength(1);
  });

  it('keeps the text of a PDF page whose rendering failed, and says so', () => {
    const warnings: DocumentWarning[] = [];
    const page = { number: 2, width: 612, height: 792, items: [{ str: 'x', x: 0, y: 0, width: 10, height: 12 }] };
    expect(renderedStructure({ ...page, imageFailure: 'Error: font not found' }, warnings)).toBeUndefined();
    expect(warnings).toEqual([{ code: 'IMAGE_ANALYSIS_FAILED', pages: [2], message: expect.stringContaining('font not found') }]);
    // A rendering that is found wanting (here: a width that does not match its pixels) fails the same way.
    expect(renderedStructure({ ...page, image: { width: 10, height: 10, grey: new Uint8Array(3) } }, warnings)).toBeUndefined();
    expect(warnings).toHaveLength(2);
    // A blank rendering: nothing found, nothing said.
    expect(renderedStructure({ ...page, image: { width: 1224, height: 1584, grey: new Uint8Array(1224 * 1584).fill(255) } }, warnings)).toEqual({ checkboxes: [], rulings: [], width: 1224, height: 1584 });
    expect(warnings).toHaveLength(2);
  });

  it('reads the answers of a filled PDF form from its fields, keyed by the printed labels', async () => {
    const document = await recognize(await filledForm(), 'filled-form.pdf');
    const [page] = document.pages;
    const fields = page.fields.map((f) => [f.key.text, f.value.text, f.valueType, f.selected ?? null, f.vendorIds]);
    expect(fields).toEqual(
      expect.arrayContaining([
        // Text boxes: the label left of the box, or above it; an empty box is a key with an empty value.
        ['Full name:', 'Jane Q. Doe', 'text', null, ['applicant.name']],
        ['Date of birth:', '04/12/1988', 'text', null, ['applicant.born']],
        ['Email address', 'jane@example.com', 'text', null, ['applicant.email']],
        ['Referral code:', '', 'empty', null, ['applicant.referral']],
        // A drop-down: the option shown.
        ['Country:', 'France', 'text', null, ['applicant.country']],
        // Checkboxes and radio buttons, each with the label right of it; the radio group as one answer.
        ['Newsletter', '', 'selection', true, ['prefs.newsletter']],
        ['Paper statements', '', 'selection', false, ['prefs.paper']],
        ['Basic', '', 'selection', false, ['plan']],
        ['Premium', '', 'selection', true, ['plan']],
        ['Plan:', 'Premium', 'selection', true, ['plan']],
      ]),
    );
    expect(fields).toHaveLength(10);
    // The answers are words of the page, where their boxes show them: the page reads as it looks. A box stands apart
    // from its label, so the answer is a line of its own beside it, as Textract reads a filled form.
    const line = (text: string) => page.lines.find((l) => l.text === text)!.geometry!.box;
    expect(line('Jane Q. Doe').top).toBeCloseTo(line('Full name:').top, 2);
    expect(line('France').left).toBeGreaterThan(line('Country:').left);
    expect(page.lines.map((l) => l.text)).toContain('jane@example.com');
    // The rendered page shows the same four buttons: each is one selection element, not two.
    expect(page.selections.map((s) => [s.selected, s.vendorIds])).toEqual([
      [true, ['prefs.newsletter']],
      [false, ['prefs.paper']],
      [false, ['plan']],
      [true, ['plan']],
    ]);
    expect(page.tables).toEqual([]);
  });
});
