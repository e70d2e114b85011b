/** Pages of words laid out by hand, for the detectors that read structure from word positions. */
import { boxGeometry, emptyPage, IdSequence } from '../../lambdas/domain/adapters/page-assembly';
import type { Page } from '../../lambdas/domain/document';

/**
 * A page of 1000 x 1000 pixels with one line per entry, `pitch` pixels apart (an empty entry is a blank line); each
 * word is [text, x] at the line's y, 12 px high, 8 px per character, so a single space (4 px) is a word gap and 40 px
 * is a cell gap (more than 1.5 text heights).
 */
export function pageOf(lines: [string, number][][], pitch = 40): { page: Page; ids: IdSequence } {
  const ids = new IdSequence();
  const page = emptyPage(1, { width: 1000, height: 1000, unit: 'pixel' });
  lines.forEach((words, row) => {
    if (words.length === 0) return; // a blank line
    const y = 50 + row * pitch;
    const wordIds = words.map(([text, x]) => {
      const id = ids.next('w');
      page.words.push({ id, text, confidence: 0.9, geometry: boxGeometry(x, y, x + 8 * text.length, y + 12, 1000, 1000), vendorIds: [] });
      return id;
    });
    page.lines.push({ id: ids.next('l'), text: words.map(([t]) => t).join(' '), wordIds, vendorIds: [] });
  });
  return { page, ids };
}

/** Words laid out from x with single spaces; a '|' entry jumps 60 px (a cell gap). */
export function line(x: number, ...texts: string[]): [string, number][] {
  const out: [string, number][] = [];
  for (const text of texts) {
    if (text === '|') x += 60;
    else {
      out.push([text, x]);
      x += 8 * text.length + 4;
    }
  }
  return out;
}


/** A table over the page's words, each cell given by the texts of its words (each text found once, in order). */
export function addTable(page: Page, ids: IdSequence, grid: string[][][], header = false): void {
  const used = new Set<string>();
  const idOf = (text: string): string => {
    const word = page.words.find((w) => w.text === text && !used.has(w.id))!;
    used.add(word.id);
    return word.id;
  };
  const cells = grid.flatMap((row, r) =>
    row.map((texts, c) => ({ id: ids.next('c'), row: r, column: c, rowSpan: 1, colSpan: 1, text: texts.join(' '), wordIds: texts.map(idOf), selectionIds: [], signatureIds: [], roles: header && r === 0 ? ['column_header' as const] : [], vendorIds: [] })),
  );
  page.tables.push({ id: ids.next('t'), rows: grid.length, columns: grid[0].length, kind: 'structured', cells, titles: [], footers: [], vendorIds: [] });
}
