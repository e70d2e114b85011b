/**
 * Tables from word positions alone, for the engines that find none themselves (Tesseract, the PDF text layer).
 * A table here is what the eye sees on an invoice or a pay slip: a header row (short labels, no figures) and at least
 * one more row, each split into three or more cells by wide horizontal gaps, whose cells line up under the header's
 * columns. The header is what tells a table from an address block set beside label/value pairs, which also falls
 * into aligned columns: tables without a header are missed rather than invented. The tables found are marked
 * `semi_structured` (no ruling lines were seen) with the mean confidence of their words; a vendor that detects
 * tables (Textract, Document AI) keeps its own and never goes through here.
 */
import type { Cell, Page, Table, Word } from '../document';
import type { IdSequence } from './page-assembly';
import { gapScaleOf, geometryOf, isWideGap, meanConfidence, placedWords, union, type Box, type GapScale, type PlacedWord } from './word-layout';

interface CellDraft extends Box {
  words: Word[];
}

interface Row extends Box {
  cells: CellDraft[];
}

/** Rows further apart than this many text heights do not belong to the same table. */
const ROW_GAP_HEIGHTS = 2.5;
const MIN_COLUMNS = 3;
const MIN_ROWS = 2;
/** Share of a row's cells that must fall under the table's columns. */
const MIN_ALIGNED = 0.75;

const overlap = (a: Box, b: Box): number => Math.max(0, Math.min(a.right, b.right) - Math.max(a.left, b.left));

export function detectTables(page: Page, ids: IdSequence): Table[] {
  const placed = placedWords(page.words);
  if (placed.length < MIN_ROWS * MIN_COLUMNS) return [];
  const scale = gapScaleOf(page, placed);
  const { height } = scale;
  const rows = rowsOf(placed, scale);
  const options = optionRowTest(page, scale);
  const tables: Table[] = [];
  let run: Row[] = [];
  const flush = (): void => {
    const table = tableOf(run, ids);
    if (table) tables.push(table);
    run = [];
  };
  for (const row of rows) {
    const wide = row.cells.length >= MIN_COLUMNS && !options(row);
    const near = run.length > 0 && row.top - run[run.length - 1].bottom < ROW_GAP_HEIGHTS * height;
    if (wide && (run.length === 0 || near)) run.push(row);
    else {
      flush();
      if (wide) run.push(row);
    }
  }
  flush();
  return tables;
}

/**
 * A row of checkbox options ("[ ] TV   [ ] Friend   [ ] Other") lines up like a table row but is a choice, not data:
 * true when at least half of the row's cells start just right of one of the page's checkboxes.
 */
function optionRowTest(page: Page, scale: GapScale): (row: Row) => boolean {
  const boxes = page.selections.map((s) => s.geometry?.box).filter((b): b is NonNullable<typeof b> => b !== undefined);
  if (boxes.length === 0) return () => false;
  return (row) => {
    const led = row.cells.filter((cell) =>
      boxes.some((b) => b.top < cell.bottom && b.top + b.height > cell.top && (cell.left - (b.left + b.width)) * scale.aspect < scale.height * 1.5 && b.left < cell.left + (cell.right - cell.left) / 2),
    );
    return led.length * 2 >= row.cells.length;
  };
}

/** Words into visual rows (by vertical centre), each row into cells at the wide gaps. */
function rowsOf(placed: PlacedWord[], scale: GapScale): Row[] {
  const { height } = scale;
  const byCentre = [...placed].sort((a, b) => a.box.top + a.box.bottom - (b.box.top + b.box.bottom));
  const groups: PlacedWord[][] = [];
  let centre = -1;
  for (const w of byCentre) {
    const c = (w.box.top + w.box.bottom) / 2;
    if (groups.length && Math.abs(c - centre) <= height * 0.6) {
      groups[groups.length - 1].push(w);
    } else {
      groups.push([w]);
      centre = c;
    }
  }
  return groups.map((group) => {
    group.sort((a, b) => a.box.left - b.box.left);
    const cells: CellDraft[] = [];
    for (const w of group) {
      const last = cells[cells.length - 1];
      if (last && !isWideGap(last, w.box, scale)) {
        last.words.push(w.word);
        Object.assign(last, union([last, w.box]));
      } else cells.push({ ...w.box, words: [w.word] });
    }
    return { ...union(cells), cells };
  });
}

/** The rows as one table when their cells line up under common columns; else nothing. */
function tableOf(run: Row[], ids: IdSequence): Table | undefined {
  const header = run.findIndex(isHeader);
  const rows = header < 0 ? [] : run.slice(header);
  if (rows.length < MIN_ROWS) return undefined;
  // Columns: the header's cells, widened by the cells placed under them.
  const columns: Box[] = rows[0].cells.map((c) => ({ ...c }));
  const placements: { row: number; column: number; cell: CellDraft }[] = [];
  for (const [r, row] of rows.entries()) {
    let aligned = 0;
    const used = new Set<number>();
    for (const cell of row.cells) {
      const scores = columns.map((column) => overlap(cell, column));
      const best = scores.indexOf(Math.max(...scores));
      if (scores[best] > 0 && !used.has(best)) {
        used.add(best);
        aligned++;
        placements.push({ row: r, column: best, cell });
      }
    }
    if (aligned / row.cells.length < MIN_ALIGNED) return undefined;
  }
  for (const p of placements) Object.assign(columns[p.column], union([columns[p.column], p.cell]));
  const cells: Cell[] = placements.map(({ row, column, cell }) => ({
    id: ids.next('c'),
    row,
    column,
    rowSpan: 1,
    colSpan: 1,
    text: cell.words.map((w) => w.text).join(' '),
    wordIds: cell.words.map((w) => w.id),
    selectionIds: [],
    signatureIds: [],
    roles: row === 0 ? ['column_header'] : [],
    ...meanConfidence(cell.words),
    geometry: geometryOf(cell),
    vendorIds: [],
  }));
  const words = placements.flatMap((p) => p.cell.words);
  return {
    id: ids.next('t'),
    rows: rows.length,
    columns: columns.length,
    kind: 'semi_structured',
    cells,
    titles: [],
    footers: [],
    ...meanConfidence(words),
    geometry: geometryOf(union(rows)),
    vendorIds: [],
  };
}

/** Column labels: every cell a few words long, without a digit. */
function isHeader(row: Row): boolean {
  return row.cells.every((cell) => cell.words.length <= 4 && cell.words.every((w) => !/\d/.test(w.text)));
}
