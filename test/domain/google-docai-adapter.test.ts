import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectVendor, normalizeResponse } from '../../lambdas/domain/adapters';
import { normalizeGoogleDocai } from '../../lambdas/domain/adapters/google-docai';
import { checkDocument } from '../../lambdas/domain/document';
import { buildTableCsvs } from '../../lambdas/domain/export';

const load = (name: string): any => JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'other-vendors', 'google-docai', name), 'utf8'));

describe('Google Document AI adapter (the second vendor: the same format, nothing vendor-specific downstream)', () => {
  it.each(['pretrained-form-parser-v1.0-2020-09-23_full-output.json', 'toolbox_invoice_test-0.json', 'layout_parser.json'])('%s validates and is detected from its shape', (name) => {
    const raw = load(name);
    expect(detectVendor(raw)).toBe('google-docai');
    const document = normalizeResponse(raw);
    expect(checkDocument(document).issues).toEqual([]);
    expect(document.producer.vendor).toBe('google-docai');
  });

  it('maps tokens to words and lines by text anchor, every token once', () => {
    const raw = load('pretrained-form-parser-v1.0-2020-09-23_full-output.json');
    const page = normalizeGoogleDocai(raw).pages[0];
    expect(page.words).toHaveLength(raw.pages[0].tokens.length);
    expect(page.lines).toHaveLength(raw.pages[0].lines.length);
    expect(page.lines[1].text).toBe('HEALTH INTAKE FORM');
    expect(page.lines[1].wordIds.map((id) => page.words.find((w) => w.id === id)!.text)).toEqual(['HEALTH', 'INTAKE', 'FORM']);
    expect(page).toMatchObject({ width: 1845, height: 2167, unit: 'pixel', orientation: 0 });
    expect(page.ext).toMatchObject({ googleDocai: { image: { mimeType: 'image/png' } } });
  });

  it('maps form fields', () => {
    const page = normalizeGoogleDocai(load('pretrained-form-parser-v1.0-2020-09-23_full-output.json')).pages[0];
    const phone = page.fields.find((f) => f.key.text === 'Phone #')!;
    expect(phone).toMatchObject({ valueType: 'text', value: expect.objectContaining({ text: '(906) 917-3486' }) });
    expect(phone.value.wordIds.length).toBeGreaterThan(0);
  });

  it('maps the table with its header row, and invoice entities to an expense document', () => {
    const document = normalizeGoogleDocai(load('toolbox_invoice_test-0.json'));
    const table = document.pages[0].tables[0];
    expect([table.rows, table.columns]).toEqual([7, 4]);
    expect(table.cells.filter((c) => c.roles.includes('column_header')).map((c) => c.text)).toEqual(['Item Description', 'Quantity', 'Price', 'Amount']);
    expect(buildTableCsvs(document)[0].csv.split('\r\n')[1]).toBe('Tool A,500,$1.00,$500.00');
    const expense = document.expenseDocuments[0];
    expect(expense.summaryFields.find((f) => f.normalizedType === 'total')!.value.text).toBe('2140.00');
    expect(expense.summaryFields.find((f) => f.normalizedType === 'vendor_name')!.value.text).toBe('Company ABC');
    expect(expense.lineItemGroups[0].lineItems[0].fields.map((f) => `${f.normalizedType}=${f.value.text}`)).toEqual(['item=Tool A', 'quantity=500', 'unit_price=1.00', 'price=500.00']);
  });

  it('takes a multi-segment anchor\'s words from its segments only, and keeps the segments\' words apart', () => {
    // The invoice's two address values are each anchored in several places of the text, with other fields between.
    const page = normalizeGoogleDocai(load('toolbox_invoice_test-0.json')).pages[0];
    const text = new Map(page.words.map((w) => [w.id, w.text]));
    const wordsOf = (value: { wordIds: string[] }) => value.wordIds.map((id) => text.get(id)).join(' ');
    const to = page.fields.find((f) => f.value.text.startsWith('TO:'))!;
    expect(to.value.text).toBe('TO: John Doe johndoe@email.com 222 Main Street Anytown, USA');
    expect(wordsOf(to.value)).toBe('TO : John Doe johndoe@email.com 222 Main Street Anytown , USA');
    const from = page.fields.find((f) => f.value.text.startsWith('FROM'))!;
    expect(from.value.text).toBe('FROM user@companyabc.com ADDRESS: 111 Main Street Anytown, USA');
    expect(wordsOf(from.value)).toBe('FROM user@companyabc.com ADDRESS : 111 Main Street Anytown , USA');

    // "A" and "C" are the cell's segments; "B" between them is not in the cell. Touching segments are one text.
    const token = (start: number, end: number) => ({ layout: { textAnchor: { textSegments: [{ startIndex: String(start), endIndex: String(end) }] } } });
    const cellOf = (segments: object[]) => {
      const raw = { text: 'A B C', pages: [{ pageNumber: 1, tokens: [token(0, 1), token(2, 3), token(4, 5)], tables: [{ bodyRows: [{ cells: [{ layout: { textAnchor: { textSegments: segments } } }] }] }] }] };
      const document = normalizeGoogleDocai(raw);
      const words = new Map(document.pages[0].words.map((w) => [w.id, w.text]));
      const cell = document.pages[0].tables[0].cells[0];
      return [cell.text, cell.wordIds.map((id) => words.get(id))];
    };
    expect(cellOf([{ endIndex: '1' }, { startIndex: '4', endIndex: '5' }])).toEqual(['A C', ['A', 'C']]);
    expect(cellOf([{ endIndex: '2' }, { startIndex: '4', endIndex: '5' }])).toEqual(['A C', ['A', 'C']]);
    expect(cellOf([{ endIndex: '3' }, { startIndex: '3', endIndex: '5' }])).toEqual(['A B C', ['A', 'B', 'C']]);
  });

  it('maps a table whose rows hold no cell to an empty 0x0 table, and refuses empty rows past the grid limit', () => {
    const raw = (rows: object[]) => ({ text: 'x', pages: [{ pageNumber: 1, tokens: [{ layout: { textAnchor: { textSegments: [{ endIndex: '1' }] } } }], tables: [{ bodyRows: rows }] }] });
    // 150,000 x 0 before: valid by rows x columns, and a CSV of 3,000,000 empty records.
    const document = normalizeGoogleDocai(raw(Array.from({ length: 150_000 }, () => ({}))));
    expect(document.pages[0].tables[0]).toMatchObject({ rows: 0, columns: 0, cells: [] });
    expect(checkDocument(document).issues).toEqual([]);
    expect(buildTableCsvs(document)[0].csv).toBe('');
    // Empty rows are rows of a table that has cells, up to the limit.
    const cell = { layout: { textAnchor: { textSegments: [{ endIndex: '1' }] } } };
    const small = normalizeGoogleDocai(raw([{}, { cells: [cell] }, {}])).pages[0].tables[0];
    expect([small.rows, small.columns, small.cells[0].row]).toEqual([3, 1, 1]);
    expect(() => normalizeGoogleDocai(raw([{ cells: [cell] }, ...Array.from({ length: 100_000 }, () => ({}))]))).toThrow(
      expect.objectContaining({ code: 'GOOGLE_DOCAI_INVALID_RESPONSE', message: expect.stringMatching(/table of 100001 rows and 1 columns has more than 100000 positions/) }),
    );
  });

  it('gives each token no line holds a line of its own, which a region over those tokens finds', () => {
    const n = 3_000;
    const tokens = Array.from({ length: n }, (_, i) => ({ layout: { textAnchor: { textSegments: [{ startIndex: String(3 * i), endIndex: String(3 * i + 2) }] } } }));
    // The paragraph over the last two tokens finds their lines by where each starts in the text (an index by
    // position, not a search of the tokens per orphan, which grew with the square of the tokens).
    const page = normalizeGoogleDocai({
      text: 'ab '.repeat(n),
      pages: [{ pageNumber: 1, tokens, paragraphs: [{ layout: { textAnchor: { textSegments: [{ startIndex: String(3 * (n - 2)), endIndex: String(3 * n) }] } } }] }],
    }).pages[0];
    expect(page.lines).toHaveLength(n);
    expect(page.lines.every((line) => line.text === 'ab' && line.wordIds.length === 1)).toBe(true);
    expect(page.regions[0].lineIds).toEqual(page.lines.slice(-2).map((l) => l.id));
  });

  it('maps the Layout Parser block tree to regions and lines without geometry', () => {
    const document = normalizeGoogleDocai(load('layout_parser.json'));
    const first = document.pages[0];
    expect(first.regions[0]).toMatchObject({ type: 'title', layer: 'body' });
    expect(first.lines[0].text).toBe('CHAPTER I');
    expect(first.regions[0].regionIds.length).toBeGreaterThan(0);
    expect(document.pages.flatMap((p) => p.regions).filter((r) => r.type === 'header').every((r) => r.layer === 'furniture')).toBe(true);
  });

  // A span far out of range used to be walked position by position (a billion rows hung the adapter), and values of
  // the wrong type crashed it with a TypeError or slipped into the document.
  const cell = 'pages[0].tables[0].bodyRows[0].cells[0]';
  it.each([
    ['a cell spanning a billion rows', (raw: any) => (raw.pages[0].tables[0].bodyRows[0].cells[0].rowSpan = 1e9), `${cell}.rowSpan: Too big: expected number to be <=100000`],
    ['a cell spanning half a row', (raw: any) => (raw.pages[0].tables[0].bodyRows[0].cells[0].rowSpan = 0.5), `${cell}.rowSpan: Invalid input: expected int, received number`],
    ['a span written as a string', (raw: any) => (raw.pages[0].tables[0].bodyRows[0].cells[0].rowSpan = '2'), `${cell}.rowSpan: Invalid input: expected number, received string`],
    ['the text as a number', (raw: any) => (raw.text = 7), 'text: Invalid input: expected string, received number'],
    ['tokens as an object', (raw: any) => (raw.pages[0].tokens = {}), 'pages[0].tokens: Invalid input: expected array, received object'],
    ['a confidence written as a string', (raw: any) => (raw.pages[0].tokens[2].layout.confidence = '0.9'), 'pages[0].tokens[2].layout.confidence: Invalid input: expected number, received string'],
    ['a text offset that is not a number', (raw: any) => (raw.pages[0].tokens[2].layout.textAnchor.textSegments[0].endIndex = 'ten'), 'pages[0].tokens[2].layout.textAnchor.textSegments[0].endIndex'],
    ['a page numbered 0', (raw: any) => (raw.pages[0].pageNumber = 0), 'pages[0].pageNumber: Too small'],
    ['an entity that is null', (raw: any) => (raw.entities[0] = null), 'entities[0]: Invalid input: expected object, received null'],
  ])('rejects %s, naming the place', (_name, spoil, message) => {
    const raw = load('toolbox_invoice_test-0.json');
    spoil(raw);
    expect(() => normalizeGoogleDocai(raw)).toThrow(expect.objectContaining({ code: 'GOOGLE_DOCAI_INVALID_RESPONSE', message: expect.stringContaining(message) }));
  });

  it('rejects a table whose cells together cover more than 100,000 positions', () => {
    const raw = load('toolbox_invoice_test-0.json');
    for (const cell of raw.pages[0].tables[0].bodyRows[0].cells) cell.rowSpan = 40_000;
    expect(() => normalizeGoogleDocai(raw)).toThrow(expect.objectContaining({ code: 'GOOGLE_DOCAI_INVALID_RESPONSE', message: expect.stringMatching(/more than 100000 positions/) }));
  });

  it('rejects a layout block whose text is a list', () => {
    const raw = load('layout_parser.json');
    raw.documentLayout.blocks[0].textBlock.blocks[1].textBlock.text = ['x'];
    expect(() => normalizeGoogleDocai(raw)).toThrow(expect.objectContaining({ code: 'GOOGLE_DOCAI_INVALID_RESPONSE', message: expect.stringContaining('documentLayout.blocks[0].textBlock.blocks[1].textBlock.text') }));
  });

  it('rejects a document without pages', () => {
    expect(() => normalizeGoogleDocai({ text: 'x', pages: [] })).toThrow(expect.objectContaining({ code: 'UNRECOGNISED_RESPONSE' }));
  });
});
