// Reads PDFs with pdfjs-dist in a worker thread: pdfjs is an ES module only, and a worker keeps it (and its
// memory) out of the caller's module system, which lets the same code run under tsx, node and jest.
// Message in: { id, bytes: Uint8Array, renderScale, imageScale }, then { id, ack: true } after each page. Messages
// out: { id, page: { number, width, height (as authored), rotate (its /Rotate: 0, 90, 180 or 270), items: [{ str, x,
// y, width, height, rotated? }], formFields: [{ name, label, kind, value, selected?, signed?, x, y, width, height }],
// formFieldsFailure?: string, png?: Uint8Array, image?: { width, height, grey: Uint8Array }, imageFailure?: string }
// } per page, then { id, done: true }; or { id, error: { name, message } }.
// Pages with a text layer give their items, and a grey rendering at imageScale (0: none) in which the caller looks
// for the checkboxes and ruled tables the text layer does not hold; pages without one are rendered to PNG for OCR.
// The answers of a filled PDF form are in its fields (widget annotations), not in the text layer: they come as
// formFields, boxes in the same top-left page points.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parentPort } from 'node:worker_threads';

const require = createRequire(import.meta.url);
const pdfjsRoot = dirname(require.resolve('pdfjs-dist/package.json'));
const pdfjs = await import(join(pdfjsRoot, 'legacy/build/pdf.mjs'));
const { createCanvas } = require('@napi-rs/canvas');

/** What went wrong, in one line, for a warning on the document. */
const failureOf = (error) => `${error?.name ?? 'Error'}: ${error?.message ?? String(error)}`;

/**
 * No rendering is larger than this on its long side: Textract reads images up to 10,000 pixels a side, and a PDF
 * page can be 200 inches wide (a canvas of 36,000 pixels at 180 DPI is gigabytes).
 */
const MAX_RENDER_SIDE = 10000;

/** Rendered pixels darker than this grey level are ink for the checkbox and ruled-table detectors. */
const DRAWN = 200;

/** The page drawn on a white canvas at `scale` (1 = 72 DPI), as displayed or, with `rotation` 0, as authored. */
async function render(page, scale, rotation = page.rotate) {
  const viewport = page.getViewport({ scale, rotation });
  const canvas = createCanvas(Math.ceil(viewport.width), Math.ceil(viewport.height));
  const context = canvas.getContext('2d');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  await page.render({ canvasContext: context, canvas, viewport }).promise;
  return { canvas, context };
}

/**
 * The page rendered at `scale`, as ink (0) on paper (255). A rendering has no scanner noise, so any mark clearly
 * darker than the paper is drawn on purpose: a grey outline (a checkbox drawn at 56% grey) is ink as much as a black
 * one. Luma per ITU-R BT.601.
 */
async function inkImage(page, scale) {
  const { canvas, context } = await render(page, scale, 0);
  const rgba = context.getImageData(0, 0, canvas.width, canvas.height).data;
  const grey = new Uint8Array(canvas.width * canvas.height);
  for (let p = 0, q = 0; p < grey.length; p++, q += 4) grey[p] = rgba[q] * 299 + rgba[q + 1] * 587 + rgba[q + 2] * 114 < DRAWN * 1000 ? 0 : 255;
  return { width: canvas.width, height: canvas.height, grey };
}

/** Share of a signature field's inside (its border left out) that must be ink for the field to count as signed. */
const SIGNED_INK = 0.005;

/** Whether a signature field's box, inside its border, holds ink on the rendered page: a signature drawn in it. */
function holdsInk(image, box, scale) {
  const x0 = Math.max(0, Math.floor((box.x + box.width * 0.1) * scale));
  const x1 = Math.min(image.width, Math.ceil((box.x + box.width * 0.9) * scale));
  const y0 = Math.max(0, Math.floor((box.y + box.height * 0.15) * scale));
  const y1 = Math.min(image.height, Math.ceil((box.y + box.height * 0.85) * scale));
  let ink = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (image.grey[y * image.width + x] === 0) ink++;
  return (x1 - x0) * (y1 - y0) > 0 && ink / ((x1 - x0) * (y1 - y0)) >= SIGNED_INK;
}

/**
 * A text item's box on the page (top-left origin, points). transform = [a, b, c, d, e, f]: (e, f) is the baseline
 * origin in PDF space (origin bottom-left), (a, b) the baseline's direction and (c, d) the glyphs' up direction, each
 * scaled by the font size. Text not running left to right on the page (a diagonal "PAID" stamp, a vertical label) is
 * marked `rotated`, with the box that holds it: it sits on no horizontal line.
 */
function textBox(item, viewport) {
  const [a, b, c, d, e, f] = item.transform;
  const height = Math.hypot(c, d) || item.height || 10;
  const along = Math.hypot(a, b) || 1;
  const up = Math.hypot(c, d) || 1;
  const corners = [
    [e, f],
    [e + (a / along) * item.width, f + (b / along) * item.width],
    [e + (c / up) * height, f + (d / up) * height],
    [e + (a / along) * item.width + (c / up) * height, f + (b / along) * item.width + (d / up) * height],
  ].map(([x, y]) => viewport.convertToViewportPoint(x, y));
  const xs = corners.map(([x]) => x);
  const ys = corners.map(([, y]) => y);
  const [origin, end] = corners;
  const rotated = !(end[0] - origin[0] > 0 && Math.abs(end[1] - origin[1]) <= 0.05 * (end[0] - origin[0]));
  const box = { x: Math.min(...xs), y: Math.min(...ys), width: Math.max(...xs) - Math.min(...xs), height: Math.max(...ys) - Math.min(...ys) };
  // A zero-width item (pdfjs gives some) still keeps its line: its box is the baseline origin and the font height.
  return rotated && item.width > 0 ? { str: item.str, ...box, rotated } : { str: item.str, x: origin[0], y: origin[1] - height, width: item.width, height };
}

/**
 * The kinds of form field docpipe reads (pdfjs fieldType Tx, Btn, Ch, Sig); push buttons are left out. Whether a
 * signature field is signed is not in its data (pdfjs drops the signature value): it is read off the rendering.
 */
function formFieldOf(annotation, viewport) {
  if (annotation.subtype !== 'Widget' || annotation.hidden || !annotation.rect) return undefined;
  const [x0, y0, x1, y1] = viewport.convertToViewportRectangle(annotation.rect);
  const box = { x: Math.min(x0, x1), y: Math.min(y0, y1), width: Math.abs(x1 - x0), height: Math.abs(y1 - y0) };
  const common = { name: annotation.fieldName ?? '', label: annotation.alternativeText ?? '', ...box };
  const value = annotation.fieldValue;
  switch (annotation.fieldType) {
    case 'Tx':
      return { ...common, kind: 'text', value: typeof value === 'string' ? value : '' };
    case 'Ch': {
      // A choice's value is the chosen export values; show what the reader saw (the display values).
      const chosen = (Array.isArray(value) ? value : value ? [value] : []).map((v) => annotation.options?.find((o) => o.exportValue === v)?.displayValue ?? v);
      return { ...common, kind: 'choice', value: chosen.join(', ') };
    }
    case 'Btn':
      if (annotation.checkBox) return { ...common, kind: 'checkbox', value: String(value ?? ''), selected: value !== undefined && value !== null && value !== 'Off' && value !== '' };
      if (annotation.radioButton) return { ...common, kind: 'radio', value: String(annotation.buttonValue ?? ''), selected: value !== undefined && value !== null && value === annotation.buttonValue };
      return undefined;
    case 'Sig':
      return { ...common, kind: 'signature', value: '' };
    default:
      return undefined;
  }
}

/** Pages sent and not yet taken up by the caller, by request: the next page is read once the caller says so. */
const taken = new Map();

parentPort.on('message', async ({ id, bytes, renderScale = 2, imageScale = 2, ack }) => {
  if (ack) {
    taken.get(id)?.();
    return;
  }
  try {
    const document = await pdfjs.getDocument({
      data: bytes,
      standardFontDataUrl: join(pdfjsRoot, 'standard_fonts') + '/',
      cMapUrl: join(pdfjsRoot, 'cmaps') + '/',
      cMapPacked: true,
      wasmUrl: join(pdfjsRoot, 'wasm') + '/',
      isEvalSupported: false,
      useSystemFonts: false,
      verbosity: 0,
    }).promise;
    for (let number = 1; number <= document.numPages; number++) {
      const page = await document.getPage(number);
      // The text is read as authored (no /Rotate), where its lines run left to right; `rotate` says how the page is
      // turned for display, and the caller turns the finished page's geometry the same way.
      const viewport = page.getViewport({ scale: 1, rotation: 0 });
      const content = await page.getTextContent();
      const items = content.items
        .filter((item) => typeof item.str === 'string' && item.str.trim())
        .map((item) => textBox(item, viewport));
      const rotate = (((page.rotate ?? 0) % 360) + 360) % 360;
      const out = { number, width: viewport.width, height: viewport.height, rotate, items, formFields: [] };
      // The printed text is good without the form: a page whose fields cannot be read says why and keeps its text.
      try {
        out.formFields = (await page.getAnnotations()).map((annotation) => formFieldOf(annotation, viewport)).filter((field) => field !== undefined);
      } catch (error) {
        out.formFieldsFailure = failureOf(error);
      }
      const longSide = Math.max(viewport.width, viewport.height);
      if (items.length === 0) {
        // A scan is read at a smaller scale when it must be: its words are measured on the rendering, at any scale.
        const { canvas } = await render(page, Math.min(renderScale, MAX_RENDER_SIDE / longSide));
        out.png = new Uint8Array(await canvas.encode('png'));
      } else if (imageScale > 0) {
        // The text is good without the image: a page that does not render says why and keeps its text.
        try {
          if (longSide * imageScale > MAX_RENDER_SIDE) {
            throw new RangeError(`the page is ${Math.round(viewport.width)} x ${Math.round(viewport.height)} points, over ${MAX_RENDER_SIDE} pixels on a side at ${imageScale}x`);
          }
          out.image = await inkImage(page, imageScale);
          for (const field of out.formFields) if (field.kind === 'signature') field.signed = holdsInk(out.image, field, imageScale);
        } catch (error) {
          out.imageFailure = failureOf(error);
        }
      }
      page.cleanup();
      // One page at a time: a page's image (2 MB at 144 DPI) is searched and dropped by the caller before the next
      // is rendered, so that a 3,000-page PDF never holds more than one.
      const next = new Promise((resolve) => taken.set(id, resolve));
      parentPort.postMessage({ id, page: out }, out.image ? [out.image.grey.buffer] : []);
      await next;
    }
    taken.delete(id);
    await document.destroy();
    parentPort.postMessage({ id, done: true });
  } catch (error) {
    taken.delete(id);
    parentPort.postMessage({ id, error: { name: error?.name ?? 'Error', message: error?.message ?? String(error) } });
  }
});
