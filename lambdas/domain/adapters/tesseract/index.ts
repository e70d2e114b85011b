/**
 * The Tesseract adapter: tesseract.js's block > paragraph > line > word tree of one page image into a common-format
 * page. Words keep Tesseract's confidence (0..100 -> 0..1, raw kept); paragraphs become regions in Tesseract's
 * reading order, typed as titles, section headers and page numbers by their size and place.
 */
import type { Page } from '../../document';
import { boxGeometry, emptyPage, IdSequence } from '../page-assembly';
import { addPageStructure, type PageStructure } from '../page-structure';
import { typeParagraphs } from '../region-typing';
import { partAtWideGaps } from '../word-layout';

export const TESSERACT_ADAPTER = { name: 'docpipe-tesseract', version: '1.0.0' } as const;

interface BBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}
interface TesseractWord {
  text: string;
  confidence: number;
  bbox: BBox;
}
interface TesseractLine {
  text: string;
  confidence: number;
  bbox: BBox;
  words: TesseractWord[];
}
/** Tesseract's reading, with the checkboxes and ruled tables found in the same image (Tesseract finds neither itself). */
export interface TesseractResult extends PageStructure {
  blocks: { paragraphs: { text: string; confidence: number; bbox: BBox; lines: TesseractLine[] }[] }[] | null;
}

export function tesseractPage(result: TesseractResult, page: { number: number; width: number; height: number }, ids: IdSequence): Page {
  const out = emptyPage(page.number, { width: page.width, height: page.height, unit: 'pixel' });
  const geometry = (b: BBox) => boxGeometry(b.x0, b.y0, b.x1, b.y1, page.width, page.height);
  const confidence = (c: number) => ({ confidence: Math.max(0, Math.min(1, c / 100)), rawConfidence: c });
  for (const block of result.blocks ?? []) {
    for (const paragraph of block.paragraphs) {
      const lineIds: string[] = [];
      for (const line of paragraph.lines) {
        const wordIds: string[] = [];
        const texts: string[] = [];
        for (const word of line.words) {
          const text = word.text.trim();
          if (!text) continue;
          const id = ids.next('w');
          out.words.push({ id, text, ...confidence(word.confidence), geometry: geometry(word.bbox), vendorIds: [] });
          wordIds.push(id);
          texts.push(text);
        }
        if (!wordIds.length) continue;
        const id = ids.next('l');
        const text = texts.join(' ');
        out.lines.push({ id, text, wordIds, ...confidence(line.confidence), geometry: geometry(line.bbox), vendorIds: [] });
        lineIds.push(id);
      }
      if (lineIds.length) out.regions.push({ id: ids.next('r'), type: 'paragraph', layer: 'body', order: out.regions.length, lineIds, regionIds: [], tableIds: [], fieldIds: [], ...confidence(paragraph.confidence), geometry: geometry(paragraph.bbox), vendorIds: [] });
    }
  }
  typeParagraphs(out);
  addPageStructure(out, result, page, ids);
  // Tesseract's lines run across the page (both addresses of "BILL TO   SHIP TO" on one): the detectors read them
  // so; the document gets the lines a reader sees.
  partAtWideGaps(out, ids);
  return out;
}
