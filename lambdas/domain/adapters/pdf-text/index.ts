/**
 * The PDF text-layer adapter: the text items of a born-digital PDF page (pdfjs getTextContent, positions already in
 * top-left page points) into words and lines. Items on the same baseline band, left to right, make a line; spaces
 * inside an item split it into words (their boxes share the item's width by character count). No OCR, confidence 1.
 */
import type { Page } from '../../document';
import { boxGeometry, emptyPage, IdSequence } from '../page-assembly';
import { detectFields } from '../field-detection';
import { detectTables } from '../table-detection';

export const PDF_TEXT_ADAPTER = { name: 'docpipe-pdf-text', version: '1.0.0' } as const;

export interface PdfTextItem {
  str: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export function pdfTextPage(items: PdfTextItem[], page: { number: number; width: number; height: number }, ids: IdSequence): Page {
  const out = emptyPage(page.number, { width: page.width, height: page.height, unit: 'point' });
  // Group into lines: sort by top, then start a new line when an item's middle is below the current line's band.
  const sorted = [...items].filter((i) => i.str.trim()).sort((a, b) => a.y - b.y || a.x - b.x);
  const lines: PdfTextItem[][] = [];
  for (const item of sorted) {
    const current = lines[lines.length - 1];
    const band = current && current[0];
    if (band && item.y + item.height / 2 <= band.y + band.height && item.y + item.height / 2 >= band.y) current.push(item);
    else lines.push([item]);
  }
  for (const lineItems of lines) {
    lineItems.sort((a, b) => a.x - b.x);
    const wordIds: string[] = [];
    const texts: string[] = [];
    for (const item of lineItems) {
      const chars = item.str.length || 1;
      let cursor = 0;
      for (const part of item.str.split(/(\s+)/)) {
        if (part.trim()) {
          const x0 = item.x + (cursor / chars) * item.width;
          const x1 = item.x + ((cursor + part.length) / chars) * item.width;
          const id = ids.next('w');
          out.words.push({ id, text: part, confidence: 1, geometry: boxGeometry(x0, item.y, x1, item.y + item.height, page.width, page.height), vendorIds: [] });
          wordIds.push(id);
          texts.push(part);
        }
        cursor += part.length;
      }
    }
    if (!wordIds.length) continue;
    const x0 = Math.min(...lineItems.map((i) => i.x));
    const x1 = Math.max(...lineItems.map((i) => i.x + i.width));
    const y0 = Math.min(...lineItems.map((i) => i.y));
    const y1 = Math.max(...lineItems.map((i) => i.y + i.height));
    out.lines.push({ id: ids.next('l'), text: texts.join(' '), wordIds, confidence: 1, geometry: boxGeometry(x0, y0, x1, y1, page.width, page.height), vendorIds: [] });
  }
  out.tables = detectTables(out, ids);
  out.fields = detectFields(out, ids);
  return out;
}
