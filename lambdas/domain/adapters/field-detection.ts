/**
 * Key-value fields from word positions alone, for the engines that find none themselves (Tesseract, the PDF text
 * layer), in three printed-form conventions:
 * - "Label: value" on one line: a key of a few words ending in a colon, and its value after it up to the next wide
 *   gap (or, when the colon ends a cell, the next cell on the line, as in a form whose values stand in a column of
 *   their own);
 * - a label alone on its line ("From:") over its value: the block of lines just below it that start where the label
 *   starts (an address), up to a blank line, another label or a table; with nothing there, an empty value;
 * - labels in a table: a two-column table of labels beside values ("Invoice Number | INV-3337"), and a header row of
 *   labels over a single row of values ("Hrs/Qty | Service" over "1.00 | Web Design"), as Textract reads them;
 * - a label and a figure alone on their line, apart ("SUBTOTAL   $1699.96", a receipt's or an invoice's totals);
 * - labels ending in a number sign, each before its number or code ("ST# 1477 OP# 19280104", a receipt's header);
 * - a line of labels over a line of values, as in a form's boxes ("City   State   Zip" over "Sample Town   MN   12345").
 * Labels without a colon outside a table ("Invoice Number INV-3337" in running text) are not told from prose, so
 * they are missed rather than invented. A vendor that detects fields (Textract, Document AI) keeps its own and never
 * goes through here.
 */
import type { Field, FieldPart, Line, Page, Word } from '../document';
import type { IdSequence } from './page-assembly';
import { gapScaleOf, geometryOf, isWideGap, meanConfidence, placedWords, union, type Box, type GapScale, type PlacedWord } from './word-layout';

/** A key longer than this is a sentence that happens to end in a colon, not a label. */
const MAX_KEY_WORDS = 6;
/** A key needs this many letters: "12:" (a time split by the OCR) or "$:" is not a label. */
const MIN_KEY_LETTERS = 2;
/** Lines of a value block under its label are at most this many text heights apart, and at most this many. */
const BLOCK_LINE_GAP = 1;
const MAX_BLOCK_LINES = 6;
/** A label beside a figure, read with less confidence than this, is more likely OCR noise than a label. */
const MIN_LABEL_CONFIDENCE = 0.5;

export function detectFields(page: Page, ids: IdSequence): Field[] {
  const placed = placedWords(page.words);
  if (placed.length === 0) return [];
  const scale = gapScaleOf(page, placed);
  const byId = new Map(placed.map((w) => [w.word.id, w]));
  // Words already in a field (a checkbox's label, a PDF form's answer) are not read into another.
  const taken = new Set(page.fields.flatMap((f) => [...f.key.wordIds, ...f.value.wordIds]));
  const inTables = new Set(page.tables.flatMap((t) => t.cells.flatMap((c) => c.wordIds)));
  const topOf = (line: Line): number => Math.min(...line.wordIds.map((id) => byId.get(id)?.box.top ?? Infinity));
  const linesByTop = page.lines.filter((line) => line.wordIds.some((id) => byId.has(id))).sort((a, b) => topOf(a) - topOf(b));
  const rows = linesByTop.map((line) => line.wordIds.map((id) => byId.get(id)).filter((w): w is PlacedWord => w !== undefined));
  const fields: Field[] = [];
  const add = (field: Field): void => {
    fields.push(field);
    for (const id of [...field.key.wordIds, ...field.value.wordIds]) taken.add(id);
  };
  /** The line's words not yet in a field, nor (with `outsideTables`) in a table. */
  const freeWords = (line: Line, outsideTables = false): PlacedWord[] =>
    line.wordIds.filter((id) => !taken.has(id) && !(outsideTables && inTables.has(id))).map((id) => byId.get(id)).filter((w): w is PlacedWord => w !== undefined);
  for (const line of page.lines) {
    const cells = cellsOf(freeWords(line), scale);
    for (let c = 0; c < cells.length; c++) {
      const cell = cells[c];
      const colon = cell.findIndex((w) => w.word.text.endsWith(':'));
      if (colon < 0) {
        const { pairs, tookNext } = numberSignPairs(cell, cells[c + 1]);
        for (const [key, value] of pairs) add(fieldOf(key, value, ids));
        if (tookNext) c++;
        continue;
      }
      if (!isKey(cell.slice(0, colon + 1))) continue;
      const key = cell.slice(0, colon + 1);
      let value = cell.slice(colon + 1);
      // "Label:" closing its cell takes the next cell as its value, unless that cell is a label of its own.
      if (value.length === 0 && c + 1 < cells.length && !cells[c + 1].some((w) => w.word.text.endsWith(':'))) value = cells[++c];
      // A colon that ends a cell in the middle of a line, with nothing for it, is more likely OCR noise than a label.
      if (value.length === 0 && cells.length > 1) continue;
      // A label alone on its line: its value, if any, is the block below it.
      if (value.length === 0) value = valueBelow(key, rows, scale, (w) => taken.has(w.word.id) || inTables.has(w.word.id));
      add(fieldOf(key, value, ids));
    }
  }
  for (const field of tableFields(page, byId, (w) => taken.has(w.word.id), ids)) add(field);
  // A label and a figure alone on their line, a wide gap between them: "SUBTOTAL   $1699.96"; or the last two cells
  // of a line, set well apart from what comes before them (an invoice's "INVOICE DATE   11/02/2019" at the right of
  // the sender's address). The weakest of the conventions, so not in the title (beside a logo) or a page number, nor
  // with a label the OCR is unsure of.
  const headings = new Set(page.regions.filter((r) => r.type === 'title' || r.type === 'page_number').flatMap((r) => r.lineIds));
  for (const line of page.lines) {
    if (headings.has(line.id)) continue;
    const words = freeWords(line, true);
    if (words.length !== line.wordIds.length) continue;
    const pair = labelAndFigure(cellsOf(words, scale));
    if (!pair || !isLabel(pair[0]) || !pair[1].some((w) => /\d/.test(w.word.text))) continue;
    if ((meanConfidence(pair[0].map((w) => w.word)).confidence ?? 1) < MIN_LABEL_CONFIDENCE) continue;
    add(fieldOf(pair[0], pair[1], ids));
  }
  // Labels over their values, as in a form's boxes, each label at the top of the box its value was written in:
  // "City   State   Zip" over "Sample Town   MN   12345".
  // A speck the OCR read as a letter with no confidence ("N" beside a form's labels) is neither a label nor a line.
  const isText = (w: PlacedWord): boolean => w.word.text.length > MAX_SPECK_LETTERS || (w.word.confidence ?? 1) >= SPECK_CONFIDENCE;
  const byTop = linesByTop.filter((line) => line.wordIds.some((id) => byId.has(id) && isText(byId.get(id)!)));
  for (let r = 0; r + 1 < byTop.length; r++) {
    const [above, labels, values] = [byTop[r - 1], byTop[r], byTop[r + 1]].map((line) => {
      const words = line ? freeWords(line, true) : [];
      return line && words.length === line.wordIds.length ? cellsOf(words.filter(isText), scale) : [];
    });
    // Lines that continue the columns of the line above them are the blocks under a heading ("BILL TO   SHIP TO"
    // over two names over two addresses), not labels.
    if (continuesColumns(above, labels, scale)) continue;
    const pairs = labelsOverValues(labels, values, scale);
    if (pairs.length === 0) continue;
    for (const [key, value] of pairs) add(fieldOf(key, value, ids));
    r++; // the values' line is no label line of its own
  }
  return fields;
}

/** A word of at most this many letters, read with less confidence than that, is a speck, not text. */
const MAX_SPECK_LETTERS = 2;
const SPECK_CONFIDENCE = 0.1;
/** A box's label has at most this many words, besides a note in brackets. */
const MAX_BOX_LABEL_WORDS = 4;
/** Lines of one column block are at most this many text heights apart (a heading's gap above its block included). */
const COLUMN_LINE_GAP = 2.5;
/** A line of values sits at most this many text heights under its line of labels. */
const VALUES_BELOW = 1.5;

/**
 * Each label of a line of labels (two or more cells, no figures, nothing but labels), with the cells of the line just
 * under it that are nearer to it than to any other label. Nothing unless two labels or more get a value and some
 * value has a figure or an address in it: two lines of words are more often a heading over prose, or two lines of
 * labels.
 */
function labelsOverValues(labels: PlacedWord[][], values: PlacedWord[][], scale: GapScale): [PlacedWord[], PlacedWord[]][] {
  if (labels.length < 2 || values.length < 2 || !labels.every(isBoxLabel)) return [];
  const { bottom } = union(labels.flat().map((w) => w.box));
  const { top } = union(values.flat().map((w) => w.box));
  if (top < bottom - scale.height / 2 || top - bottom > VALUES_BELOW * scale.height) return [];
  const span = (cell: PlacedWord[]) => union(cell.map((w) => w.box));
  const distance = (a: Box, b: Box) => Math.max(0, a.left - b.right, b.left - a.right);
  const valuesOf = labels.map((): PlacedWord[] => []);
  for (const cell of values) {
    const distances = labels.map((label) => distance(span(label), span(cell)));
    const nearest = Math.min(...distances);
    const at = distances.indexOf(nearest);
    if (distances.lastIndexOf(nearest) !== at) continue; // as near to two labels: it belongs to neither for sure
    valuesOf[at].push(...cell);
  }
  const pairs = labels.map((label, i): [PlacedWord[], PlacedWord[]] => [label, valuesOf[i]]).filter(([, value]) => value.length > 0);
  return pairs.length >= 2 && pairs.some(([, value]) => value.some((w) => /[\d@]/.test(w.word.text))) ? pairs : [];
}

/** `lower` starts its cells where `upper` starts its own, as many of them, just under it: the same columns go on. */
function continuesColumns(upper: PlacedWord[][], lower: PlacedWord[][], scale: GapScale): boolean {
  if (upper.length < 2 || upper.length !== lower.length) return false;
  const tolerance = scale.height / scale.aspect; // one text height, across the page
  const gap = union(lower.flat().map((w) => w.box)).top - union(upper.flat().map((w) => w.box)).bottom;
  return gap <= COLUMN_LINE_GAP * scale.height && upper.every((cell, i) => Math.abs(cell[0].box.left - lower[i][0].box.left) <= tolerance);
}

/**
 * A box's label: letters, no figures, at most MAX_BOX_LABEL_WORDS words besides a note in brackets ("Home Address
 * (include unit number)"); longer is a heading ("OFFICE FOR ALL OTHER AREAS" over an address).
 */
function isBoxLabel(cell: PlacedWord[]): boolean {
  const text = cell.map((w) => w.word.text).join(' ');
  if (/\d/.test(text)) return false;
  const outside = text.replace(/\([^)]*\)/g, ' ').trim();
  return outside.split(/\s+/).length <= MAX_BOX_LABEL_WORDS && outside.replace(/[^\p{L}]/gu, '').length >= MIN_KEY_LETTERS;
}

/** Cells before a trailing label and figure are this many times further from them than they are from each other. */
const APART = 2;

/** The line's two cells, or its last two when the cells before them stand APART times further off. */
function labelAndFigure(cells: PlacedWord[][]): [PlacedWord[], PlacedWord[]] | undefined {
  if (cells.length === 2) return [cells[0], cells[1]];
  if (cells.length < 3) return undefined;
  const [before, label, figure] = cells.slice(-3);
  const right = (cell: PlacedWord[]) => union(cell.map((w) => w.box)).right;
  const gapBefore = label[0].box.left - right(before);
  const gapBetween = figure[0].box.left - right(label);
  return gapBefore > APART * gapBetween ? [label, figure] : undefined;
}

/** A number or a code: "1477", "C95778D3", "1234 1234". */
const isNumberOrCode = (words: PlacedWord[]): boolean => words.length > 0 && words.length <= MAX_CODE_WORDS && words.every((w) => /\d/.test(w.word.text) && /^[\p{L}\p{N}./-]+$/u.test(w.word.text));
/** A code after a number sign is at most this many words ("4321 432"). */
const MAX_CODE_WORDS = 2;

/**
 * Labels ending in a number sign, each followed by its number or code, several to a cell as on a receipt's header
 * ("ST# 1477 OP# 19280104 TE# 20", "TERMINAL # C95778D3", "ACC # 1234 1234"). The key is the word that ends in the
 * sign, or a lone sign with the word before it; the value runs to the next key and must be a number or a code, so
 * that "# ITEMS SOLD 4" or a sign in running text make no field. A key that closes its cell takes the next cell as
 * its value when that cell is a number or a code ("INVOICE #   US-001"), and says so (`tookNext`).
 */
function numberSignPairs(cell: PlacedWord[], next: PlacedWord[] | undefined): { pairs: [PlacedWord[], PlacedWord[]][]; tookNext: boolean } {
  const keys: [number, number][] = [];
  for (let i = 0; i < cell.length; i++) {
    const text = cell[i].word.text;
    if (!text.endsWith('#')) continue;
    const start = text.length > 1 ? i : i - 1;
    if (start < 0 || (keys.length && start <= keys[keys.length - 1][1]) || !isKey(cell.slice(start, i + 1))) continue;
    keys.push([start, i]);
  }
  const pairs: [PlacedWord[], PlacedWord[]][] = [];
  let tookNext = false;
  keys.forEach(([start, sign], k) => {
    const key = cell.slice(start, sign + 1);
    const value = cell.slice(sign + 1, k + 1 < keys.length ? keys[k + 1][0] : cell.length);
    if (isNumberOrCode(value)) pairs.push([key, value]);
    else if (value.length === 0 && k === keys.length - 1 && next && isNumberOrCode(next)) {
      pairs.push([key, next]);
      tookNext = true;
    }
  });
  return { pairs, tookNext };
}

/**
 * The lines under a label that start where it starts, each up to its first wide gap: "From:" over a sender's
 * address. The block ends at a blank line (a gap over BLOCK_LINE_GAP text heights), another label, or a word that
 * `stops` (one already in a field, or in a table).
 */
function valueBelow(key: PlacedWord[], rows: PlacedWord[][], scale: GapScale, stops: (word: PlacedWord) => boolean): PlacedWord[] {
  const label = union(key.map((w) => w.box));
  const tolerance = scale.height / scale.aspect; // one text height, across the page
  const value: PlacedWord[] = [];
  let bottom = label.bottom;
  let lines = 0;
  for (const words of rows) {
    const top = Math.min(...words.map((w) => w.box.top));
    if (top < label.bottom - 1e-9) continue;
    if (top - bottom > BLOCK_LINE_GAP * scale.height) break;
    const cell = cellsOf(words, scale).find((c) => Math.abs(c[0].box.left - label.left) <= tolerance);
    if (!cell) continue; // a line of the column beside: the block may go on below it
    if (cell.some((w) => stops(w) || isLabelWord(w.word.text))) break;
    value.push(...cell);
    bottom = Math.max(...cell.map((w) => w.box.bottom));
    if (++lines >= MAX_BLOCK_LINES) break;
  }
  return value;
}

/**
 * Fields in tables of labels: each row of a two-column table whose left cells are all labels, and each column of a
 * two-row table whose top row is all labels. Words already in a field are not read again.
 */
function tableFields(page: Page, byId: Map<string, PlacedWord>, taken: (word: PlacedWord) => boolean, ids: IdSequence): Field[] {
  const fields: Field[] = [];
  const wordsOf = (ids: string[]): PlacedWord[] => ids.map((id) => byId.get(id)).filter((w): w is PlacedWord => w !== undefined);
  for (const table of page.tables) {
    const at = (row: number, column: number) => wordsOf(table.cells.find((c) => c.row === row && c.column === column && c.rowSpan === 1 && c.colSpan === 1)?.wordIds ?? []);
    const pairs: [PlacedWord[], PlacedWord[]][] = [];
    if (table.columns === 2) {
      // Rows under a header row are data, not labels beside values; the header itself is not a field.
      const first = table.cells.some((c) => c.row === 0 && c.roles.includes('column_header')) ? 1 : 0;
      for (let row = first; row < table.rows; row++) pairs.push([at(row, 0), at(row, 1)]);
    } else if (table.rows === 2) {
      for (let column = 0; column < table.columns; column++) pairs.push([at(0, column), at(1, column)]);
    }
    const labelled = pairs.filter(([key]) => key.length > 0);
    if (labelled.length === 0 || !labelled.every(([key]) => isLabel(key))) continue;
    for (const [key, value] of labelled) {
      if (value.length === 0 || [...key, ...value].some(taken)) continue;
      fields.push(fieldOf(key, value, ids));
    }
  }
  return fields;
}

/** A word that ends a label: "Name:", or "Name:Big" (a label the OCR joined to its value). */
const isLabelWord = (text: string): boolean => text.endsWith(':') || /^\p{L}{2,}:\S/u.test(text);

/** A table's label: a few words, with letters and without figures. */
function isLabel(words: PlacedWord[]): boolean {
  return isKey(words) && words.every((w) => !/\d/.test(w.word.text));
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
