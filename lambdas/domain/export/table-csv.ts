/**
 * Table export: one CSV per table (RFC 4180: comma-separated, CRLF line ends, fields quoted when they hold a comma,
 * a quote or a line break, quotes doubled). Header rows are ordinary rows of the grid, so they are kept as they are.
 */
import type { Document, Table } from '../document';
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
  /** File name, unique within the document: `page-<n>-table-<k>.csv`, k counting from 1 on each page. */
  name: string;
  rows: number;
  columns: number;
  csv: string;
}

export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function tableToGrid(table: Table, policy: MergedCellPolicy = 'repeat'): string[][] {
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
  return tableToGrid(table, policy)
    .map((row) => row.map(csvField).join(','))
    .map((line) => `${line}\r\n`)
    .join('');
}

export function buildTableCsvs(document: Document, options: TableCsvOptions = {}): TableCsv[] {
  const out: TableCsv[] = [];
  for (const page of document.pages) {
    page.tables.forEach((table, k) => {
      out.push({ tableId: table.id, page: page.number, name: `page-${page.number}-table-${k + 1}.csv`, rows: table.rows, columns: table.columns, csv: tableToCsv(table, options) });
    });
  }
  return out;
}
