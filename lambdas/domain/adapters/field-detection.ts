/**
 * Key-value fields from word positions alone, for the engines that find none themselves (Tesseract, the PDF text
 * layer). A field here is the printed-form convention "Label: value" on one line: a key of a few words ending in a
 * colon, and its value after it up to the next wide gap (or, when the colon ends a cell, the next cell on the line,
 * as in a form whose values stand in a column of their own). A label alone on its line ("From:") is a key with an
 * empty value: its value is elsewhere and is not guessed. Labels without a colon ("Invoice Number INV-3337") are not
 * told from running text, so they are missed rather than invented. A vendor that detects fields (Textract, Document
 * AI) keeps its own and never goes through here.
 */
import type { Field, FieldPart, Page, Word } from '../document';
import type { IdSequence } from './page-assembly';
import { gapScaleOf, geometryOf, isWideGap, meanConfidence, placedWords, union, type GapScale, type PlacedWord } from './word-layout';

/** A key longer than this is a sentence that happens to end in a colon, not a label. */
const MAX_KEY_WORDS = 6;
/** A key needs this many letters: "12:" (a time split by the OCR) or "$:" is not a label. */
const MIN_KEY_LETTERS = 2;

export function detectFields(page: Page, ids: IdSequence): Field[] {
  const placed = placedWords(page.words);
  if (placed.length === 0) return [];
  const scale = gapScaleOf(page, placed);
  const byId = new Map(placed.map((w) => [w.word.id, w]));
  // Words already in a field (a checkbox's label, a PDF form's answer) are not read into another.
  const taken = new Set(page.fields.flatMap((f) => [...f.key.wordIds, ...f.value.wordIds]));
  const fields: Field[] = [];
  for (const line of page.lines) {
    const words = line.wordIds.filter((id) => !taken.has(id)).map((id) => byId.get(id)).filter((w): w is PlacedWord => w !== undefined);
    const cells = cellsOf(words, scale);
    for (let c = 0; c < cells.length; c++) {
      const cell = cells[c];
      const colon = cell.findIndex((w) => w.word.text.endsWith(':'));
      if (colon < 0 || !isKey(cell.slice(0, colon + 1))) continue;
      const key = cell.slice(0, colon + 1);
      let value = cell.slice(colon + 1);
      // "Label:" closing its cell takes the next cell as its value, unless that cell is a label of its own.
      if (value.length === 0 && c + 1 < cells.length && !cells[c + 1].some((w) => w.word.text.endsWith(':'))) value = cells[++c];
      // A colon that ends a cell in the middle of a line, with nothing for it, is more likely OCR noise than a label.
      if (value.length === 0 && cells.length > 1) continue;
      fields.push(fieldOf(key, value, ids));
    }
  }
  return fields;
}

/** The line's words, left to right, split into cells at the wide gaps. */
function cellsOf(words: PlacedWord[], scale: GapScale): PlacedWord[][] {
  const sorted = [...words].sort((a, b) => a.box.left - b.box.left);
  const cells: PlacedWord[][] = [];
  for (const w of sorted) {
    const last = cells[cells.length - 1];
    if (last && !isWideGap(last[last.length - 1].box, w.box, scale)) last.push(w);
    else cells.push([w]);
  }
  return cells;
}

function isKey(words: PlacedWord[]): boolean {
  if (words.length > MAX_KEY_WORDS) return false;
  const letters = words.map((w) => w.word.text).join('').replace(/[^\p{L}]/gu, '');
  return letters.length >= MIN_KEY_LETTERS;
}

/** A field's key or value made of words: their text, ids, mean confidence and the box around them. */
export function fieldPartOf(words: PlacedWord[]): FieldPart {
  const plain: Word[] = words.map((w) => w.word);
  return {
    text: plain.map((w) => w.text).join(' '),
    wordIds: plain.map((w) => w.id),
    selectionIds: [],
    signatureIds: [],
    ...meanConfidence(plain),
    ...(words.length ? { geometry: geometryOf(union(words.map((w) => w.box))) } : {}),
    vendorIds: [],
  };
}

function fieldOf(keyWords: PlacedWord[], valueWords: PlacedWord[], ids: IdSequence): Field {
  const all = [...keyWords, ...valueWords];
  return {
    id: ids.next('f'),
    key: fieldPartOf(keyWords),
    value: fieldPartOf(valueWords),
    valueType: valueWords.length ? 'text' : 'empty',
    ...meanConfidence(all.map((w) => w.word)),
    geometry: geometryOf(union(all.map((w) => w.box))),
    vendorIds: [],
  };
}
