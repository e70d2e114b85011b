/**
 * Checkboxes from the page image, for the local OCR engine (Tesseract reads a box as "O", "[J" or "0", never as a
 * box). A checkbox here is a small square outline about the size of the text: a connected shape of dark pixels whose
 * bounding box is nearly square and whose four edges are almost entirely dark. Letters fail that test (an "O" has
 * light corners, a "D" a light top-right), so do ruling lines and table grids (too long, or too large). A box is
 * selected when enough of its inside is dark (a tick, a cross, a filled square).
 */

import type { Field, Page } from '../document';
import { boxGeometry, centreOf, contains, type IdSequence } from './page-assembly';
import { connectedAreas, type GreyImage } from './page-image';
import { fieldPartOf } from './field-detection';
import { gapScaleOf, geometryOf, isWideGap, placedWords, union, type Box, type PlacedWord } from './word-layout';


/** A checkbox in image pixels. */
export interface CheckboxBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  selected: boolean;
  /** How sure the detector is of the state: how far the inside's dark share is from the threshold, 0.5..1. */
  confidence: number;
  /** Where the box comes from, when it is known (a PDF form's field name). */
  vendorIds?: string[];
}

export interface CheckboxOptions {
  /** The text height in pixels (the median word height): boxes are about that size. */
  textHeight: number;
}

/** Pixels darker than this are ink. */
const INK = 128;
/** A box is at least this share, and at most this multiple, of the text height (lower-case letters are smaller). */
const MIN_SIZE = 0.8;
const MAX_SIZE = 2;
/** Share of each edge that must be ink: a drawn outline, not a letter. */
const MIN_EDGE_INK = 0.85;
/** Inside share of ink above which the box is selected (an empty box has almost none, a tick about a fifth). */
const SELECTED_INK = 0.12;
/** The ring looked at around a box, pixels out from its edges, and the share of it that may be ink. */
const RING = 2;
const MAX_RING_INK = 0.1;
/** The most text heights between a box and the first word of its label. */
const LABEL_GAP_HEIGHTS = 2.5;
/** Boxes smaller than this many pixels a side are not told from bold letters on a low-resolution scan: left out. */
const MIN_PIXELS = 10;

export function detectCheckboxes(image: GreyImage, { textHeight }: CheckboxOptions): CheckboxBox[] {
  const { width, height, grey } = image;
  const min = Math.max(MIN_PIXELS, Math.round(textHeight * MIN_SIZE));
  const max = Math.round(textHeight * MAX_SIZE);
  const inked = new Uint8Array(grey.length);
  for (let p = 0; p < grey.length; p++) if (grey[p] < INK) inked[p] = 1;
  const ink = (x: number, y: number): boolean => inked[y * width + x] === 1;
  const boxes: CheckboxBox[] = [];

  // Each connected shape of ink (8 neighbours), by its bounding box.
  for (const { x0, y0, x1, y1 } of connectedAreas(inked, width, height, true)) {
    const w = x1 - x0 + 1;
    const h = y1 - y0 + 1;
    if (w < min || h < min || w > max || h > max || w > h * 1.3 || h > w * 1.3) continue;
    if (!outlined(ink, x0, y0, x1, y1) || !isolated(ink, width, height, x0, y0, x1, y1)) continue;
    // The inside, a fifth of the size in from each edge, so that a thick outline does not count as a mark.
    const inset = Math.max(2, Math.round(Math.min(w, h) / 5));
    let dark = 0;
    let all = 0;
    for (let y = y0 + inset; y <= y1 - inset; y++) {
      for (let x = x0 + inset; x <= x1 - inset; x++) {
        all++;
        if (ink(x, y)) dark++;
      }
    }
    if (all === 0) continue;
    const share = dark / all;
    const selected = share > SELECTED_INK;
    const distance = selected ? (share - SELECTED_INK) / (1 - SELECTED_INK) : (SELECTED_INK - share) / SELECTED_INK;
    boxes.push({ x0, y0, x1: x1 + 1, y1: y1 + 1, selected, confidence: 0.5 + 0.5 * Math.min(1, distance) });
  }
  // A filled square drawn inside its box is found as a box of its own: keep the outer one.
  return boxes.filter((box) => !boxes.some((outer) => outer !== box && outer.x0 <= box.x0 && outer.y0 <= box.y0 && outer.x1 >= box.x1 && outer.y1 >= box.y1));
}

/**
 * True when the ring of pixels just outside the box is nearly all light: a checkbox stands apart, while a square
 * found in a block of dense print (a scan's security pattern, touching letters) has ink all around it.
 */
function isolated(ink: (x: number, y: number) => boolean, width: number, height: number, x0: number, y0: number, x1: number, y1: number): boolean {
  let dark = 0;
  let all = 0;
  const visit = (x: number, y: number): void => {
    if (x < 0 || y < 0 || x >= width || y >= height) return;
    all++;
    if (ink(x, y)) dark++;
  };
  for (let x = x0 - RING; x <= x1 + RING; x++) {
    visit(x, y0 - RING);
    visit(x, y1 + RING);
  }
  for (let y = y0 - RING + 1; y < y1 + RING; y++) {
    visit(x0 - RING, y);
    visit(x1 + RING, y);
  }
  return all > 0 && dark / all <= MAX_RING_INK;
}

/** True when each of the four edges (the outermost line of pixels, or the one inside it) is nearly all ink. */
function outlined(ink: (x: number, y: number) => boolean, x0: number, y0: number, x1: number, y1: number): boolean {
  const row = (y: number): number => {
    let n = 0;
    for (let x = x0; x <= x1; x++) if (ink(x, y) || ink(x, y + (y === y0 ? 1 : -1))) n++;
    return n / (x1 - x0 + 1);
  };
  const column = (x: number): number => {
    let n = 0;
    for (let y = y0; y <= y1; y++) if (ink(x, y) || ink(x + (x === x0 ? 1 : -1), y)) n++;
    return n / (y1 - y0 + 1);
  };
  // Square corners: a bold "o" or "e" can darken its edges' middles, never its corners.
  const corner = (x: number, y: number, dx: number, dy: number): boolean => ink(x, y) || ink(x + dx, y) || ink(x, y + dy);
  if (!corner(x0, y0, 1, 1) || !corner(x1, y0, -1, 1) || !corner(x0, y1, 1, -1) || !corner(x1, y1, -1, -1)) return false;
  return row(y0) >= MIN_EDGE_INK && row(y1) >= MIN_EDGE_INK && column(x0) >= MIN_EDGE_INK && column(x1) >= MIN_EDGE_INK;
}

/**
 * The checkboxes as selection elements of the page, each with the field it makes: its label (the words just right of
 * the box, up to a wide gap or the next box) as the key, the box as the value, as Textract reports a checkbox.
 * A box with no label stands alone. `size` is the image's size in pixels; the page's geometry is normalised to it.
 */
export function addCheckboxes(page: Page, boxes: CheckboxBox[], size: { width: number; height: number }, ids: IdSequence): void {
  const placed = placedWords(page.words);
  const scale = gapScaleOf(page, placed);
  const normalised = boxes.map((b) => ({ box: b, area: { left: b.x0 / size.width, top: b.y0 / size.height, right: b.x1 / size.width, bottom: b.y1 / size.height } }));
  const known = page.selections.map((s) => s.geometry);
  for (const { box, area } of [...normalised].sort((a, b) => a.area.top - b.area.top || a.area.left - b.area.left)) {
    const geometry = boxGeometry(box.x0, box.y0, box.x1, box.y1, size.width, size.height);
    // The page already has this box (a PDF form's checkbox, found again in the rendered page): not added twice.
    if (known.some((other) => contains(other, centreOf(geometry)))) continue;
    const id = ids.next('s');
    const vendorIds = box.vendorIds ?? [];
    page.selections.push({ id, selected: box.selected, confidence: box.confidence, geometry, vendorIds });
    const label = labelOf(area, placed, normalised.map((n) => n.area), scale);
    if (label.length === 0) continue;
    const field: Field = {
      id: ids.next('f'),
      key: fieldPartOf(label),
      value: { text: '', wordIds: [], selectionIds: [id], signatureIds: [], confidence: box.confidence, geometry, vendorIds },
      valueType: 'selection',
      selected: box.selected,
      confidence: box.confidence,
      geometry: geometryOf(union([area, ...label.map((w) => w.box)])),
      vendorIds,
    };
    page.fields.push(field);
  }
}

/** The words right of the box on its row: from the first one that starts near it, to a wide gap or another box. */
function labelOf(box: Box, placed: PlacedWord[], boxes: Box[], scale: ReturnType<typeof gapScaleOf>): PlacedWord[] {
  const middle = (box.top + box.bottom) / 2;
  const height = box.bottom - box.top;
  // A word whose centre is right of the box's middle: the OCR often reads the box and its label as one word ("OJYES").
  const row = placed
    .filter((w) => Math.abs((w.box.top + w.box.bottom) / 2 - middle) < height && (w.box.left + w.box.right) / 2 > (box.left + box.right) / 2)
    .sort((a, b) => a.box.left - b.box.left);
  const label: PlacedWord[] = [];
  let last: Box = box;
  for (const w of row) {
    // The label may stand further from its box than words from each other (a label in a box of its own).
    if (last === box ? (w.box.left - box.right) * scale.aspect >= LABEL_GAP_HEIGHTS * scale.height : isWideGap(last, w.box, scale)) break;
    // Another box before the middle of this word: the word is that box's label (or the OCR's reading of that box).
    const between = (other: Box): boolean => other !== box && Math.abs((other.top + other.bottom) / 2 - middle) < height && other.left >= last.right - 1e-9 && other.left < (w.box.left + w.box.right) / 2;
    if (boxes.some(between)) break;
    label.push(w);
    last = w.box;
  }
  return label;
}
