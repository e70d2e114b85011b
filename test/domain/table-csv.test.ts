import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeTextract } from '../../lambdas/domain/adapters/textract';
import type { Table } from '../../lambdas/domain/document';
import { buildDocumentExport, buildTableCsvs, csvField, tableToCsv } from '../../lambdas/domain/export';

const load = (name: string) => normalizeTextract(JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'textract', name), 'utf8')));

/** A small RFC 4180 reader, to check that what we write reads back to the same grid. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(field), (field = '');
    else if (ch === '\r' && text[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), i++;
    else field += ch;
  }
  return rows;
}

describe('table CSV export', () => {
  it('quotes per RFC 4180', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    const table: Table = {
      id: 't1', rows: 2, columns: 2, kind: 'structured', titles: [], footers: [], vendorIds: [],
      cells: [
        { id: 'c1', row: 0, column: 0, rowSpan: 1, colSpan: 1, text: 'Item, name', wordIds: [], selectionIds: [], signatureIds: [], roles: ['column_header'], vendorIds: [] },
        { id: 'c2', row: 0, column: 1, rowSpan: 1, colSpan: 1, text: 'Price "USD"', wordIds: [], selectionIds: [], signatureIds: [], roles: ['column_header'], vendorIds: [] },
        { id: 'c3', row: 1, column: 0, rowSpan: 1, colSpan: 2, text: 'Total', wordIds: [], selectionIds: [], signatureIds: [], roles: [], vendorIds: [] },
      ],
    };
    expect(tableToCsv(table)).toBe('"Item, name","Price ""USD"""\r\nTotal,Total\r\n');
    expect(tableToCsv(table, { mergedCells: 'anchor' })).toBe('"Item, name","Price ""USD"""\r\nTotal,\r\n');
    expect(() => tableToCsv(table, { mergedCells: 'spread' as never })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('writes the merged header of a real table per policy, header rows kept', () => {
    const document = load('form1005-response.json');
    const table = document.pages[0].tables.find((t) => t.titles.some((title) => title.text === '12B. Gross Earnings'))!;
    const repeat = parseCsv(tableToCsv(table, { mergedCells: 'repeat' }));
    const anchor = parseCsv(tableToCsv(table, { mergedCells: 'anchor' }));
    expect(repeat).toHaveLength(table.rows);
    expect(repeat.every((row) => row.length === table.columns)).toBe(true);
    expect(repeat[0].slice(0, 4)).toEqual(Array(4).fill('12B. Gross Earnings'));
    expect(anchor[0].slice(0, 4)).toEqual(['12B. Gross Earnings', '', '', '']);
    // "Overtime" spans two rows.
    expect(repeat[3][0]).toBe('Overtime');
    expect(repeat[4][0]).toBe('Overtime');
    expect(anchor[4][0]).toBe('');
  });

  it('exports one CSV per table with stable names', () => {
    const document = load('paystub-response.json');
    const csvs = buildTableCsvs(document);
    expect(csvs.map((c) => c.name)).toEqual([1, 2, 3, 4, 5, 6, 7].map((k) => `page-1-table-${k}.csv`));
    expect(csvs.every((c) => c.csv.endsWith('\r\n'))).toBe(true);
    expect(csvs.some((c) => c.csv.includes('Net Pay'))).toBe(true);
  });

  it('also exports a table continued over pages whole, without the header its next part repeats', () => {
    const raw = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'textract', 'gib_multi_page_tables.json'), 'utf8'));
    // As in the adapter's test: the first page's second table moved down to the page break, so that it continues.
    const moved = raw.Blocks.filter((b: { BlockType: string; Page: number }) => b.BlockType === 'TABLE' && b.Page === 1)[1];
    moved.Geometry.BoundingBox.Top = 0.85;
    moved.Geometry.BoundingBox.Height = 0.14;
    const document = normalizeTextract(raw);
    const first = document.pages[0].tables.find((t) => t.vendorIds[0] === moved.Id)!;
    const next = document.pages[1].tables.find((t) => t.id === first.continuesTo)!;
    const csvs = buildTableCsvs(document);
    const own = (id: string) => csvs.find((c) => c.tableId === id && !c.parts)!;
    const whole = csvs.find((c) => c.parts)!;
    expect(csvs.filter((c) => c.parts)).toHaveLength(1);
    expect(whole).toMatchObject({ name: own(first.id).name.replace('.csv', '-continued.csv'), parts: [first.id, next.id], page: 1, columns: first.columns });
    expect(whole.csv).toBe(own(first.id).csv + own(next.id).csv);
    expect(whole.rows).toBe(first.rows + next.rows);

    // The same, with the next part opening on the first part's header row: it is not repeated.
    const header = first.cells.filter((c) => c.row === 0);
    const repeated = { ...next, rows: next.rows + 1, cells: [...header.map((c) => ({ ...c, id: `${c.id}-again` })), ...next.cells.map((c) => ({ ...c, row: c.row + 1 }))] };
    const withHeader = { ...document, pages: document.pages.map((p) => ({ ...p, tables: p.tables.map((t) => (t.id === next.id ? repeated : t)) })) };
    const again = buildTableCsvs(withHeader).find((c) => c.parts)!;
    expect(again.csv).toBe(own(first.id).csv + own(next.id).csv);
  });

  const cell = (id: string, row: number, column: number, text: string) => ({ id, row, column, rowSpan: 1, colSpan: 1, text, wordIds: [], selectionIds: [], signatureIds: [], roles: [], vendorIds: [] });
  const table = (id: string, rows: number, columns: number, cells: Table['cells'], extra: Partial<Table> = {}): Table => ({ id, rows, columns, kind: 'unknown', cells, titles: [], footers: [], vendorIds: [], ...extra });

  it('writes a record that is one empty field as "", not as an empty line that reads back as no field', () => {
    const column = table('t1', 3, 1, [cell('c1', 0, 0, 'Name'), cell('c2', 1, 0, ''), cell('c3', 2, 0, 'Bob')]);
    expect(tableToCsv(column)).toBe('Name\r\n""\r\nBob\r\n');
    expect(parseCsv(tableToCsv(column))).toEqual([['Name'], [''], ['Bob']]);
    // Two empty fields are a plain ",": only a lone empty field needs the quotes.
    expect(tableToCsv(table('t2', 1, 2, []))).toBe(',\r\n');
  });

  it('pads every record of a continued table to its widest part', () => {
    const document = load('gib_multi_page_tables.json');
    const first = table('t1', 1, 2, [cell('c1', 0, 0, 'a'), cell('c2', 0, 1, 'b')], { continuesTo: 't2' });
    const next = table('t2', 2, 3, [cell('c3', 0, 0, 'x'), cell('c4', 0, 1, 'y'), cell('c5', 0, 2, 'z'), cell('c6', 1, 0, 'w')], { continuesFrom: 't1' });
    const twoParts = { ...document, pages: [{ ...document.pages[0], tables: [first] }, { ...document.pages[1], tables: [next] }] };
    const whole = buildTableCsvs(twoParts).find((c) => c.parts)!;
    expect(whole).toMatchObject({ rows: 3, columns: 3, csv: 'a,b,\r\nx,y,z\r\nw,,\r\n' });
    expect(parseCsv(whole.csv).every((record) => record.length === whole.columns)).toBe(true);
  });

  it('refuses to export a grid validateDocument refuses, with its code, not a RangeError', () => {
    expect(() => tableToCsv(table('t1', 5e9, 0, []))).toThrow(expect.objectContaining({ code: 'DOCUMENT_INVALID', message: expect.stringContaining('the 5000000000x0 grid has rows but no columns') }));
    expect(() => tableToCsv(table('t1', 1000, 1000, []))).toThrow(expect.objectContaining({ code: 'DOCUMENT_INVALID', message: expect.stringContaining('more than 100000 positions') }));
    expect(tableToCsv(table('t1', 0, 0, []))).toBe('');
  });

  it('exports the document JSON, validated', () => {
    const document = load('test-query-response.json');
    const exported = buildDocumentExport(document);
    expect(exported.contentType).toBe('application/json');
    expect(JSON.parse(exported.body).queries).toHaveLength(document.queries.length);
    expect(exported.bytes).toBe(Buffer.byteLength(exported.body));
    const broken = { ...document, pages: [{ ...document.pages[0], lines: [] }] };
    expect(() => buildDocumentExport(broken)).toThrow(expect.objectContaining({ code: 'DOCUMENT_INVALID' }));
  });
});
