/**
 * Reading a page's layout from word positions alone, for the engines that give no structure beyond lines (Tesseract,
 * the PDF text layer): boxes, the page's text height, and the wide gaps that split a row of words into cells.
 */
import type { Geometry, Page, Word } from '../document';
import { boxGeometry } from './page-assembly';

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
