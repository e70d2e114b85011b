/**
 * What a block of text is, by its type size and its place on the page, for the adapters whose engines give no
 * layout types (the PDF text layer, Tesseract): a block of one or two lines in type clearly larger than the page's
 * body text is the title (the first one, in the top third of the page) or a section header; a line in the bottom
 * tenth that reads as a page number ("Page 1/1", "3", "- 2 -") is page-number furniture; a block whose lines start
 * with bullets or item numbers is a list; the rest are paragraphs. Across the pages of a document, the same text
 * at the top or the foot of most pages is a running header or footer (`markRunningFurniture`).
 */
import type { Page, Region, RegionType } from '../document';
import { median } from './word-layout';

/** Type this much larger than the body text, in a block of at most HEADING_LINES lines, is a heading. */
const HEADING_SIZE = 1.4;
const HEADING_LINES = 2;
/** Titles start in the page's top third; page numbers sit in its bottom tenth. */
const TITLE_ZONE = 1 / 3;
const PAGE_NUMBER_ZONE = 0.9;
/** A paragraph read with less confidence than this stays a paragraph. */
const HEADING_MIN_CONFIDENCE = 0.5;
/** A list item starts with a bullet, or an item number or letter and its stop ("1.", "2)", "(a)", "iv."), then a space. */
const LIST_ITEM = /^([•◦▪▫●○‣⁃∙·*–-]|\(?(\d{1,2}|[a-z]|[ivx]{1,4})[.)])\s+\S/i;
const PAGE_NUMBER = /^(page\s*)?\(?\s*\d+\s*\)?(\s*(\/|of)\s*\d+)?$|^[-–]\s*\d+\s*[-–]$/i;

/** Each line's type size: the median height of its words (a line's own box can be taller than its type). */
export function lineSizes(page: Page): Map<string, number> {
  const wordHeight = new Map(page.words.map((w) => [w.id, w.geometry?.box.height ?? 0]));
  return new Map(page.lines.map((line) => [line.id, median(line.wordIds.map((id) => wordHeight.get(id) ?? 0))]));
}

export const isListItem = (text: string): boolean => LIST_ITEM.test(text.trim());

/** A block is a list when it starts with an item and holds two at least ("• one / • two", "1. ... / 2. ..."). */
export const isList = (lineTexts: string[]): boolean => lineTexts.length >= 2 && isListItem(lineTexts[0]) && lineTexts.filter(isListItem).length >= 2;

export const isPageNumber = (text: string, top: number): boolean => top >= PAGE_NUMBER_ZONE && PAGE_NUMBER.test(text.trim());

/** Types a page's blocks in reading order: the first heading in the top third is the title, later ones headers. */
export class RegionTyper {
  private titled = false;

  constructor(private readonly bodySize: number) {}

  typeOf(lineTexts: string[], top: number, size: number): Extract<RegionType, 'title' | 'section_header' | 'paragraph' | 'list'> {
    const lineCount = lineTexts.length;
    if (isList(lineTexts)) return 'list';
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
    region.type = typer.typeOf(region.lineIds.map((id) => lines.get(id)?.text ?? ''), region.geometry.box.top, median(region.lineIds.map((id) => sizes.get(id) ?? 0)));
  }
}

/** Running headers sit in the page's top this share, footers in its bottom one: in its margins, within an inch. */
const RUNNING_ZONE = 0.08;

/**
 * Running headers and footers: a block of text in the top or bottom 8% of a page whose text (numbers aside: "Page
 * 3", "Report 2024-06") comes back in the same zone on at least two pages, and on half the document's pages, is
 * furniture, not body text. A page number stays a page number, and text that is part of a field (a checkbox's
 * label, "Date: ...") stays body: a document of copies of one form repeats its last line too. Needs two pages: one
 * page cannot tell a running header from a first line.
 */
export function markRunningFurniture(pages: Page[]): void {
  if (pages.length < 2) return;
  const zoneOf = (region: Region): 'header' | 'footer' | undefined => {
    const box = region.geometry?.box;
    if (!box || region.layer === 'furniture' || region.type === 'table') return undefined;
    if (box.top + box.height <= RUNNING_ZONE) return 'header';
    if (box.top >= 1 - RUNNING_ZONE) return 'footer';
    return undefined;
  };
  const candidates: { region: Region; zone: 'header' | 'footer'; key: string; page: number }[] = [];
  for (const page of pages) {
    const lines = new Map(page.lines.map((line) => [line.id, line]));
    const inFields = new Set(page.fields.flatMap((field) => [...field.key.wordIds, ...field.value.wordIds]));
    for (const region of page.regions) {
      const zone = zoneOf(region);
      if (!zone || region.lineIds.some((id) => lines.get(id)?.wordIds.some((w) => inFields.has(w)))) continue;
      const text = region.lineIds.map((id) => lines.get(id)?.text ?? '').join(' ');
      const key = text.toLowerCase().replace(/\d+/g, '#').replace(/\s+/g, ' ').trim();
      if (key) candidates.push({ region, zone, key: `${zone} ${key}`, page: page.number });
    }
  }
  const pagesOf = new Map<string, Set<number>>();
  for (const { key, page } of candidates) pagesOf.set(key, (pagesOf.get(key) ?? new Set()).add(page));
  for (const { region, zone, key } of candidates) {
    const seen = pagesOf.get(key)!.size;
    if (seen < 2 || seen < pages.length / 2) continue;
    region.type = zone;
    region.layer = 'furniture';
  }
}
