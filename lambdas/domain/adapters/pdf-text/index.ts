/**
 * The PDF text-layer adapter: the text items of a born-digital PDF page (pdfjs getTextContent, positions already in
 * top-left page points) into words and lines. Items on the same baseline band, left to right, make a line; spaces
 * inside an item split it into words (their boxes share the item's width by character count). No OCR, confidence 1.
 * The text layer holds no drawn checkboxes or table rules: those come from the page rendered as an image, when given.
 * Checkboxes written as characters ("☐ Yes ☒ No", as word processors write them) are read off the text itself.
 * Nor does it hold the answers of a filled PDF form: those come from the form's fields (form-fields.ts).
 */
import type { Page } from '../../document';
import { addCheckboxes, type CheckboxBox } from '../checkbox-detection';
import { boxGeometry, emptyPage, IdSequence } from '../page-assembly';
import { addPageStructure, type PageStructure } from '../page-structure';
import { addFormFields, formValueItems, type PdfFormField } from './form-fields';
import { pdfRegions } from './regions';
import { partAtWideGaps } from '../word-layout';

export const PDF_TEXT_ADAPTER = { name: 'docpipe-pdf-text', version: '1.0.0' } as const;

export interface PdfTextItem {
  str: string;
  x: number;
  y: number;
  width: number;
  height: number;
  /** Text that does not run left to right (a diagonal stamp, a vertical label): a line of its own, never a band. */
  rotated?: boolean;
}

/** Checkboxes and ruled tables found in the page rendered as an image of `width` x `height` pixels. */
export interface RenderedStructure extends PageStructure {
  width: number;
  height: number;
}

export function pdfTextPage(
  items: PdfTextItem[],
  page: { number: number; width: number; height: number },
  ids: IdSequence,
  rendered?: RenderedStructure,
  formFields: PdfFormField[] = [],
): Page {
  const out = emptyPage(page.number, { width: page.width, height: page.height, unit: 'point' });
  const { text, boxes } = ballotBoxes(items);
  // Group into lines: sort by top, then start a new line when an item's middle is below the current line's band.
  // A form's answers are read with the printed text, so that "Full name: Jane Doe" is one line as the reader sees it.
  const sorted = [...text, ...formValueItems(formFields)].filter((i) => i.str.trim()).sort((a, b) => a.y - b.y || a.x - b.x);
  const valueWords = new Map<number, string[]>();
  const lines: PdfTextItem[][] = [];
  for (const item of sorted.filter((i) => !i.rotated)) {
    const current = lines[lines.length - 1];
    const band = current && current[0];
    if (band && item.y + item.height / 2 <= band.y + band.height && item.y + item.height / 2 >= band.y) current.push(item);
    else lines.push([item]);
  }
  const flowing = lines.length;
  for (const item of sorted) if (item.rotated) lines.push([item]);
  const aside = new Set<string>();
  lines.forEach((lineItems, index) => {
    lineItems.sort((a, b) => a.x - b.x);
    const pieces = wordPieces(lineItems);
    if (!pieces.length) return;
    const wordIds: string[] = [];
    for (const piece of pieces) {
      const id = ids.next('w');
      out.words.push({ id, text: piece.text, confidence: 1, geometry: boxGeometry(piece.x0, piece.y0, piece.x1, piece.y1, page.width, page.height), vendorIds: [] });
      wordIds.push(id);
      if (piece.field !== undefined) valueWords.set(piece.field, [...(valueWords.get(piece.field) ?? []), id]);
    }
    const texts = pieces.map((piece) => piece.text);
    const x0 = Math.min(...lineItems.map((i) => i.x));
    const x1 = Math.max(...lineItems.map((i) => i.x + i.width));
    const y0 = Math.min(...lineItems.map((i) => i.y));
    const y1 = Math.max(...lineItems.map((i) => i.y + i.height));
    const id = ids.next('l');
    out.lines.push({ id, text: texts.join(' '), wordIds, confidence: 1, geometry: boxGeometry(x0, y0, x1, y1, page.width, page.height), vendorIds: [] });
    if (index >= flowing) aside.add(id);
  });
  if (formFields.length) addFormFields(out, formFields, valueWords, page, ids);
  // Before the rendering's checkboxes, so that a ballot box drawn as a square is not added twice.
  if (boxes.length) addCheckboxes(out, boxes, page, ids);
  addPageStructure(out, rendered ?? {}, rendered ?? page, ids, (filled) => pdfRegions(filled, ids, aside));
  // The detectors read rows across the page, as Tesseract gives them ("Sub Total  $85.00" is a label and its figure
  // on one row); the document gets the lines a reader sees, parted where a wide gap parts them, as Textract gives them.
  // The regions are read again from those lines: an address beside a table is then a block of its own.
  partAtWideGaps(out, ids);
  out.regions = pdfRegions(out, ids, aside);
  return out;
}

/**
 * Characters that are checkboxes, and whether each is marked: the ballot boxes (☐ ☑ ☒), the Dingbats outlined
 * squares (❏ ❐ ❑ ❒) and the white square (□), which documents use as empty boxes.
 */
const BALLOT_BOXES: ReadonlyMap<string, boolean> = new Map([
  ['\u2610', false],
  ['\u2611', true],
  ['\u2612', true],
  ['\u274F', false],
  ['\u2750', false],
  ['\u2751', false],
  ['\u2752', false],
  ['\u25A1', false],
]);

/**
 * The checkboxes written as characters, where each character stands (its share of the item's width, by character
 * count, as words are placed), and the items with those characters blanked, so that no word is made of a box.
 */
function ballotBoxes(items: PdfTextItem[]): { text: PdfTextItem[]; boxes: CheckboxBox[] } {
  const boxes: CheckboxBox[] = [];
  const text = items.map((item) => {
    const chars = [...item.str];
    if (item.rotated || !chars.some((c) => BALLOT_BOXES.has(c))) return item;
    const advance = item.width / chars.length;
    const side = Math.min(advance, item.height);
    chars.forEach((c, i) => {
      const selected = BALLOT_BOXES.get(c);
      if (selected === undefined) return;
      const x0 = item.x + i * advance + (advance - side) / 2;
      const y0 = item.y + (item.height - side) / 2;
      boxes.push({ x0, y0, x1: x0 + side, y1: y0 + side, selected, confidence: 1 });
      chars[i] = ' ';
    });
    return { ...item, str: chars.join('') };
  });
  return { text, boxes };
}

/** Items closer than this share of their height are one word: a PDF writer splits "Un-Selected" into "Un", "-", "Selected". */
const TOUCHING = 0.1;

interface WordPiece {
  text: string;
  /** The form field whose answer this word is. */
  field?: number;
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/** The words of one line's items, left to right: split at spaces, joined where one item ends as the next begins. */
function wordPieces(lineItems: PdfTextItem[]): WordPiece[] {
  const pieces: WordPiece[] = [];
  let open: WordPiece | undefined; // the last word, while nothing has separated it from what follows
  for (const item of lineItems) {
    const chars = item.str.length || 1;
    const field = (item as { field?: number }).field;
    // A form's answer is never one word with the printed text it touches.
    const touches = open !== undefined && open.field === field && Math.abs(item.x - open.x1) < TOUCHING * item.height;
    let cursor = 0;
    for (const part of item.str.split(/(\s+)/)) {
      if (part.trim()) {
        const x0 = item.x + (cursor / chars) * item.width;
        const x1 = item.x + ((cursor + part.length) / chars) * item.width;
        if (cursor === 0 && touches && open) {
          open.text += part;
          open.x1 = x1;
          open.y0 = Math.min(open.y0, item.y);
          open.y1 = Math.max(open.y1, item.y + item.height);
        } else {
          open = { text: part, x0, x1, y0: item.y, y1: item.y + item.height, ...(field === undefined ? {} : { field }) };
          pieces.push(open);
        }
      } else if (part) open = undefined;
      cursor += part.length;
    }
  }
  return pieces;
}
