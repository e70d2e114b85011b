/**
 * Ruled tables from the page image, for the local OCR engine: the tables a scanned form or resume draws with lines,
 * which word positions alone cannot tell from text (they have no header row, or cells of several lines). Horizontal
 * and vertical rules are found as long thin runs of ink; rules that cross make one grid; a rule missing between two
 * neighbouring grid cells makes them one merged cell. A grid needs two rows and two columns and words in at least
 * two cells, so a frame drawn around a paragraph is not a table. Rules joined to a page-wide frame (a form whose
 * sections are all boxed) make one grid whose merged areas are not rectangles: that is given up, not guessed, so
 * such tables are still missed.
 */
import type { Cell, Page, Table, Word } from '../document';
import type { GreyImage } from './page-image';
import { boxGeometry, type IdSequence } from './page-assembly';
import { meanConfidence } from './word-layout';

/** A grid in image pixels: its row and column boundaries, and its logical cells (spans over the base grid). */
export interface RuledGrid {
  rows: number[];
  columns: number[];
  cells: { row: number; column: number; rowSpan: number; colSpan: number }[];
}

interface Rule {
  /** Where the rule runs across (y for a horizontal rule, x for a vertical one), and from where to where along. */
  at: number;
  from: number;
  to: number;
  thickness: number;
  horizontal: boolean;
}

const INK = 128;
/** Rules are at least this many text heights long (a horizontal one) or high (a vertical one). */
const MIN_RULE_HEIGHTS = { horizontal: 4, vertical: 1.5 };
/** Ink thicker than this is a filled area, not a rule. */
const MAX_THICKNESS = 5;

export function detectRuledTables(image: GreyImage, { textHeight }: { textHeight: number }): RuledGrid[] {
  const rules = [...rulesOf(image, true, Math.max(40, textHeight * MIN_RULE_HEIGHTS.horizontal)), ...rulesOf(image, false, Math.max(20, textHeight * MIN_RULE_HEIGHTS.vertical))];
  const tolerance = Math.max(3, Math.round(textHeight / 2));
  const groups = crossingGroups(rules, tolerance);
  const grids: RuledGrid[] = [];
  for (const group of groups) {
    const grid = gridOf(group, tolerance);
    if (grid) grids.push(grid);
  }
  return grids;
}

/**
 * Runs of ink at least `minLength` long, per row (horizontal) or per column (vertical). Both sweep the image row by
 * row, the order it is stored in: a column-by-column walk is several times slower on a page-sized image.
 */
function runsOf({ width, height, grey }: GreyImage, horizontal: boolean, minLength: number): [number, number][][] {
  if (horizontal) {
    const runs: [number, number][][] = [];
    for (let y = 0; y < height; y++) {
      const row: [number, number][] = [];
      let start = -1;
      const offset = y * width;
      for (let x = 0; x <= width; x++) {
        const inked = x < width && grey[offset + x] < INK;
        if (inked) {
          if (start < 0) start = x;
        } else if (start >= 0) {
          if (x - start >= minLength) row.push([start, x]);
          start = -1;
        }
      }
      runs.push(row);
    }
    return runs;
  }
  const runs: [number, number][][] = Array.from({ length: width }, () => []);
  const starts = new Int32Array(width).fill(-1);
  for (let y = 0; y <= height; y++) {
    const offset = y * width;
    for (let x = 0; x < width; x++) {
      const inked = y < height && grey[offset + x] < INK;
      if (inked) {
        if (starts[x] < 0) starts[x] = y;
      } else if (starts[x] >= 0) {
        if (y - starts[x] >= minLength) runs[x].push([starts[x], y]);
        starts[x] = -1;
      }
    }
  }
  return runs;
}

/** The runs joined over neighbouring rows (or columns) into rules; ink too thick to be a rule is left out. */
function rulesOf(image: GreyImage, horizontal: boolean, minLength: number): Rule[] {
  const open: Rule[] = [];
  const done: Rule[] = [];
  const perLine = runsOf(image, horizontal, minLength);
  for (let line = 0; line < perLine.length; line++) {
    // A run continues a rule of the line before when they overlap; rules not continued are finished.
    const continued = new Set<Rule>();
    for (const [from, to] of perLine[line]) {
      const rule = open.find((r) => !continued.has(r) && r.at + r.thickness === line && from < r.to && to > r.from);
      if (rule) {
        rule.from = Math.min(rule.from, from);
        rule.to = Math.max(rule.to, to);
        rule.thickness++;
        continued.add(rule);
      } else {
        const created: Rule = { at: line, from, to, thickness: 1, horizontal };
        open.push(created);
        continued.add(created);
      }
    }
    for (let i = open.length - 1; i >= 0; i--) {
      if (continued.has(open[i])) continue;
      done.push(open[i]);
      open.splice(i, 1);
    }
  }
  done.push(...open);
  return done.filter((rule) => rule.thickness <= MAX_THICKNESS).map((rule) => ({ ...rule, at: rule.at + (rule.thickness - 1) / 2 }));
}

/** Rules that cross (or touch within `tolerance`) one another, in groups: each group is one candidate grid. */
function crossingGroups(rules: Rule[], tolerance: number): Rule[][] {
  const parent = rules.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  const horizontal = rules.map((r, i) => [r, i] as const).filter(([r]) => r.horizontal);
  const vertical = rules.map((r, i) => [r, i] as const).filter(([r]) => !r.horizontal);
  for (const [h, i] of horizontal) {
    for (const [v, j] of vertical) {
      if (v.at >= h.from - tolerance && v.at <= h.to + tolerance && h.at >= v.from - tolerance && h.at <= v.to + tolerance) parent[find(i)] = find(j);
    }
  }
  const groups = new Map<number, Rule[]>();
  rules.forEach((rule, i) => {
    const root = find(i);
    groups.set(root, [...(groups.get(root) ?? []), rule]);
  });
  return [...groups.values()];
}

/** Boundaries closer than `tolerance` are one (a double rule, or a rule a pixel off). */
function boundaries(values: number[], tolerance: number): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  const out: number[] = [];
  for (const value of sorted) {
    if (out.length && value - out[out.length - 1] <= tolerance) continue;
    out.push(value);
  }
  return out;
}

function gridOf(group: Rule[], tolerance: number): RuledGrid | undefined {
  const horizontal = group.filter((r) => r.horizontal);
  const vertical = group.filter((r) => !r.horizontal);
  const rows = boundaries(horizontal.map((r) => r.at), tolerance);
  const columns = boundaries(vertical.map((r) => r.at), tolerance);
  if (rows.length < 3 || columns.length < 3) return undefined;
  const R = rows.length - 1;
  const C = columns.length - 1;
  // Is there a rule at this boundary through this point? Then the cells on either side are apart.
  const ruled = (rules: Rule[], at: number, through: number): boolean => rules.some((r) => Math.abs(r.at - at) <= tolerance && r.from - tolerance <= through && r.to + tolerance >= through);
  const parent = Array.from({ length: R * C }, (_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  for (let r = 0; r < R; r++) {
    for (let c = 0; c < C; c++) {
      const middleY = (rows[r] + rows[r + 1]) / 2;
      const middleX = (columns[c] + columns[c + 1]) / 2;
      if (c + 1 < C && !ruled(vertical, columns[c + 1], middleY)) parent[find(r * C + c + 1)] = find(r * C + c);
      if (r + 1 < R && !ruled(horizontal, rows[r + 1], middleX)) parent[find((r + 1) * C + c)] = find(r * C + c);
    }
  }
  const spans = new Map<number, { row: number; column: number; lastRow: number; lastColumn: number; count: number }>();
  for (let r = 0; r < R; r++) {
    for (let c = 0; c < C; c++) {
      const root = find(r * C + c);
      const span = spans.get(root);
      if (!span) spans.set(root, { row: r, column: c, lastRow: r, lastColumn: c, count: 1 });
      else {
        span.row = Math.min(span.row, r);
        span.column = Math.min(span.column, c);
        span.lastRow = Math.max(span.lastRow, r);
        span.lastColumn = Math.max(span.lastColumn, c);
        span.count++;
      }
    }
  }
  const cells = [...spans.values()].map((s) => ({ row: s.row, column: s.column, rowSpan: s.lastRow - s.row + 1, colSpan: s.lastColumn - s.column + 1, count: s.count }));
  // A merge that is not a rectangle (an L of missing rules) is no cell the format can hold: not a table.
  if (cells.some((cell) => cell.count !== cell.rowSpan * cell.colSpan)) return undefined;
  return { rows, columns, cells: cells.map(({ count: _count, ...cell }) => cell).sort((a, b) => a.row - b.row || a.column - b.column) };
}

/**
 * The grids as tables of the page, each cell with the words whose centre falls in it (in the page's reading order).
 * A grid with words in fewer than two cells is a frame, not a table. Tables found from word positions alone that lie
 * in a ruled table are dropped: the rules are the better evidence. `size` is the image's size in pixels.
 */
export function addRuledTables(page: Page, grids: RuledGrid[], size: { width: number; height: number }, ids: IdSequence): void {
  for (const grid of grids) {
    const box = (cell: RuledGrid['cells'][number]) => ({
      x0: grid.columns[cell.column],
      y0: grid.rows[cell.row],
      x1: grid.columns[cell.column + cell.colSpan],
      y1: grid.rows[cell.row + cell.rowSpan],
    });
    const inside = (word: Word, b: { x0: number; y0: number; x1: number; y1: number }): boolean => {
      const g = word.geometry?.box;
      if (!g) return false;
      const x = (g.left + g.width / 2) * size.width;
      const y = (g.top + g.height / 2) * size.height;
      return x >= b.x0 && x < b.x1 && y >= b.y0 && y < b.y1;
    };
    const filled = grid.cells.map((cell) => ({ cell, area: box(cell), words: page.words.filter((word) => inside(word, box(cell))) }));
    if (filled.filter((f) => f.words.length > 0).length < 2) continue;
    const cells: Cell[] = filled.map(({ cell, area, words }) => ({
      id: ids.next('c'),
      ...cell,
      text: words.map((w) => w.text).join(' '),
      wordIds: words.map((w) => w.id),
      selectionIds: [],
      signatureIds: [],
      roles: [],
      ...meanConfidence(words),
      geometry: boxGeometry(area.x0, area.y0, area.x1, area.y1, size.width, size.height),
      vendorIds: [],
    }));
    const geometry = boxGeometry(grid.columns[0], grid.rows[0], grid.columns[grid.columns.length - 1], grid.rows[grid.rows.length - 1], size.width, size.height);
    const table: Table = {
      id: ids.next('t'),
      rows: grid.rows.length - 1,
      columns: grid.columns.length - 1,
      kind: 'structured',
      cells,
      titles: [],
      footers: [],
      ...meanConfidence(filled.flatMap((f) => f.words)),
      geometry,
      vendorIds: [],
    };
    const { left, top, width, height } = geometry.box;
    page.tables = page.tables.filter((other) => {
      const b = other.geometry?.box;
      if (!b) return true;
      const x = b.left + b.width / 2;
      const y = b.top + b.height / 2;
      return !(x >= left && x <= left + width && y >= top && y <= top + height);
    });
    page.tables.push(table);
  }
}
