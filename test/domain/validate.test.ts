import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeTextract } from '../../lambdas/domain/adapters/textract';
import { checkDocument, validateDocument, type Document } from '../../lambdas/domain/document';

const load = (name: string): Document => normalizeTextract(JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'textract', name), 'utf8')));
const fixture = (): Document => load('form1005-response.json');

const messages = (document: unknown): string[] => checkDocument(document).issues.map((issue) => issue.message);

describe('validateDocument', () => {
  it('accepts a real adapter output and fills defaults', () => {
    const document = validateDocument(fixture());
    expect(document.pages[0].predictions).toBeNull();
  });

  it('reports schema errors with their path', () => {
    const document: any = fixture();
    document.pages[0].words[0].confidence = 1.5;
    document.schema = 'something.else';
    const result = checkDocument(document);
    expect(result.ok).toBe(false);
    expect(result.issues.map((i) => i.path)).toEqual(expect.arrayContaining(['schema', 'pages.0.words.0.confidence']));
    expect(() => validateDocument(document)).toThrow(expect.objectContaining({ code: 'DOCUMENT_INVALID' }));
  });

  it('finds a reference that does not resolve', () => {
    const document = fixture();
    document.pages[0].tables[0].cells[0].wordIds.push('w-missing');
    expect(messages(document)).toContain('unresolved word id "w-missing"');
  });

  it('finds a reference to an element of the wrong kind', () => {
    const document = fixture();
    document.pages[0].fields[0].value.selectionIds.push(document.pages[0].words[0].id);
    expect(messages(document)).toContain(`"${document.pages[0].words[0].id}" is a word, expected a selection`);
  });

  it('finds duplicate ids and a word in two lines', () => {
    const document = fixture();
    const [first, second] = document.pages[0].lines;
    second.wordIds.push(first.wordIds[0]);
    document.pages[0].tables[1].id = document.pages[0].tables[0].id;
    const found = messages(document);
    expect(found).toContain(`word "${first.wordIds[0]}" already belongs to line "${first.id}"`);
    expect(found).toContain(`duplicate id "${document.pages[0].tables[0].id}"`);
  });

  it('finds a word that belongs to no line', () => {
    const document = fixture();
    const orphan = document.pages[0].lines[0].wordIds.pop()!;
    expect(messages(document)).toContain(`word "${orphan}" belongs to no line`);
  });

  it('finds a box that extends beyond the page and overlapping cells', () => {
    const document = fixture();
    document.pages[0].words[0].geometry = { box: { left: 0.9, top: 0.1, width: 0.2, height: 0.1 } };
    const cells = document.pages[0].tables[0].cells;
    cells[1].row = cells[0].row;
    cells[1].column = cells[0].column;
    const found = messages(document);
    expect(found).toContain('bounding box extends beyond the page');
    expect(found.some((m) => /covered by two cells/.test(m))).toBe(true);
  });

  it('refuses a grid too large to check, and a cell beyond its grid, without walking their positions', () => {
    const document = fixture();
    const [first, second] = document.pages[0].tables;
    first.rows = 1e6;
    second.cells[0].rowSpan = 1e9;
    const found = messages(document);
    expect(found).toContain(`the 1000000x${first.columns} grid has more than 100000 positions: its row or column indexes are out of range`);
    expect(found).toContain(`cell spans beyond the ${second.rows}x${second.columns} grid`);
  });

  it('refuses a grid with rows but no columns, or columns but no rows, however few positions it has', () => {
    const document = fixture();
    const [first, second] = document.pages[0].tables;
    Object.assign(first, { rows: 1e9, columns: 0, cells: [] });
    Object.assign(second, { rows: 0, columns: 3, cells: [] });
    const found = messages(document);
    expect(found).toContain('the 1000000000x0 grid has rows but no columns: an empty table is 0x0');
    expect(found).toContain('the 0x3 grid has columns but no rows: an empty table is 0x0');
    Object.assign(first, { rows: 0, columns: 0 });
    Object.assign(second, { rows: 0, columns: 0 });
    expect(checkDocument(document).issues).toEqual([]);
  });

  it('checks that continued tables link each other across one page break', () => {
    const document = load('gib_multi_page_tables.json');
    const [t1, t2] = document.pages[0].tables;
    const [t3] = document.pages[1].tables;
    const result = (link: (a: typeof t1, b: typeof t1, c: typeof t1) => void) => {
      const copy = structuredClone(document);
      link(copy.pages[0].tables[0], copy.pages[0].tables[1], copy.pages[1].tables[0]);
      return checkDocument(copy).issues;
    };
    expect(result((a, _b, c) => ((a.continuesTo = c.id), (c.continuesFrom = a.id)))).toEqual([]);
    expect(result((a) => ((a.continuesTo = a.id), (a.continuesFrom = a.id)))).toEqual([
      { path: 'pages.0.tables.0.continuesTo', message: `table "${t1.id}" is on page 1, not on the next page (2)` },
      { path: 'pages.0.tables.0.continuesFrom', message: `table "${t1.id}" is on page 1, not on the previous page (0)` },
    ]);
    expect(result((a, b) => ((a.continuesTo = b.id), (b.continuesFrom = a.id))).map((i) => i.message)).toEqual([
      `table "${t2.id}" is on page 1, not on the next page (2)`,
      `table "${t1.id}" is on page 1, not on the previous page (0)`,
    ]);
    expect(result((a, _b, c) => (a.continuesTo = c.id))).toEqual([
      { path: 'pages.0.tables.0.continuesTo', message: `table "${t3.id}" does not link back to "${t1.id}" with continuesFrom` },
    ]);
    expect(result((_a, b, c) => ((c.continuesFrom = b.id), (b.continuesTo = document.pages[1].tables[1].id)))).toEqual([
      { path: 'pages.0.tables.1.continuesTo', message: `table "${document.pages[1].tables[1].id}" does not link back to "${t2.id}" with continuesFrom` },
      { path: 'pages.1.tables.0.continuesFrom', message: `table "${t2.id}" does not link back to "${t3.id}" with continuesTo` },
    ]);
    expect(result((a) => (a.continuesTo = document.pages[1].words[0].id)).map((i) => i.message)).toEqual([`"${document.pages[1].words[0].id}" is a word, expected a table`]);
  });

  it('checks an expense field\'s page and boxes as it checks a query answer\'s', () => {
    const document = load('invoice-expense-response.json');
    const [summary] = document.expenseDocuments[0].summaryFields;
    const item = document.expenseDocuments[0].lineItemGroups[0].lineItems[0].fields[0];
    expect(checkDocument(document).issues).toEqual([]);
    summary.page = 9;
    summary.label!.geometry = { box: { left: 0.8, top: 0, width: 0.8, height: 0.1 } };
    item.value.geometry = { box: { left: 0.9, top: 0.9, width: 0.5, height: 0.5 } };
    expect(checkDocument(document).issues).toEqual([
      { path: 'expenseDocuments.0.summaryFields.0.page', message: 'page 9 does not exist' },
      { path: 'expenseDocuments.0.summaryFields.0.label.geometry', message: 'bounding box extends beyond the page' },
      { path: 'expenseDocuments.0.lineItemGroups.0.lineItems.0.fields.0.value.geometry', message: 'bounding box extends beyond the page' },
    ]);
  });

  it('finds a query pointing at a page that does not exist', () => {
    const document = fixture();
    document.queries[0].pages = [7];
    expect(messages(document)).toContain('page 7 does not exist');
  });
});
