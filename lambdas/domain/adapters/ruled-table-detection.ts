/**
 * Ruled tables from the page image, for the local OCR engine: the tables a scanned form or resume draws with lines,
 * which word positions alone cannot tell from text (they have no header row, or cells of several lines). Horizontal
 * and vertical rules are found as long thin runs of ink, and rules that cross make one group. The rectangles a group
 * encloses are its cells, a cell over several columns or rows where a rule between them is missing. A table is a
 * block of cells side by side: a title bar or a boxed paragraph alone on its row is not part of one, so a form whose
 * sections are all boxed gives its tables, not one page-sized table. A table needs two rows and two columns, and
 * words in two cells (see addRuledTables).
 */
import type { Cell, Page, Table, Word } from '../document';
import { connectedAreas, type GreyImage } from './page-image';
import { boxGeometry, centreOf, contains, type IdSequence } from './page-assembly';
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
  for (const group of groups) grids.push(...enclosedGrids(group, tolerance));
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
  const crosses = (h: Rule, v: Rule): boolean => v.at >= h.from - tolerance && v.at <= h.to + tolerance && h.at >= v.from - tolerance && h.at <= v.to + tolerance;
  return groupsOf(rules, (a, b) => a.horizontal !== b.horizontal && (a.horizontal ? crosses(a, b) : crosses(b, a)));
}

/** The items in groups, two items joined when `joined` says so and groups joined through shared items (union-find). */
function groupsOf<T>(items: T[], joined: (a: T, b: T) => boolean): T[][] {
  const parent = items.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  for (let i = 0; i < items.length; i++) {
    for (let j = i + 1; j < items.length; j++) if (joined(items[i], items[j])) parent[find(j)] = find(i);
  }
  const groups = new Map<number, T[]>();
  items.forEach((item, i) => {
    const root = find(i);
    const group = groups.get(root);
    if (group) group.push(item);
    else groups.set(root, [item]);
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

/**
 * The grids as tables of the page, each cell with the words whose centre falls in it (in the page's reading order).
 * A grid with words in fewer than two cells is a frame, not a table. Tables found from word positions alone that lie
 * in a ruled table are dropped (the rules are the better evidence), but the header row they found is kept. `size` is
 * the image's size in pixels.
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
    // A word of nothing but "|" is the OCR's reading of a rule, not text of either cell beside it.
    const words = page.words.filter((word) => !/^\|+$/.test(word.text));
    const filled = grid.cells.map((cell) => ({ cell, area: box(cell), words: words.filter((word) => inside(word, box(cell))) }));
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
    const replaced = page.tables.filter((other) => contains(geometry, centreOf(other.geometry)));
    // A header row found from the words' positions stays a header row when the rules frame the same words.
    const headerWords = new Set(replaced.flatMap((other) => other.cells.filter((c) => c.roles.includes('column_header')).flatMap((c) => c.wordIds)));
    for (const cell of cells) if (cell.row === 0 && cell.wordIds.length && cell.wordIds.every((id) => headerWords.has(id))) cell.roles.push('column_header');
    page.tables = page.tables.filter((other) => !replaced.includes(other));
    page.tables.push(table);
  }
}

/** A rectangle the rules enclose, in image pixels (edges on the rules' centres). */
interface Enclosed {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/**
 * Tables inside a page-wide frame. The rules are drawn as walls and every area they enclose is found by flood fill;
 * the rectangular ones are cells. A table is a block of cells joined edge to edge in which cells stand side by side:
 * a boxed paragraph or a section title bar, alone on its row, is not part of one. Each block needs two rows and two
 * columns, and its cells must not overlap on the grid their edges make.
 */
function enclosedGrids(group: Rule[], tolerance: number): RuledGrid[] {
  const x0 = Math.floor(Math.min(...group.map((r) => (r.horizontal ? r.from : r.at)))) - 2;
  const y0 = Math.floor(Math.min(...group.map((r) => (r.horizontal ? r.at : r.from)))) - 2;
  const x1 = Math.ceil(Math.max(...group.map((r) => (r.horizontal ? r.to : r.at)))) + 2;
  const y1 = Math.ceil(Math.max(...group.map((r) => (r.horizontal ? r.at : r.to)))) + 2;
  const width = x1 - x0 + 1;
  const height = y1 - y0 + 1;
  const wall = new Uint8Array(width * height);
  const pad = 1;
  for (const rule of group) {
    // Each rule as a wall, a little thicker than drawn and a little longer, to close the corners it meets.
    const half = rule.thickness / 2 + pad;
    const [ax0, ax1, ay0, ay1] = rule.horizontal
      ? [rule.from - tolerance, rule.to + tolerance, rule.at - half, rule.at + half]
      : [rule.at - half, rule.at + half, rule.from - tolerance, rule.to + tolerance];
    for (let y = Math.max(0, Math.floor(ay0 - y0)); y <= Math.min(height - 1, Math.ceil(ay1 - y0)); y++) {
      for (let x = Math.max(0, Math.floor(ax0 - x0)); x <= Math.min(width - 1, Math.ceil(ax1 - x0)); x++) wall[y * width + x] = 1;
    }
  }
  const open = new Uint8Array(wall.length);
  for (let p = 0; p < wall.length; p++) open[p] = wall[p] ? 0 : 1;
  const cells: Enclosed[] = [];
  for (const { x0: bx0, y0: by0, x1: bx1, y1: by1, pixels, touchesEdge } of connectedAreas(open, width, height, false)) {
    const area = (bx1 - bx0 + 1) * (by1 - by0 + 1);
    if (touchesEdge || pixels < area * 0.9 || bx1 - bx0 < 2 * tolerance || by1 - by0 < tolerance) continue;
    // Out to the middle of the walls around it: neighbouring cells then share an edge.
    const grow = pad + 1;
    cells.push({ x0: bx0 + x0 - grow, y0: by0 + y0 - grow, x1: bx1 + x0 + grow, y1: by1 + y0 + grow });
  }
  const near = (a: number, b: number): boolean => Math.abs(a - b) <= tolerance + 2;
  const overlap = (a0: number, a1: number, b0: number, b1: number): number => Math.max(0, Math.min(a1, b1) - Math.max(a0, b0)) / Math.max(1, Math.min(a1 - a0, b1 - b0));
  const sideBySide = (a: Enclosed, b: Enclosed): boolean => (near(a.x1, b.x0) || near(b.x1, a.x0)) && overlap(a.y0, a.y1, b.y0, b.y1) > 0.5;
  const aboveBelow = (a: Enclosed, b: Enclosed): boolean => (near(a.y1, b.y0) || near(b.y1, a.y0)) && overlap(a.x0, a.x1, b.x0, b.x1) > 0.5;
  const inRow = cells.filter((cell) => cells.some((other) => other !== cell && sideBySide(cell, other)));
  // Blocks of such cells, joined edge to edge.
  const grids: RuledGrid[] = [];
  for (const block of groupsOf(inRow, (a, b) => sideBySide(a, b) || aboveBelow(a, b))) {
    // Edges on the rules they lie on (the enclosed areas stop a pixel or two short of a rule's middle).
    const snap = (value: number, horizontal: boolean): number => {
      let best = value;
      let distance = tolerance + 2;
      for (const rule of group) {
        if (rule.horizontal !== horizontal || Math.abs(rule.at - value) > distance) continue;
        best = rule.at;
        distance = Math.abs(rule.at - value);
      }
      return best;
    };
    const columns = boundaries(block.flatMap((c) => [snap(c.x0, false), snap(c.x1, false)]), tolerance + 2);
    const rows = boundaries(block.flatMap((c) => [snap(c.y0, true), snap(c.y1, true)]), tolerance + 2);
    if (rows.length < 3 || columns.length < 3) continue;
    const index = (values: number[], value: number): number => values.reduce((best, v, i) => (Math.abs(v - value) < Math.abs(values[best] - value) ? i : best), 0);
    const taken = new Set<number>();
    const gridCells: RuledGrid['cells'] = [];
    let clash = false;
    for (const cell of block) {
      const column = index(columns, cell.x0);
      const row = index(rows, cell.y0);
      const colSpan = index(columns, cell.x1) - column;
      const rowSpan = index(rows, cell.y1) - row;
      if (colSpan < 1 || rowSpan < 1) continue;
      for (let r = row; r < row + rowSpan; r++) {
        for (let c = column; c < column + colSpan; c++) {
          if (taken.has(r * columns.length + c)) clash = true;
          taken.add(r * columns.length + c);
        }
      }
      gridCells.push({ row, column, rowSpan, colSpan });
    }
    if (clash) continue;
    grids.push({ rows, columns, cells: gridCells.sort((a, b) => a.row - b.row || a.column - b.column) });
  }
  return grids;
}
