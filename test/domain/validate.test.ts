import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeTextract } from '../../lambdas/domain/adapters/textract';
import { checkDocument, validateDocument, type Document } from '../../lambdas/domain/document';

const fixture = (): Document =>
  normalizeTextract(JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'textract', 'form1005-response.json'), 'utf8')));

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

  it('finds a query pointing at a page that does not exist', () => {
    const document = fixture();
    document.queries[0].pages = [7];
    expect(messages(document)).toContain('page 7 does not exist');
  });
});
