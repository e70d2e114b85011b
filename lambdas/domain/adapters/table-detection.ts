/**
 * Tables from word positions alone, for the engines that find none themselves (Tesseract, the PDF text layer).
 * A table here is what the eye sees on an invoice or a pay slip: a header row (short labels, no figures) and at least
 * one more row, each split into three or more cells by wide horizontal gaps, whose cells line up under the header's
 * columns. The header is what tells a table from an address block set beside label/value pairs, which also falls
 * into aligned columns: tables without a header are missed rather than invented, except a block of rows of figures
 * (figureBlocks). A table ends at the first row that does not line up (a blank line where a table beside it has a
 * row does not end it when figures follow), and two tables side by side on the same lines are told apart
 * (tablesInRun). The tables found
 * are marked `semi_structured` (no ruling lines were seen) with the mean confidence of their words; a vendor that
 * detects tables (Textract, Document AI) keeps its own and never goes through here.
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
/** A table without a header needs this many rows of figures. */
const MIN_FIGURE_ROWS = 4;
/** A row under a header has at least this many cells (a label and a figure). */
const MIN_ROW_CELLS = 2;
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
    for (const found of tablesInRun(run)) tables.push(tableOf(found, ids));
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
  // Two columns of a label and a figure ("SUBTOTAL | $1699.96", "TAX | $110.50" ...: a receipt's totals, a table to
  // Textract) are too narrow for the runs above: they are looked for among the rows no table took.
  const inTables = new Set(tables.flatMap((table) => table.cells.flatMap((cell) => cell.wordIds)));
  const taken = new Set<number>();
  rows.forEach((row, index) => {
    if (row.cells.some((cell) => cell.words.some((w) => inTables.has(w.id)))) taken.add(index);
  });
  for (const found of figureBlocks(rows, taken, { columns: 2, gap: ROW_GAP_HEIGHTS * height, indent: height })) tables.push(tableOf(found, ids));
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

/** A table found in a run of rows: its rows from the header down, and where each cell sits. */
interface FoundTable {
  /** Its rows, from the header down (a blank line inside it is not one). */
  rows: Row[];
  /** How many rows of the run it spans, blank lines included. */
  span: number;
  /** Whether its first row is a header of labels (a block of figures has none). */
  header: boolean;
  columns: Box[];
  placements: { row: number; column: number; cell: CellDraft }[];
}

/**
 * The tables in a run of rows. Two tables can stand side by side on the same lines (a pay slip's earnings beside its
 * benefits), so that no column grid holds across the whole width: the run is also tried split in two at each gap
 * between its columns. A split counts only when both sides hold a table (cutting the figures off a row of labels
 * leaves a row that looks like a header, but nothing beside it), and the reading that places the most cells in
 * tables wins (the whole width on a tie).
 */
function tablesInRun(run: Row[]): FoundTable[] {
  let best = tablesAmong(run);
  let bestCells = placedCells(best);
  for (const split of gutters(run)) {
    const sides = [sideOf(run, (cell) => cell.right <= split), sideOf(run, (cell) => cell.left >= split)].map(tablesAmong);
    // A block of figures is evidence enough on its own (prose may stand beside it); a header over a row is not.
    if (sides.some((tables) => tables.length === 0) && !sides.flat().some((t) => !t.header)) continue;
    const found = sides.flat();
    if (placedCells(found) > bestCells) {
      best = found;
      bestCells = placedCells(found);
    }
  }
  return best;
}

const placedCells = (tables: FoundTable[]): number => tables.reduce((n, t) => n + t.placements.length, 0);

/** The x positions, between the run's columns, that no cell crosses. */
function gutters(run: Row[]): number[] {
  const spans = run.flatMap((row) => row.cells.map((cell) => [cell.left, cell.right] as const)).sort((a, b) => a[0] - b[0]);
  const splits: number[] = [];
  let reach = spans.length ? spans[0][1] : 0;
  for (const [left, right] of spans) {
    if (left > reach) splits.push((reach + left) / 2);
    reach = Math.max(reach, right);
  }
  return splits;
}

/** The run restricted to the cells on one side of a split; a row with none there is empty (and ends a table). */
function sideOf(run: Row[], keep: (cell: CellDraft) => boolean): Row[] {
  return run.map((row) => {
    const cells = row.cells.filter(keep);
    return cells.length ? { ...union(cells), cells } : { ...row, cells: [] };
  });
}

/**
 * The tables among the rows: each starts at a header row of MIN_COLUMNS cells and runs down while the rows' cells
 * line up under its columns; a row that does not ends it, and the search for the next header goes on below. A table
 * needs a figure somewhere under its header.
 */
function tablesAmong(rows: Row[]): FoundTable[] {
  const tables: FoundTable[] = [];
  const used = new Set<number>();
  for (let start = 0; start < rows.length; start++) {
    if (rows[start].cells.length < MIN_COLUMNS || !isHeader(rows[start])) continue;
    const found = tableFrom(rows, start);
    // Below a header of labels, a table holds figures: two rows of labels are the two lines of a form's captions.
    const figures = found.placements.some((p) => p.row > 0 && p.cell.words.some((w) => /\d/.test(w.text)));
    if (found.rows.length >= MIN_ROWS && figures) {
      tables.push(found);
      for (let r = start; r < start + found.span; r++) used.add(r);
      start += found.span - 1;
    }
  }
  return [...tables, ...figureBlocks(rows, used)];
}

/**
 * Tables without a header: at least MIN_FIGURE_ROWS rows in a row, each a label and then figures only (a pay slip's
 * deductions: "Medicare Tax | -6.56 | 341.12"), with the same number of cells, each under the one above. Figures in
 * the same columns line after line are what an address block or a list of label/value pairs never has. `exactly`:
 * only rows of that many cells, the first a label with letters starting where the block's first label starts
 * (within `indent`), no further apart than `gap` (for two columns, looked for outside the runs of wider rows: a
 * receipt's items and, indented below them, its totals are two tables, as Textract reads them); by default, rows of
 * MIN_COLUMNS cells or more, from one run.
 */
function figureBlocks(rows: Row[], used: Set<number>, exactly?: { columns: number; gap: number; indent: number }): FoundTable[] {
  const blocks: FoundTable[] = [];
  let block: Row[] = [];
  let columns: Box[] = [];
  const close = (): void => {
    if (block.length >= MIN_FIGURE_ROWS) {
      const placements = block.flatMap((row, r) => row.cells.map((cell, column) => ({ row: r, column, cell })));
      blocks.push({ rows: block, span: block.length, header: false, columns, placements });
    }
    block = [];
    columns = [];
  };
  rows.forEach((row, index) => {
    const shaped = exactly ? row.cells.length === exactly.columns && /\p{L}/u.test(cellText(row.cells[0])) : row.cells.length >= MIN_COLUMNS;
    const figures = !used.has(index) && shaped && row.cells.slice(1).every(isFigure);
    const near = !exactly || block.length === 0 || (row.top - block[block.length - 1].bottom < exactly.gap && Math.abs(row.cells[0].left - block[0].cells[0].left) <= exactly.indent);
    const fits = figures && near && block.length > 0 && row.cells.length === columns.length && row.cells.every((cell, k) => overlap(cell, columns[k]) > 0);
    if (!fits) close();
    if (!figures) return;
    block.push(row);
    columns = columns.length ? columns.map((column, k) => union([column, row.cells[k]])) : row.cells.map((cell) => ({ ...cell }));
  });
  close();
  return blocks;
}

/**
 * A cell of figures: digits, and no letters ("-28.85", "$ 452.43", "1,500.20"), but for one capital after a space:
 * a receipt's tax code ("$899.99 S").
 */
const isFigure = (cell: CellDraft): boolean => {
  const text = cellText(cell);
  return /\d/.test(text) && !/\p{L}/u.test(text.replace(/ \p{Lu}$/u, ''));
};

/** The table under the header at `start`: the header's cells are the columns, widened by the cells placed under them. */
function tableFrom(rows: Row[], start: number): FoundTable {
  const columns: Box[] = rows[start].cells.map((c) => ({ ...c }));
  const placements: FoundTable['placements'] = rows[start].cells.map((cell, column) => ({ row: 0, column, cell }));
  const headerText = textOf(rows[start]);
  const taken: Row[] = [rows[start]];
  let end = start + 1;
  for (; end < rows.length; end++) {
    const row = rows[end];
    // A blank line in this table's columns, where a table beside it has a row (a pay slip's benefits, beside its
    // earnings): the table goes on below it, as Textract reads it, if a row of figures follows. Two blank lines, or
    // a row of labels after one (the next table's header: "Deductions | Statutory"), end it.
    if (row.cells.length === 0 && rows[end - 1].cells.length > 0 && end + 1 < rows.length && holdsFigures(rows[end + 1])) continue;
    // The same labels again: the header of the next table (a form's home and mailing address), not a row of this one.
    if (textOf(row) === headerText) break;
    const placed: FoundTable['placements'] = [];
    const used = new Set<number>();
    // A mark with no letter or digit ("—" where a scan's edge is dirty) is no cell: it neither counts nor is placed.
    const cells = row.cells.filter((cell) => cell.words.some((w) => /[\p{L}\d]/u.test(w.text)));
    for (const cell of cells) {
      const scores = columns.map((column) => overlap(cell, column));
      const best = scores.indexOf(Math.max(...scores));
      if (scores[best] > 0 && !used.has(best)) {
        used.add(best);
        placed.push({ row: taken.length, column: best, cell });
      }
    }
    if (cells.length < MIN_ROW_CELLS || placed.length / cells.length < MIN_ALIGNED) break;
    placements.push(...placed);
    taken.push(row);
  }
  // A blank line the table ended on is not part of it.
  while (end > start + 1 && rows[end - 1].cells.length === 0) end--;
  for (const p of placements) Object.assign(columns[p.column], union([columns[p.column], p.cell]));
  return { rows: taken, span: end - start, header: true, columns, placements };
}

function tableOf({ rows, header, columns, placements }: FoundTable, ids: IdSequence): Table {
  const cells: Cell[] = placements.map(({ row, column, cell }) => ({
    id: ids.next('c'),
    row,
    column,
    rowSpan: 1,
    colSpan: 1,
    text: cellText(cell),
    wordIds: cell.words.map((w) => w.id),
    selectionIds: [],
    signatureIds: [],
    roles: header && row === 0 ? ['column_header'] : [],
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
    geometry: geometryOf(union(placements.map((p) => p.cell))),
    vendorIds: [],
  };
}

const cellText = (cell: CellDraft): string => cell.words.map((w) => w.text).join(' ');
const textOf = (row: Row): string => row.cells.map(cellText).join(' | ');

const holdsFigures = (row: Row): boolean => row.cells.some((cell) => cell.words.some((w) => /\d/.test(w.text)));

/** Column labels: every cell a few words long, without a digit. */
function isHeader(row: Row): boolean {
  return row.cells.every((cell) => cell.words.length <= 4 && cell.words.every((w) => !/\d/.test(w.text)));
}
