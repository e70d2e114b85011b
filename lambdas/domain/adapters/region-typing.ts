/**
 * What a block of text is, by its type size and its place on the page, for the adapters whose engines give no
 * layout types (the PDF text layer, Tesseract): a block of one or two lines in type clearly larger than the page's
 * body text is the title (the first one, in the top third of the page) or a section header; a line in the bottom
 * tenth that reads as a page number ("Page 1/1", "3", "- 2 -") is page-number furniture; the rest are paragraphs.
 */
import type { Page, RegionType } from '../document';
import { median } from './word-layout';

/** Type this much larger than the body text, in a block of at most HEADING_LINES lines, is a heading. */
const HEADING_SIZE = 1.4;
const HEADING_LINES = 2;
/** Titles start in the page's top third; page numbers sit in its bottom tenth. */
const TITLE_ZONE = 1 / 3;
const PAGE_NUMBER_ZONE = 0.9;
/** A paragraph read with less confidence than this stays a paragraph. */
const HEADING_MIN_CONFIDENCE = 0.5;
const PAGE_NUMBER = /^(page\s*)?\(?\s*\d+\s*\)?(\s*(\/|of)\s*\d+)?$|^[-–]\s*\d+\s*[-–]$/i;

/** Each line's type size: the median height of its words (a line's own box can be taller than its type). */
export function lineSizes(page: Page): Map<string, number> {
  const wordHeight = new Map(page.words.map((w) => [w.id, w.geometry?.box.height ?? 0]));
  return new Map(page.lines.map((line) => [line.id, median(line.wordIds.map((id) => wordHeight.get(id) ?? 0))]));
}

export const isPageNumber = (text: string, top: number): boolean => top >= PAGE_NUMBER_ZONE && PAGE_NUMBER.test(text.trim());

/** Types a page's blocks in reading order: the first heading in the top third is the title, later ones headers. */
export class RegionTyper {
  private titled = false;

  constructor(private readonly bodySize: number) {}

  typeOf(lineCount: number, top: number, size: number): Extract<RegionType, 'title' | 'section_header' | 'paragraph'> {
    if (lineCount > HEADING_LINES || size < HEADING_SIZE * this.bodySize) return 'paragraph';
    if (this.titled || top >= TITLE_ZONE) return 'section_header';
    this.titled = true;
    return 'title';
  }
}

/**
 * Types paragraph regions that an engine found (Tesseract's paragraphs): a heading or a page number is a paragraph
 * to the engine.
 */
export function typeParagraphs(page: Page): void {
  const sizes = lineSizes(page);
  const known = [...sizes.values()].filter((size) => size > 0);
  if (known.length === 0) return;
  const typer = new RegionTyper(median(known));
  const lines = new Map(page.lines.map((line) => [line.id, line]));
  for (const region of [...page.regions].sort((a, b) => a.order - b.order)) {
    if (region.type !== 'paragraph' || !region.geometry) continue;
    const text = region.lineIds.map((id) => lines.get(id)?.text ?? '').join(' ');
    if (region.lineIds.length === 1 && isPageNumber(text, region.geometry.box.top)) {
      region.type = 'page_number';
      region.layer = 'furniture';
      continue;
    }
    // Large print the engine is unsure of is more likely a signature, a logo or a scanned pattern than a heading.
    if (region.confidence !== undefined && region.confidence < HEADING_MIN_CONFIDENCE) continue;
    region.type = typer.typeOf(region.lineIds.length, region.geometry.box.top, median(region.lineIds.map((id) => sizes.get(id) ?? 0)));
  }
}
