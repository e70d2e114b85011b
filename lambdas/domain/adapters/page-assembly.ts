/**
 * What the page-by-page adapters (Tesseract, the PDF text layer) share: element ids unique across the document,
 * pixel boxes normalised to the page, and the document envelope around their pages; and, for every adapter, the
 * "is this element inside that one" test on normalised geometry.
 */
import { markRunningFurniture } from './region-typing';
import { linkContinuedTables } from './table-continuation';
import { DOCUMENT_SCHEMA_NAME, DOCUMENT_SCHEMA_VERSION, type Document, type DocumentWarning, type Geometry, type Page } from '../document';

/** Ids above this count are made afresh instead of kept for the next document: at most about 0.5 MB kept per prefix. */
const CACHED_IDS_PER_PREFIX = 1 << 14;
/** Element ids ("w1", "l2", ...) are the same in every document: made once per process, not once per element. */
const idCache = new Map<string, string[]>();

/** The element ids of one kind in one document: "w1", "w2", ... */
export class PrefixedIds {
  private count = 0;
  private readonly cached: string[];

  constructor(private readonly prefix: string) {
    let cached = idCache.get(prefix);
    if (!cached) idCache.set(prefix, (cached = []));
    this.cached = cached;
  }

  next(): string {
    const n = ++this.count;
    if (n >= CACHED_IDS_PER_PREFIX) return this.prefix + n;
    return this.cached[n] ?? (this.cached[n] = this.prefix + n);
  }
}

/** A document's element ids, one sequence per prefix. */
export class IdSequence {
  private readonly sequences = new Map<string, PrefixedIds>();

  /** The sequence of ids with this prefix: a hot loop keeps it rather than looking the prefix up for every id. */
  of(prefix: string): PrefixedIds {
    let sequence = this.sequences.get(prefix);
    if (!sequence) this.sequences.set(prefix, (sequence = new PrefixedIds(prefix)));
    return sequence;
  }

  next(prefix: string): string {
    return this.of(prefix).next();
  }
}

const clamp = (v: number): number => (v < 0 ? 0 : v > 1 ? 1 : v);

/** A box in page units (pixels or points, origin top-left) as normalised geometry with its four corners. */
export function boxGeometry(x0: number, y0: number, x1: number, y1: number, width: number, height: number): Geometry {
  const left = clamp(Math.min(x0, x1) / width);
  const top = clamp(Math.min(y0, y1) / height);
  const right = clamp(Math.max(x0, x1) / width);
  const bottom = clamp(Math.max(y0, y1) / height);
  return { box: { left, top, width: right - left, height: bottom - top }, polygon: [left, top, right, top, right, bottom, left, bottom] };
}

/**
 * A page read as authored, turned the way it is displayed (a PDF page's /Rotate, clockwise): every geometry on it
 * turns with it, its width and height swap for a quarter turn, and its orientation says which way its text now runs
 * (a quarter turn clockwise: downwards, 90). Reading the page as authored keeps its lines running left to right for
 * the detectors; turning it afterwards puts the boxes where a viewer shows the words.
 */
export function turnPage(page: Page, degrees: number): void {
  const quarter = ((Math.round(degrees / 90) % 4) + 4) % 4;
  if (quarter === 0) return;
  moveGeometry(page, (x, y) => (quarter === 1 ? [1 - y, x] : quarter === 2 ? [1 - x, 1 - y] : [y, 1 - x]));
  if (quarter % 2 === 1 && page.width !== undefined && page.height !== undefined) [page.width, page.height] = [page.height, page.width];
  page.orientation = (quarter * 90) as Page['orientation'];
}

/**
 * A page read straightened (its scan was skewed by `degrees`, clockwise), tilted back: every box turns by `degrees`
 * about the page's centre, so that each polygon lies on the image as uploaded and each box holds its polygon. The
 * page's size in pixels is needed, as a tilt turns pixels, not page fractions.
 */
export function tiltPage(page: Page, degrees: number): void {
  if (degrees === 0 || page.width === undefined || page.height === undefined) return;
  const { width, height } = page;
  const cos = Math.cos((degrees * Math.PI) / 180);
  const sin = Math.sin((degrees * Math.PI) / 180);
  moveGeometry(page, (x, y) => {
    const dx = (x - 0.5) * width;
    const dy = (y - 0.5) * height;
    return [0.5 + (dx * cos - dy * sin) / width, 0.5 + (dx * sin + dy * cos) / height];
  });
}

/** Moves every geometry on the page, point by point (`move` takes and gives page fractions); boxes hold the moved polygons. */
function moveGeometry(page: Page, move: (x: number, y: number) => [number, number]): void {
  const moved = (geometry: Geometry): Geometry => {
    const { left, top, width, height } = geometry.box;
    const corners = geometry.polygon ?? [left, top, left + width, top, left + width, top + height, left, top + height];
    const polygon: number[] = [];
    for (let i = 0; i + 1 < corners.length; i += 2) polygon.push(...move(corners[i], corners[i + 1]).map(clamp));
    const xs = polygon.filter((_, i) => i % 2 === 0);
    const ys = polygon.filter((_, i) => i % 2 === 1);
    const box = { left: Math.min(...xs), top: Math.min(...ys), width: 0, height: 0 };
    box.width = Math.max(...xs) - box.left;
    box.height = Math.max(...ys) - box.top;
    return { ...geometry, box, polygon };
  };
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') {
      const element = value as Record<string, unknown>;
      for (const [key, inner] of Object.entries(element)) {
        if (key === 'geometry' && inner && typeof inner === 'object' && 'box' in inner) element.geometry = moved(inner as Geometry);
        else visit(inner);
      }
    }
  };
  for (const elements of [page.words, page.lines, page.regions, page.tables, page.fields, page.selections, page.signatures]) visit(elements);
}

/** The centre of a box, for "is this inside that" tests between elements on one page. */
export function centreOf(geometry: Geometry | undefined): { x: number; y: number } | undefined {
  if (!geometry) return undefined;
  return { x: geometry.box.left + geometry.box.width / 2, y: geometry.box.top + geometry.box.height / 2 };
}

export function contains(outer: Geometry | undefined, point: { x: number; y: number } | undefined): boolean {
  if (!outer || !point) return false;
  const { left, top, width, height } = outer.box;
  return point.x >= left && point.x <= left + width && point.y >= top && point.y <= top + height;
}

export function emptyPage(number: number, size?: { width: number; height: number; unit: 'pixel' | 'point' }): Page {
  return { id: `p${number}`, number, ...(size ? { width: size.width, height: size.height, unit: size.unit } : {}), orientation: 0, predictions: null, words: [], lines: [], regions: [], tables: [], fields: [], selections: [], signatures: [], vendorIds: [] };
}

export interface Envelope {
  vendor: string;
  api: string;
  adapter: { name: string; version: string };
  modelVersion?: string;
  source?: { contentType?: string; sha256?: string; name?: string };
  documentId?: string;
  warnings?: DocumentWarning[];
}

export function assembleDocument(pages: Page[], envelope: Envelope): Document {
  const ordered = [...pages].sort((a, b) => a.number - b.number);
  linkContinuedTables(ordered);
  markRunningFurniture(ordered);
  return {
    schema: DOCUMENT_SCHEMA_NAME,
    version: DOCUMENT_SCHEMA_VERSION,
    ...(envelope.documentId ? { id: envelope.documentId } : {}),
    source: { ...(envelope.source ?? {}), pageCount: pages.length },
    producer: { vendor: envelope.vendor, api: envelope.api, features: [], ...(envelope.modelVersion ? { modelVersion: envelope.modelVersion } : {}) },
    adapter: envelope.adapter,
    warnings: envelope.warnings ?? [],
    pages: ordered,
    queries: [],
    expenseDocuments: [],
  };
}
