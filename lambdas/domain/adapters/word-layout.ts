/**
 * Reading a page's layout from word positions alone, for the engines that give no structure beyond lines (Tesseract,
 * the PDF text layer): boxes, the page's text height, and the wide gaps that split a row of words into cells.
 */
import type { Geometry, Page, Word } from '../document';
import { boxGeometry, type IdSequence } from './page-assembly';

/** A box normalised to the page, by its edges. */
export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export interface PlacedWord {
  word: Word;
  box: Box;
}

/** A gap wider than this many text heights separates two cells (a word space is about a third of one). */
export const CELL_GAP_HEIGHTS = 1.5;

export function boxOf(element: { geometry?: Geometry }): Box | undefined {
  const b = element.geometry?.box;
  return b ? { left: b.left, top: b.top, right: b.left + b.width, bottom: b.top + b.height } : undefined;
}

/** The page's words that have a box. */
export function placedWords(words: Word[]): PlacedWord[] {
  const placed: PlacedWord[] = [];
  for (const word of words) {
    const box = boxOf(word);
    if (box) placed.push({ word, box });
  }
  return placed;
}

export function union(boxes: Box[]): Box {
  return {
    left: Math.min(...boxes.map((b) => b.left)),
    top: Math.min(...boxes.map((b) => b.top)),
    right: Math.max(...boxes.map((b) => b.right)),
    bottom: Math.max(...boxes.map((b) => b.bottom)),
  };
}

export function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[values.length >> 1] ?? 0;
}

/**
 * How gaps are measured on a page: widths and heights are normalised to the page separately, so a horizontal gap is
 * turned into page-height units (by the aspect) and compared with the median text height.
 */
export interface GapScale {
  height: number;
  aspect: number;
}

export function gapScaleOf(page: Page, placed: PlacedWord[]): GapScale {
  return {
    height: median(placed.map((w) => w.box.bottom - w.box.top)) || 0.01,
    aspect: page.width && page.height ? page.width / page.height : 1,
  };
}

/** True when the horizontal gap between two boxes, left to right, separates cells rather than words. */
export function isWideGap(left: Box, right: Box, scale: GapScale): boolean {
  return (right.left - left.right) * scale.aspect >= CELL_GAP_HEIGHTS * scale.height;
}

export function meanConfidence(words: Word[]): { confidence?: number } {
  const known = words.map((w) => w.confidence).filter((c): c is number => c !== undefined);
  return known.length ? { confidence: known.reduce((a, b) => a + b, 0) / known.length } : {};
}

/** A box already normalised to the page (the words' own), as geometry. */
export function geometryOf(box: Box): Geometry {
  return boxGeometry(box.left, box.top, box.right, box.bottom, 1, 1);
}

/**
 * A page's rows of words parted into the lines a reader sees (and Textract gives): the runs of words between wide
 * gaps, over 1.5 times the height of the words beside the gap (a word space is about a third of it, in a title as in
 * a footnote). For the engines whose lines are rows across the page (the PDF text layer, Tesseract), once their
 * detectors have read the rows. The first run keeps the row's id; a region that held the row holds its runs.
 */
export function partAtWideGaps(page: Page, ids: IdSequence): void {
  const placed = placedWords(page.words);
  const aspect = page.width && page.height ? page.width / page.height : 1;
  const byId = new Map(placed.map((w) => [w.word.id, w]));
  const height = (w: PlacedWord) => w.box.bottom - w.box.top;
  const parts = new Map<string, string[]>();
  page.lines = page.lines.flatMap((line) => {
    const runs: PlacedWord[][] = [];
    for (const word of line.wordIds.map((id) => byId.get(id)).filter((w): w is PlacedWord => w !== undefined)) {
      const run = runs[runs.length - 1];
      const last = run?.[run.length - 1];
      if (last && (word.box.left - last.box.right) * aspect < CELL_GAP_HEIGHTS * Math.max(height(last), height(word))) run.push(word);
      else runs.push([word]);
    }
    if (runs.length <= 1) return [line];
    // A part's confidence is its words' (the engine's own figure was for the whole row).
    const lines = runs.map((run, i) => {
      const { rawConfidence: _row, confidence: _rowConfidence, ...rest } = line;
      return {
        ...rest,
        id: i === 0 ? line.id : ids.next('l'),
        text: run.map((w) => w.word.text).join(' '),
        wordIds: run.map((w) => w.word.id),
        ...meanConfidence(run.map((w) => w.word)),
        geometry: geometryOf(union(run.map((w) => w.box))),
      };
    });
    parts.set(line.id, lines.map((l) => l.id));
    return lines;
  });
  if (parts.size === 0) return;
  for (const region of page.regions) region.lineIds = region.lineIds.flatMap((id) => parts.get(id) ?? [id]);
}
