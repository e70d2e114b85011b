import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeResponse } from '../../lambdas/domain/adapters';
import { normalizeTextract } from '../../lambdas/domain/adapters/textract';
import { malformedParts } from '../../lambdas/domain/adapters/textract/response-schema';
import { checkDocument, validateDocument, type Document } from '../../lambdas/domain/document';
import { DocpipeError } from '../../lambdas/domain/errors';

const FIXTURES = join(__dirname, '..', 'fixtures');
const load = (path: string): any => JSON.parse(readFileSync(join(FIXTURES, path), 'utf8'));
const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value));

/** Every Textract fixture, with the error code expected where the response is not a finished, complete result. */
const ALL = [
  ...readdirSync(join(FIXTURES, 'textract')).map((name) => `textract/${name}`),
  ...readdirSync(join(FIXTURES, 'documents')).filter((name) => name.endsWith('.textract.json')).map((name) => `documents/${name}`),
];
const EXPECTED_ERRORS: Record<string, string> = {
  'textract/gib.json': 'TEXTRACT_INCOMPLETE_RESULT',
  'textract/test-failed-response.json': 'TEXTRACT_JOB_FAILED',
  'textract/test-inprogress-response.json': 'TEXTRACT_JOB_IN_PROGRESS',
};

/** Counts read straight off the raw blocks, independently of the adapter. */
function rawCounts(raw: any) {
  const seen = new Map<string, any>();
  const blocks = [...(raw.Blocks ?? []), ...(raw.ExpenseDocuments ?? []).flatMap((e: any) => e.Blocks ?? [])];
  for (const block of blocks) if (!seen.has(block.Id)) seen.set(block.Id, block);
  const all = [...seen.values()];
  const of = (type: string) => all.filter((b) => b.BlockType === type);
  const coveredByMerge = new Set(of('MERGED_CELL').flatMap((m) => (m.Relationships ?? []).flatMap((r: any) => r.Ids)));
  return {
    words: of('WORD').length,
    lines: of('LINE').length,
    tables: of('TABLE').length,
    cells: of('CELL').filter((c) => !coveredByMerge.has(c.Id)).length + of('MERGED_CELL').length,
    fields: of('KEY_VALUE_SET').filter((b) => b.EntityTypes?.includes('KEY')).length + of('KEY').length,
    selections: of('SELECTION_ELEMENT').length,
    signatures: of('SIGNATURE').length,
    queries: of('QUERY').length,
    regions: all.filter((b) => String(b.BlockType).startsWith('LAYOUT_')).length,
    expenses: (raw.ExpenseDocuments ?? []).length,
  };
}

function counts(document: Document) {
  const sum = (pick: (page: Document['pages'][number]) => number) => document.pages.reduce((n, page) => n + pick(page), 0);
  return {
    words: sum((p) => p.words.length),
    lines: sum((p) => p.lines.length),
    tables: sum((p) => p.tables.length),
    cells: sum((p) => p.tables.reduce((n, t) => n + t.cells.length, 0)),
    fields: sum((p) => p.fields.length),
    selections: sum((p) => p.selections.length),
    signatures: sum((p) => p.signatures.length),
    queries: document.queries.length,
    regions: sum((p) => p.regions.length),
    expenses: document.expenseDocuments.length,
  };
}

describe('Textract adapter over every fixture', () => {
  it.each(ALL)('%s', (path) => {
    const raw = load(path);
    // The schema that names the place of a malformed response finds nothing wrong in a real one.
    expect(malformedParts(raw)).toBeUndefined();
    if (EXPECTED_ERRORS[path]) {
      expect(() => normalizeTextract(raw)).toThrow(expect.objectContaining({ code: EXPECTED_ERRORS[path] }));
      return;
    }
    const document = normalizeTextract(raw);
    const result = checkDocument(document);
    expect(result.issues).toEqual([]);
    expect(counts(document)).toEqual(rawCounts(raw));

    for (const page of document.pages) {
      // Every word in exactly one line (the validator checks it too; asserted here in its own words).
      const owners = new Map<string, number>();
      for (const line of page.lines) for (const id of line.wordIds) owners.set(id, (owners.get(id) ?? 0) + 1);
      expect(page.words.every((word) => owners.get(word.id) === 1)).toBe(true);
      // Every box lies within the page.
      const boxes = [...page.words, ...page.lines, ...page.tables, ...page.regions, ...page.selections].flatMap((e) => (e.geometry ? [e.geometry.box] : []));
      for (const box of boxes) {
        expect(box.left).toBeGreaterThanOrEqual(0);
        expect(box.top).toBeGreaterThanOrEqual(0);
        expect(box.left + box.width).toBeLessThanOrEqual(1 + 1e-9);
        expect(box.top + box.height).toBeLessThanOrEqual(1 + 1e-9);
      }
      // Confidence normalised, raw kept.
      for (const word of page.words) if (word.rawConfidence !== undefined) expect(word.confidence).toBeCloseTo(word.rawConfidence / 100, 9);
    }
    // Nothing downstream needs to know the vendor, but provenance keeps it.
    expect(document.producer.vendor).toBe('textract');
  });
});

describe('spot checks read off the raw responses', () => {
  const form1005 = normalizeTextract(load('textract/form1005-response.json'));
  const page = form1005.pages[0];

  it('maps a merged header cell to one logical cell with its span and role', () => {
    const table = page.tables.find((t) => t.titles.some((title) => title.text === '12B. Gross Earnings'))!;
    expect(table).toBeDefined();
    const header = table.cells.find((cell) => cell.row === 0 && cell.column === 0)!;
    expect(header).toMatchObject({ text: '12B. Gross Earnings', rowSpan: 1, colSpan: 4, roles: ['title'] });
    const overtime = table.cells.find((cell) => cell.text === 'Overtime')!;
    expect(overtime).toMatchObject({ row: 3, column: 0, rowSpan: 2, colSpan: 1 });
    // The cells under a merged cell are not emitted a second time.
    expect(table.cells.filter((cell) => cell.row === 0 && cell.column < 4)).toHaveLength(1);
    expect(table.footers[0].text).toMatch(/^20\. Remarks/);
    expect(table.kind).toBe('structured');
  });

  it('answers queries with alias', () => {
    const query = form1005.queries.find((q) => q.alias === 'form_type')!;
    expect(query.question).toBe('What is the form type?');
    expect(query.answers.map((a) => a.text)).toEqual(['Form 1005']);
    expect(query.answers[0].confidence).toBeCloseTo(0.98, 5);
    expect(form1005.queries.find((q) => q.alias === 'employer_name')!.answers[0].text).toBe('Alejandro Rosalez');
  });

  it('keeps checkboxes and signatures inside values', () => {
    const annual = page.fields.find((f) => f.key.text === 'Annual')!;
    expect(annual).toMatchObject({ valueType: 'selection', selected: true });
    expect(annual.value.selectionIds).toHaveLength(1);
    expect(page.selections.find((s) => s.id === annual.value.selectionIds[0])!.selected).toBe(true);
    expect(page.fields.find((f) => f.key.text === 'Hourly')!.selected).toBe(false);
    const lender = page.fields.find((f) => f.key.text === '3. Signature of Lender')!;
    expect(lender.valueType).toBe('mixed');
    expect(lender.value.text).toBe('Carlos Salazar');
    expect(lender.value.signatureIds).toHaveLength(1);
    expect(page.signatures.map((s) => s.id)).toContain(lender.value.signatureIds[0]);
  });

  it('keeps a key whose value is empty', () => {
    const field = page.fields.find((f) => f.key.text === '15. If paid hourly - average hours per week 40 hours')!;
    expect(field).toMatchObject({ valueType: 'empty', value: expect.objectContaining({ text: '', wordIds: [] }) });
  });

  it('maps layout regions in reading order, furniture apart', () => {
    expect(page.regions.map((r) => r.order)).toEqual(page.regions.map((_, i) => i));
    expect(page.regions[0]).toMatchObject({ type: 'title', layer: 'body' });
    expect(page.regions.filter((r) => r.layer === 'furniture').map((r) => r.type).sort()).toEqual(['footer', 'page_number']);
    const keyValue = page.regions.filter((r) => r.type === 'key_value');
    expect(keyValue.reduce((n, r) => n + r.fieldIds.length, 0)).toBeGreaterThan(30);
  });

  it('never duplicates a word that a LINE and a CELL share', () => {
    const wordIds = new Set(page.words.map((w) => w.id));
    const cellWords = page.tables.flatMap((t) => t.cells.flatMap((c) => c.wordIds));
    expect(cellWords.length).toBeGreaterThan(0);
    expect(cellWords.every((id) => wordIds.has(id))).toBe(true);
    expect(new Set(page.words.map((w) => w.vendorIds[0])).size).toBe(page.words.length);
  });

  it('maps table titles, footers and LAYOUT_LIST -> LAYOUT_TEXT (financial document)', () => {
    const financial = normalizeTextract(load('textract/financial-document-response.json'));
    const table = financial.pages[0].tables[0];
    expect(table.titles.map((t) => t.text)).toEqual(['The changes in total assets of these accounts were as follows:']);
    expect(table.footers.map((f) => f.text)[0]).toBe('** Less than US$50,000.');
    expect(table.footers).toHaveLength(5);
    const list = financial.pages[0].regions.find((r) => r.type === 'list')!;
    expect(list.regionIds).toHaveLength(5);
    const byId = new Map(financial.pages[0].regions.map((r) => [r.id, r]));
    expect(list.regionIds.every((id) => byId.get(id)?.type === 'paragraph')).toBe(true);
    expect(financial.queries.map((q) => q.answers[0]?.text)).toEqual(['186.7', '1.6']);
  });

  it('marks semi-structured tables and summary cells (paystub)', () => {
    const paystub = normalizeTextract(load('textract/paystub-response.json'));
    const tables = paystub.pages[0].tables;
    expect(tables.map((t) => t.kind)).toEqual(['semi_structured', 'semi_structured', 'structured', 'structured', 'structured', 'semi_structured', 'semi_structured']);
    // Seven raw blocks carry TABLE_SUMMARY: "Gross Pay" is a MERGED_CELL over two of them, so five logical cells.
    const summary = tables.flatMap((t) => t.cells).filter((c) => c.roles.includes('summary'));
    expect(summary.map((c) => c.text)).toEqual(['Gross Pay', '$ 452.43', '23,526.80', 'Net Pay', '$291.90']);
    expect(summary[0].colSpan).toBe(2);
    expect(paystub.pages[0].regions.some((r) => r.type === 'figure')).toBe(true);
  });

  it('reads the older KEY / VALUE block types', () => {
    const document = normalizeTextract(load('textract/table-example-response.json'));
    expect(document.pages[0].fields).toHaveLength(1);
    expect(document.pages[0].fields[0].key.text).toBe('Description');
    expect(document.pages[0].fields[0].valueType).toBe('empty');
    expect(document.producer.features).toContain('FORMS');
  });

  it('reads AnalyzeExpense summary fields, line items and currency', () => {
    const single = normalizeTextract(load('textract/invoice-expense-response.json'));
    const total = single.expenseDocuments[0].summaryFields.find((f) => f.type === 'TOTAL')!;
    expect(total).toMatchObject({ normalizedType: 'total', value: expect.objectContaining({ text: '$6231.09' }) });
    expect(single.expenseDocuments[0].summaryFields.find((f) => f.normalizedType === 'invoice_id')!.value.text).toBe('123PQR456');
    expect(single.producer.api).toBe('AnalyzeExpense');

    const multi = normalizeTextract(load('textract/analyzeExpenseResponse-multipage.json'));
    expect(multi.producer.api).toBe('GetExpenseAnalysis');
    expect(multi.expenseDocuments.map((e) => e.pages)).toEqual([[1], [2]]);
    expect(multi.expenseDocuments.map((e) => e.lineItemGroups[0].lineItems.length)).toEqual([5, 3]);
    const secondTotal = multi.expenseDocuments[1].summaryFields.find((f) => f.type === 'TOTAL')!;
    expect(secondTotal.value.text).toBe('$5,715.00');
    expect(secondTotal.currency).toEqual({ code: 'USD' });
    expect(multi.expenseDocuments[0].summaryFields.some((f) => f.groups.length > 0)).toBe(true);
  });

  it('keeps an expense field without geometry', () => {
    const document = normalizeTextract(load('textract/expense-missing-geoms-response.json'));
    const field = document.expenseDocuments[0].summaryFields[0];
    expect(field).toMatchObject({ type: 'CITY', normalizedType: 'city', page: 1, value: { text: '', confidence: expect.any(Number), rawConfidence: 99.95603942871094 } });
    expect(field.value.geometry).toBeUndefined();
  });

  it('reads the orientation of a rotated page from the polygon order', () => {
    expect(normalizeTextract(load('textract/gib__90_degrees.json')).pages[0].orientation).toBe(90);
    expect(normalizeTextract(load('textract/issue_83.json')).pages[0].orientation).toBe(0);
  });

  it('defaults a missing Page field to page 1 and builds multi-page documents from Page fields', () => {
    const single = normalizeTextract(load('textract/gib__90_degrees.json'));
    expect(single.pages.map((p) => p.number)).toEqual([1]);
    const two = normalizeTextract(load('textract/multi-page-forms-samples-2-page.json'));
    expect(two.pages.map((p) => p.number)).toEqual([1, 2]);
    expect(two.pages.every((p) => p.words.length > 0)).toBe(true);
    expect(two.source.pageCount).toBe(2);
  });
});

describe('hard cases built from real responses', () => {
  it('accepts query results without geometry and unanswered queries', () => {
    const raw = clone(load('textract/form1005-response.json'));
    const results = raw.Blocks.filter((b: any) => b.BlockType === 'QUERY_RESULT');
    delete results[0].Geometry;
    const unanswered = raw.Blocks.find((b: any) => b.BlockType === 'QUERY' && b.Query.Alias === 'overtime');
    delete unanswered.Relationships;
    const document = validateDocument(normalizeTextract(raw));
    const answered = document.queries.find((q) => q.answers.some((a) => a.vendorIds[0] === results[0].Id))!;
    expect(answered.answers[0].geometry).toBeUndefined();
    expect(document.queries.find((q) => q.alias === 'overtime')!.answers).toEqual([]);
  });

  it('accepts words, lines and cells without geometry', () => {
    const raw = clone(load('textract/tables_with_merged_cells_sample1.json'));
    for (const block of raw.Blocks.slice(0, 40)) delete block.Geometry;
    const document = validateDocument(normalizeTextract(raw));
    expect(counts(document)).toEqual(rawCounts(raw));
  });

  it('merges async chunks whose relationships cross chunk boundaries', () => {
    const raw = load('textract/multi-page-forms-samples-2-page.json');
    const whole = normalizeTextract(raw);
    // Split so that lines sit in the first chunk and their words (and the tables' cells) in the later ones.
    const third = Math.ceil(raw.Blocks.length / 3);
    const chunks = [0, 1, 2].map((i) => ({
      ...raw,
      JobStatus: 'SUCCEEDED',
      Blocks: raw.Blocks.slice(i * third, (i + 1) * third),
      NextToken: i < 2 ? `token-${i}` : null,
    }));
    const merged = normalizeTextract(chunks);
    expect(merged.producer.api).toBe('GetDocumentAnalysis');
    expect(counts(merged)).toEqual(counts(whole));
    expect(merged.pages.map((p) => p.lines.map((l) => l.text))).toEqual(whole.pages.map((p) => p.lines.map((l) => l.text)));
    expect(merged.pages[0].fields.map((f) => [f.key.text, f.value.text])).toEqual(whole.pages[0].fields.map((f) => [f.key.text, f.value.text]));
    expect(checkDocument(merged).issues).toEqual([]);
  });

  it('rejects a paginated result whose last chunk still has a NextToken, unless told to accept it', () => {
    const raw = load('textract/gib.json');
    expect(() => normalizeTextract([raw])).toThrow(expect.objectContaining({ code: 'TEXTRACT_INCOMPLETE_RESULT' }));
    const partial = normalizeTextract(raw, { allowIncomplete: true });
    expect(partial.warnings.map((w) => w.code)).toContain('TEXTRACT_INCOMPLETE_RESULT');
    expect(checkDocument(partial).ok).toBe(true);
  });

  it('turns PARTIAL_SUCCESS and Textract warnings into document warnings', () => {
    const raw = { ...load('textract/issue_83.json'), JobStatus: 'PARTIAL_SUCCESS', StatusMessage: 'Page 2 could not be read', Warnings: [{ ErrorCode: 'UNSUPPORTED_DOCUMENT_FEATURE', Pages: [1] }] };
    const document = normalizeTextract(raw);
    expect(document.warnings).toEqual([
      { code: 'TEXTRACT_PARTIAL_SUCCESS', message: 'Textract analysed the document only in part: Page 2 could not be read.' },
      { code: 'TEXTRACT_UNSUPPORTED_DOCUMENT_FEATURE', message: 'Textract reported UNSUPPORTED_DOCUMENT_FEATURE on pages 1.', pages: [1] },
    ]);
  });

  it('puts blocks it does not map under ext.textract instead of dropping them', () => {
    const raw = clone(load('textract/issue_83.json'));
    raw.Blocks.push({ BlockType: 'LAYOUT_FUTURE_THING', Id: 'future-1', Confidence: 50 });
    const document = validateDocument(normalizeTextract(raw));
    expect((document.ext as any).textract.unmappedBlocks).toEqual([{ BlockType: 'LAYOUT_FUTURE_THING', Id: 'future-1', Confidence: 50 }]);
  });

  it('gives a word that no line claims a line of its own, with a warning', () => {
    const raw = clone(load('textract/issue_83.json'));
    raw.Blocks.push({ BlockType: 'WORD', Id: 'lonely', Text: 'lonely', Confidence: 90, Page: 1 });
    const document = validateDocument(normalizeTextract(raw));
    expect(document.pages[0].lines.at(-1)).toMatchObject({ text: 'lonely' });
    expect(document.warnings.map((w) => w.code)).toContain('TEXTRACT_WORD_WITHOUT_LINE');
  });

  it('links a table continued on the next page', () => {
    const raw = clone(load('textract/gib_multi_page_tables.json'));
    // Move the first page's 3x3 table to the bottom of the page: it now runs into the page break, and the next
    // page opens with a 3x3 table.
    const table = raw.Blocks.filter((b: any) => b.BlockType === 'TABLE' && b.Page === 1)[1];
    table.Geometry.BoundingBox.Top = 0.85;
    table.Geometry.BoundingBox.Height = 0.14;
    const document = validateDocument(normalizeTextract(raw));
    const [first] = document.pages[0].tables.filter((t) => t.vendorIds[0] === table.Id);
    expect(first.continuesTo).toBeDefined();
    const next = document.pages[1].tables.find((t) => t.id === first.continuesTo)!;
    expect(next.continuesFrom).toBe(first.id);
    expect(next.columns).toBe(first.columns);
    // Without the move, the tables end mid-page and are not linked.
    expect(normalizeTextract(load('textract/gib_multi_page_tables.json')).pages[0].tables.every((t) => !t.continuesTo)).toBe(true);
  });
});

describe('bad input gets a typed error with a stable code', () => {
  const cases: [string, unknown, string][] = [
    ['an object of the wrong shape', { hello: 'world' }, 'UNRECOGNISED_RESPONSE'],
    ['a number', 42, 'UNRECOGNISED_RESPONSE'],
    ['an empty Blocks list', { DocumentMetadata: { Pages: 1 }, Blocks: [] }, 'TEXTRACT_EMPTY_RESPONSE'],
    ['Blocks that is not an array', { DocumentMetadata: { Pages: 1 }, Blocks: 'nope', AnalyzeDocumentModelVersion: '1.0' }, 'TEXTRACT_INVALID_RESPONSE'],
    ['a block without Id', { Blocks: [{ BlockType: 'WORD', Text: 'x' }] }, 'TEXTRACT_INVALID_RESPONSE'],
    ['a failed job', { JobStatus: 'FAILED', StatusMessage: 'Unsupported format', DocumentMetadata: {} }, 'TEXTRACT_JOB_FAILED'],
    ['an unknown job status', { JobStatus: 'WEIRD', Blocks: [] }, 'TEXTRACT_INVALID_RESPONSE'],
  ];
  it.each(cases)('%s', (_name, raw, code) => {
    let error: unknown;
    try {
      normalizeResponse(raw);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DocpipeError);
    expect((error as DocpipeError).code).toBe(code);
    expect((error as DocpipeError).message.length).toBeGreaterThan(20);
  });

  it('an empty array of chunks', () => {
    expect(() => normalizeTextract([])).toThrow(expect.objectContaining({ code: 'TEXTRACT_INVALID_RESPONSE' }));
  });

  // Numbers far out of range used to be believed (ten million pages were created one by one until the heap ran out),
  // and values of the wrong type crashed the adapter with a TypeError or slipped into the document.
  it.each<[string, (raw: any) => unknown, string | RegExp]>([
    ['a page count of ten million', (raw: any) => (raw.DocumentMetadata = { Pages: 1e7 }), /"DocumentMetadata.Pages" is 10000000/],
    ['a page count written as a string', (raw: any) => (raw.DocumentMetadata = { Pages: '12' }), /"DocumentMetadata.Pages" is "12"/],
    ['a block on page 0', (raw: any) => (raw.Blocks[3].Page = 0), /"Page" is 0/],
    ['a block on page 2.5', (raw: any) => (raw.Blocks[3].Page = 2.5), /"Page" is 2.5/],
    ['a block on page ten million', (raw: any) => (raw.Blocks.at(-1).Page = 1e7), /"Page" is 10000000/],
    ['a relationship list that is a string', (raw: any) => (raw.Blocks[1].Relationships[0].Ids = 'x'), 'Blocks[1].Relationships[0].Ids: Invalid input: expected array, received string'],
    ['a relationship that is null', (raw: any) => (raw.Blocks[1].Relationships[0] = null), 'Blocks[1].Relationships[0]: Invalid input: expected object, received null'],
    ['a word whose text is a number', (raw: any) => (raw.Blocks.find((b: any) => b.BlockType === 'WORD').Text = 7), '.Text: Invalid input: expected string, received number'],
    ['a box side written as a string', (raw: any) => (raw.Blocks[2].Geometry.BoundingBox.Left = '0.5'), 'Blocks[2].Geometry.BoundingBox.Left: Invalid input: expected number, received string'],
    ['entity types that are not a list', (raw: any) => (raw.Blocks.find((b: any) => b.BlockType === 'KEY_VALUE_SET').EntityTypes = 'KEY'), '.EntityTypes: Invalid input: expected array, received string'],
    ['a model version that is a number', (raw: any) => (raw.AnalyzeDocumentModelVersion = 1), 'AnalyzeDocumentModelVersion: Invalid input: expected string, received number'],
    ['a block id that is a list', (raw: any) => (raw.Blocks[4].Id = ['x']), 'Blocks[4].Id: Invalid input: expected string, received array'],
  ])('%s', (_name, spoil, message) => {
    const raw = load('textract/form1005-response.json');
    spoil(raw);
    const text = typeof message === 'string' ? expect.stringContaining(message) : expect.stringMatching(message);
    expect(() => normalizeTextract(raw)).toThrow(expect.objectContaining({ code: 'TEXTRACT_INVALID_RESPONSE', message: text }));
  });

  it('an expense field on page ten million', () => {
    const raw = load('textract/invoice-expense-response.json');
    raw.ExpenseDocuments[0].SummaryFields[0].PageNumber = 1e7;
    expect(() => normalizeTextract(raw)).toThrow(expect.objectContaining({ code: 'TEXTRACT_INVALID_RESPONSE', message: expect.stringMatching(/"PageNumber" is 10000000/) }));
  });

  it('a table cell ten million rows down, named by its place in the response', () => {
    const raw = load('textract/form1005-response.json');
    const cell = raw.Blocks.findLast((block: any) => block.BlockType === 'CELL');
    cell.RowIndex = 1e7;
    const place = raw.Blocks.indexOf(cell);
    expect(() => normalizeTextract(raw)).toThrow(
      expect.objectContaining({ code: 'TEXTRACT_INVALID_RESPONSE', message: expect.stringContaining(`Blocks[${place}].RowIndex: Too big: expected number to be <=100000`) }),
    );
  });

  it('a cell 100,000 rows down: the adapter keeps it, the validator refuses the grid without walking it', () => {
    const raw = load('textract/form1005-response.json');
    const cell = raw.Blocks.findLast((block: any) => block.BlockType === 'CELL');
    cell.RowIndex = 100_000;
    const document = normalizeTextract(raw);
    const table = document.pages[0].tables.find((t) => t.cells.some((c) => c.vendorIds.includes(cell.Id)))!;
    expect(table.rows).toBe(100_000);
    expect(() => validateDocument(document)).toThrow(expect.objectContaining({ code: 'DOCUMENT_INVALID', message: expect.stringMatching(/more than 100000 positions/) }));
  });

  it('a malformed chunk of an async result is named by its chunk', () => {
    const raw = load('textract/multi-page-forms-samples-2-page.json');
    const half = raw.Blocks.length >> 1;
    const parts = [{ ...raw, Blocks: raw.Blocks.slice(0, half) }, { ...raw, Blocks: raw.Blocks.slice(half) }];
    parts[1].Blocks[0].Geometry = 'here';
    expect(() => normalizeTextract(parts, { allowIncomplete: true })).toThrow(expect.objectContaining({ code: 'TEXTRACT_INVALID_RESPONSE', message: expect.stringContaining('chunk 1: Blocks[0].Geometry') }));
  });

  it('names the vendor message of a failed job', () => {
    expect(() => normalizeTextract(load('textract/test-failed-response.json'))).toThrow(/Dummy Status Message/);
  });
});
