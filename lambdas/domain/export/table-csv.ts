/**
 * Table export: one CSV per table (RFC 4180: comma-separated, CRLF line ends, fields quoted when they hold a comma,
 * a quote or a line break, quotes doubled). Header rows are ordinary rows of the grid, so they are kept as they are.
 * A table that a page break splits (continuesTo / continuesFrom) is also exported whole, as one more CSV, as wide as
 * its widest part.
 */
import { gridIssue, type Document, type Table } from '../document';
import { DocpipeError, ERROR_CODES } from '../errors';

/**
 * What a merged cell looks like in the grid:
 * - `repeat`: its text in every position it covers (good for filtering and pivoting);
 * - `anchor`: its text in the top-left position only, the others empty (what a spreadsheet shows).
 */
export type MergedCellPolicy = 'repeat' | 'anchor';

export interface TableCsvOptions {
  /** Default `repeat`. */
  mergedCells?: MergedCellPolicy;
}

export interface TableCsv {
  tableId: string;
  page: number;
  /**
   * File name, unique within the document: `page-<n>-table-<k>.csv`, k counting from 1 on each page; for a table
   * continued over pages, also `page-<n>-table-<k>-continued.csv`, named after its first part, holding every part.
   */
  name: string;
  /** The tables a continued table's CSV joins, first part first. */
  parts?: string[];
  rows: number;
  columns: number;
  csv: string;
}

export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * One record, CRLF-terminated. A record that is a single empty field is written `""`: an empty line would read back
 * as a record of no fields (Python's csv module), or be skipped as blank.
 */
export function csvRecord(fields: readonly string[]): string {
  return `${fields.length === 1 && fields[0] === '' ? '""' : fields.map(csvField).join(',')}\r\n`;
}

export function tableToGrid(table: Table, policy: MergedCellPolicy = 'repeat'): string[][] {
  // validateDocument refuses such a grid; a caller that skipped it gets the same typed error, not a RangeError or a
  // CSV of millions of empty records.
  const badGrid = gridIssue(table);
  if (badGrid) throw new DocpipeError(ERROR_CODES.DOCUMENT_INVALID, `Table ${table.id} cannot be exported: ${badGrid}.`);
  const grid = Array.from({ length: table.rows }, () => new Array<string>(table.columns).fill(''));
  for (const cell of table.cells) {
    for (let r = cell.row; r < cell.row + cell.rowSpan && r < table.rows; r++) {
      for (let c = cell.column; c < cell.column + cell.colSpan && c < table.columns; c++) {
        const anchor = r === cell.row && c === cell.column;
        if (anchor || policy === 'repeat') grid[r][c] = cell.text;
      }
    }
  }
  return grid;
}

export function tableToCsv(table: Table, options: TableCsvOptions = {}): string {
  const policy = options.mergedCells ?? 'repeat';
  if (policy !== 'repeat' && policy !== 'anchor') {
    throw new DocpipeError(ERROR_CODES.INVALID_ARGUMENT, `Unknown merged-cell policy "${String(policy)}": use "repeat" or "anchor".`);
  }
  return tableToGrid(table, policy).map(csvRecord).join('');
}

export function buildTableCsvs(document: Document, options: TableCsvOptions = {}): TableCsv[] {
  const out: TableCsv[] = [];
  for (const page of document.pages) {
    page.tables.forEach((table, k) => {
      out.push({ tableId: table.id, page: page.number, name: `page-${page.number}-table-${k + 1}.csv`, rows: table.rows, columns: table.columns, csv: tableToCsv(table, options) });
    });
  }
  return [...out, ...continuedTableCsvs(document, out, options)];
}

/**
 * One CSV per table continued over pages: its parts' rows one after the other. A part that opens by repeating the
 * first part's header row (a header printed again on each page) does not repeat it in the whole.
 */
function continuedTableCsvs(document: Document, single: TableCsv[], options: TableCsvOptions): TableCsv[] {
  const tables = new Map(document.pages.flatMap((page) => page.tables.map((table) => [table.id, table] as const)));
  const out: TableCsv[] = [];
  for (const first of tables.values()) {
    if (!first.continuesTo || first.continuesFrom) continue;
    const parts = [first];
    for (let next = tables.get(first.continuesTo); next && !parts.includes(next); next = next.continuesTo ? tables.get(next.continuesTo) : undefined) parts.push(next);
    if (parts.length < 2) continue;
    const header = tableToGrid(first, options.mergedCells).at(0)?.join('\u0000');
    const rows = parts.flatMap((part, i) => {
      const grid = tableToGrid(part, options.mergedCells);
      return i > 0 && grid[0]?.join('\u0000') === header ? grid.slice(1) : grid;
    });
    // Parts whose column counts differ (a document not linked by docpipe's own rule) are padded to the widest, so that
    // every record has the same number of fields, as RFC 4180 asks.
    const columns = Math.max(...parts.map((part) => part.columns));
    for (const row of rows) while (row.length < columns) row.push('');
    const own = single.find((csv) => csv.tableId === first.id)!;
    out.push({
      tableId: first.id,
      page: own.page,
      name: own.name.replace(/\.csv$/, '-continued.csv'),
      parts: parts.map((part) => part.id),
      rows: rows.length,
      columns,
      csv: rows.map(csvRecord).join(''),
    });
  }
  return out;
}
