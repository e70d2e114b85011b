/**
 * The fields of a filled PDF form (AcroForm widgets), which the text layer does not hold: a text box's or a
 * drop-down's answer becomes words on the page, where the form shows it, and a field keyed by the printed label
 * beside the box (or above it, or, failing both, the label the form's author gave the field); a checkbox or radio
 * button becomes a selection element with the field its label makes, as a scanned checkbox does. A signature field
 * is keyed like a text box; signed, it holds a signature element, as Textract reports a signature. Each keeps the
 * form field's name as its vendor id. An empty text box, or an unsigned signature field, is a key with an empty value.
 */
import type { Field, Page, Signature } from '../../document';
import { addCheckboxes, type CheckboxBox } from '../checkbox-detection';
import { fieldPartOf } from '../field-detection';
import { boxGeometry, centreOf, contains, type IdSequence } from '../page-assembly';
import { boxOf, gapScaleOf, geometryOf, isWideGap, placedWords, union, type Box, type PlacedWord } from '../word-layout';
import type { PdfTextItem } from './index';

/** A form field's widget, in top-left page points. */
export interface PdfFormField {
  /** The field's fully qualified name ("applicant.name"). */
  name: string;
  /** The field's own description (the PDF's alternate field name), when its author gave one. */
  label: string;
  kind: 'text' | 'choice' | 'checkbox' | 'radio' | 'signature';
  /** What the form shows: the text, the chosen options; a button's export value. */
  value: string;
  /** For a checkbox or radio button: whether it is on. */
  selected?: boolean;
  /** For a signature field: whether its box holds ink on the rendered page (unknown when the page is not rendered). */
  signed?: boolean;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A form answer as a text item, marked with its field, to be read into lines with the printed text. */
export interface FormValueItem extends PdfTextItem {
  field: number;
}

/** Share of the widget's height that its text takes, and the width of a character as a share of that height. */
const TEXT_HEIGHT_SHARE = 0.6;
const CHARACTER_WIDTH = 0.5;
/** A label above a box sits at most this many text heights above it; one left of it, at most this many away. */
const ABOVE_HEIGHTS = 2;
const LEFT_HEIGHTS = 10;

/**
 * The answers of text boxes and drop-downs as text items where the widget shows them (vertically centred, from its
 * left edge; the width estimated from the character count, since the form's font is not measured).
 */
export function formValueItems(fields: PdfFormField[]): FormValueItem[] {
  const items: FormValueItem[] = [];
  fields.forEach((field, index) => {
    const str = field.value.replace(/\s+/g, ' ').trim();
    if ((field.kind !== 'text' && field.kind !== 'choice') || !str) return;
    const height = field.height * TEXT_HEIGHT_SHARE;
    const inset = Math.min(2, field.width / 10);
    items.push({ str, x: field.x + inset, y: field.y + (field.height - height) / 2, width: Math.min(field.width - 2 * inset, str.length * height * CHARACTER_WIDTH), height, field: index });
  });
  return items;
}

/**
 * The form's fields on the page: `valueWords` gives, per field index, the ids of the words its answer became.
 * Checkboxes and radio buttons go first, so that the same box found again in the rendered page is not added twice.
 */
export function addFormFields(page: Page, fields: PdfFormField[], valueWords: Map<number, string[]>, size: { width: number; height: number }, ids: IdSequence): void {
  const buttons = fields.filter((f) => f.kind === 'checkbox' || f.kind === 'radio');
  const boxes: CheckboxBox[] = buttons.map((f) => ({ x0: f.x, y0: f.y, x1: f.x + f.width, y1: f.y + f.height, selected: f.selected === true, confidence: 1, vendorIds: [f.name] }));
  addCheckboxes(page, boxes, size, ids);
  const widget = (f: PdfFormField) => boxGeometry(f.x, f.y, f.x + f.width, f.y + f.height, size.width, size.height);
  // Each button's selection element, by place (addCheckboxes adds them in reading order, not in the form's order).
  const selectionOf = new Map(buttons.map((f) => [f, page.selections.find((s) => contains(s.geometry, centreOf(widget(f))))]));

  const placed = placedWords(page.words);
  const scale = gapScaleOf(page, placed);
  const answers = new Set([...valueWords.values()].flat());
  const printed = placed.filter((w) => !answers.has(w.word.id));
  const byId = new Map(placed.map((w) => [w.word.id, w]));
  fields.forEach((field, index) => {
    if (field.kind !== 'text' && field.kind !== 'choice' && field.kind !== 'signature') return;
    const box = boxOf({ geometry: widget(field) })!;
    const value = (valueWords.get(index) ?? []).map((id) => byId.get(id)).filter((w): w is PlacedWord => w !== undefined);
    const label = labelLeftOf(box, printed, scale) ?? labelAbove(box, printed, scale);
    const key = label ? fieldPartOf(label) : { text: field.label || field.name, wordIds: [], selectionIds: [], signatureIds: [], vendorIds: [] };
    const signature: Signature | undefined = field.signed ? { id: ids.next('sg'), confidence: 1, geometry: geometryOf(box), vendorIds: [field.name] } : undefined;
    if (signature) page.signatures.push(signature);
    const valuePart = { ...fieldPartOf(value), ...(signature ? { signatureIds: [signature.id] } : {}), geometry: geometryOf(box) };
    const parts = [box, ...(label ?? []).map((w) => w.box)];
    const form: Field = {
      id: ids.next('f'),
      key: { ...key, vendorIds: [field.name] },
      value: { ...valuePart, vendorIds: [field.name] },
      valueType: signature ? 'signature' : value.length ? 'text' : 'empty',
      confidence: 1,
      geometry: geometryOf(union(parts)),
      vendorIds: [field.name],
    };
    page.fields.push(form);
  });

  // A radio group is one answer: a field keyed by the label before its first button ("Plan:"), whose value is the
  // group's buttons and the label of the one chosen (each button also has its own field, as a checkbox does).
  for (const [name, group] of groupsByName(buttons.filter((f) => f.kind === 'radio'))) {
    const selections = group.map((f) => selectionOf.get(f)).filter((s): s is NonNullable<typeof s> => s !== undefined);
    const boxes = selections.map(boxOf).filter((b): b is Box => b !== undefined);
    if (boxes.length === 0) continue;
    // The first button in reading order: the top row's leftmost.
    const first = boxes.reduce((a, b) => (b.top < a.top - (a.bottom - a.top) / 2 || (Math.abs(b.top - a.top) <= (a.bottom - a.top) / 2 && b.left < a.left) ? b : a));
    const label = labelLeftOf(first, printed, scale) ?? labelAbove(first, printed, scale);
    if (!label) continue;
    const chosen = selections.find((s) => s.selected);
    const chosenLabel = chosen && page.fields.find((f) => f.valueType === 'selection' && f.value.selectionIds.includes(chosen.id));
    page.fields.push({
      id: ids.next('f'),
      key: { ...fieldPartOf(label), vendorIds: [name] },
      value: { text: chosenLabel?.key.text ?? '', wordIds: [], selectionIds: selections.map((s) => s.id), signatureIds: [], confidence: 1, geometry: geometryOf(union(boxes)), vendorIds: [name] },
      valueType: 'selection',
      selected: chosen !== undefined,
      confidence: 1,
      geometry: geometryOf(union([...label.map((w) => w.box), ...boxes])),
      vendorIds: [name],
    });
  }
}

function groupsByName(fields: PdfFormField[]): Map<string, PdfFormField[]> {
  const groups = new Map<string, PdfFormField[]>();
  for (const field of fields) groups.set(field.name, [...(groups.get(field.name) ?? []), field]);
  return groups;
}

/** The printed words on the box's row that end left of it: the group nearest the box, up to a wide gap. */
function labelLeftOf(box: Box, printed: PlacedWord[], scale: ReturnType<typeof gapScaleOf>): PlacedWord[] | undefined {
  const middle = (box.top + box.bottom) / 2;
  const row = printed
    // Ending left of the box, or a little inside its border (a label set tight against it).
    .filter((w) => (w.box.left + w.box.right) / 2 < box.left && (w.box.right - box.left) * scale.aspect <= scale.height / 2 && w.box.top < middle && w.box.bottom > middle)
    .sort((a, b) => b.box.right - a.box.right);
  if (row.length === 0 || (box.left - row[0].box.right) * scale.aspect > LEFT_HEIGHTS * scale.height) return undefined;
  const label = [row[0]];
  for (const w of row.slice(1)) {
    if (isWideGap(w.box, label[0].box, scale)) break;
    label.unshift(w);
  }
  return label;
}

/** The printed words just above the box that start over it: a label set above its box. */
function labelAbove(box: Box, printed: PlacedWord[], scale: ReturnType<typeof gapScaleOf>): PlacedWord[] | undefined {
  const above = printed.filter((w) => w.box.bottom <= box.top + 1e-9 && box.top - w.box.bottom < ABOVE_HEIGHTS * scale.height && w.box.right > box.left && w.box.left < box.right);
  if (above.length === 0) return undefined;
  const nearest = Math.max(...above.map((w) => w.box.bottom));
  const row = above.filter((w) => nearest - w.box.bottom < scale.height / 2).sort((a, b) => a.box.left - b.box.left);
  // From the word nearest the box's left edge, rightwards up to a wide gap.
  const label = [row[0]];
  for (const w of row.slice(1)) {
    if (isWideGap(label[label.length - 1].box, w.box, scale)) break;
    label.push(w);
  }
  return label;
}
