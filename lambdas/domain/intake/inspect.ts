/**
 * Input checks before any OCR money is spent: what the bytes are (by their magic numbers, never the file name),
 * whether they are empty, too large, too many pages, encrypted or corrupt. Each refusal is a typed error with a
 * stable code (docs/errors.md); the original is left where it was.
 */
import { createHash } from 'node:crypto';
import { PDFDocument, PDFName, PDFNumber, PDFStream } from 'pdf-lib';
import { DocpipeError } from '../errors';

export const INTAKE_ERRORS = {
  EMPTY_FILE: 'EMPTY_FILE',
  UNSUPPORTED_TYPE: 'UNSUPPORTED_TYPE',
  FILE_TOO_LARGE: 'FILE_TOO_LARGE',
  TOO_MANY_PAGES: 'TOO_MANY_PAGES',
  PDF_ENCRYPTED: 'PDF_ENCRYPTED',
  PDF_CORRUPT: 'PDF_CORRUPT',
  IMAGE_CORRUPT: 'IMAGE_CORRUPT',
  IMAGE_TOO_LARGE: 'IMAGE_TOO_LARGE',
} as const;

export type DocumentKind = 'pdf' | 'tiff' | 'png' | 'jpeg';
export const CONTENT_TYPES: Record<DocumentKind, string> = { pdf: 'application/pdf', tiff: 'image/tiff', png: 'image/png', jpeg: 'image/jpeg' };

export interface IntakeLimits {
  /** Default 500 MB (Textract's async limit). */
  maxBytes: number;
  /** Default 3000 pages (Textract's async limit). */
  maxPages: number;
  /** The most bytes of a PNG or JPEG. Default 10 MB (Textract's limit for both, sync and async). */
  maxImageBytes: number;
  /**
   * The most pixels on a side of an image (PNG, JPEG, each TIFF page). Default 10,000 (Textract's limit). Beyond it
   * Textract refuses the page, and a small file can hold a huge image: a 0.4 MB PNG of 20,000 x 20,000 white pixels
   * took the local OCR 42 s.
   */
  maxImageSide: number;
  /**
   * The most pixels of one image inside a PDF. Default 144 million: a page of 40 x 40 inches (Textract's largest)
   * scanned at 300 DPI. A 0.7 MB PDF holding a 16,000 x 16,000 image took 4 GB of memory to read locally.
   */
  maxPdfImagePixels: number;
}

export const DEFAULT_LIMITS: IntakeLimits = {
  maxBytes: 500 * 1024 * 1024,
  maxPages: 3000,
  maxImageBytes: 10 * 1024 * 1024,
  maxImageSide: 10_000,
  maxPdfImagePixels: 144_000_000,
};

export interface Inspection {
  kind: DocumentKind;
  contentType: string;
  bytes: number;
  pageCount: number;
  sha256: string;
  /** Pixel size, for single images. */
  width?: number;
  height?: number;
}

export function sniff(bytes: Uint8Array): DocumentKind | undefined {
  const b = bytes;
  if (b.length >= 5 && b[0] === 0x25 && b[1] === 0x50 && b[2] === 0x44 && b[3] === 0x46 && b[4] === 0x2d) return 'pdf'; // %PDF-
  if (b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 && b[4] === 0x0d && b[5] === 0x0a && b[6] === 0x1a && b[7] === 0x0a) return 'png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b.length >= 4 && ((b[0] === 0x49 && b[1] === 0x49 && b[2] === 0x2a && b[3] === 0x00) || (b[0] === 0x4d && b[1] === 0x4d && b[2] === 0x00 && b[3] === 0x2a))) return 'tiff';
  return undefined;
}

export async function inspectDocument(bytes: Uint8Array, limits: Partial<IntakeLimits> = {}): Promise<Inspection> {
  const { maxBytes, maxPages, maxImageBytes, maxImageSide, maxPdfImagePixels } = { ...DEFAULT_LIMITS, ...limits };
  if (bytes.length === 0) throw new DocpipeError(INTAKE_ERRORS.EMPTY_FILE, 'The file is empty (0 bytes): upload the document again.');
  if (bytes.length > maxBytes) throw new DocpipeError(INTAKE_ERRORS.FILE_TOO_LARGE, `The file is ${bytes.length} bytes, over the limit of ${maxBytes}: split it into smaller documents.`);
  const kind = sniff(bytes);
  if (!kind) {
    throw new DocpipeError(INTAKE_ERRORS.UNSUPPORTED_TYPE, 'The file is not a PDF, TIFF, PNG or JPEG (judged by its content, not its name): convert it to one of those.', { details: { head: Buffer.from(bytes.subarray(0, 8)).toString('hex') } });
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const base = { kind, contentType: CONTENT_TYPES[kind], bytes: bytes.length, sha256 };
  let inspection: Inspection;
  switch (kind) {
    case 'pdf':
      inspection = { ...base, pageCount: await pdfPageCount(bytes, maxPdfImagePixels) };
      break;
    case 'tiff': {
      const pages = tiffPageSizes(bytes);
      // A directory without its size tags is left to the decoder, which skips it.
      pages.forEach((size, i) => (size.width || size.height) && checkImageSide(size, maxImageSide, `Page ${i + 1} of the TIFF`));
      inspection = { ...base, pageCount: pages.length };
      break;
    }
    case 'png':
    case 'jpeg': {
      const what = kind === 'png' ? 'PNG' : 'JPEG';
      if (bytes.length > maxImageBytes) {
        throw new DocpipeError(INTAKE_ERRORS.FILE_TOO_LARGE, `The ${what} is ${bytes.length} bytes, over the limit of ${maxImageBytes} for an image: save it with more compression or as a PDF.`);
      }
      const size = kind === 'png' ? pngSize(bytes) : jpegSize(bytes);
      checkImageSide(size, maxImageSide, `The ${what}`);
      inspection = { ...base, pageCount: 1, ...size };
      break;
    }
  }
  if (inspection.pageCount > maxPages) throw new DocpipeError(INTAKE_ERRORS.TOO_MANY_PAGES, `The document has ${inspection.pageCount} pages, over the limit of ${maxPages}: split it.`);
  return inspection;
}

async function pdfPageCount(bytes: Uint8Array, maxImagePixels: number): Promise<number> {
  let count: number;
  let largest: { width: number; height: number } | undefined;
  try {
    const pdf = await PDFDocument.load(bytes, { updateMetadata: false, throwOnInvalidObject: true });
    // Counting walks the page tree, which a damaged file can break as surely as its cross-reference table.
    count = pdf.getPageCount();
    largest = largestImage(pdf);
  } catch (error) {
    if ((error as Error).name === 'EncryptedPDFError' || /encrypted/i.test((error as Error).message)) {
      throw new DocpipeError(INTAKE_ERRORS.PDF_ENCRYPTED, 'The PDF is encrypted (password-protected): remove the protection and upload it again.');
    }
    throw new DocpipeError(INTAKE_ERRORS.PDF_CORRUPT, `The PDF cannot be read (${(error as Error).message.split('\n')[0]}): export it again from its source.`);
  }
  if (count === 0) throw new DocpipeError(INTAKE_ERRORS.PDF_CORRUPT, 'The PDF has no pages.');
  if (largest && largest.width * largest.height > maxImagePixels) {
    throw new DocpipeError(
      INTAKE_ERRORS.IMAGE_TOO_LARGE,
      `The PDF holds an image of ${largest.width} x ${largest.height} pixels, over the limit of ${maxImagePixels} pixels (a 40 x 40 inch page at 300 DPI): scan it again at a lower resolution.`,
    );
  }
  return count;
}

/** The image of the PDF with the most pixels, by its own /Width and /Height (a small file can hold a huge image). */
function largestImage(pdf: PDFDocument): { width: number; height: number } | undefined {
  const [subtype, image, width, height] = ['Subtype', 'Image', 'Width', 'Height'].map((name) => PDFName.of(name));
  let largest: { width: number; height: number } | undefined;
  for (const [, object] of pdf.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFStream) || object.dict.get(subtype) !== image) continue;
    const w = object.dict.lookupMaybe(width, PDFNumber)?.asNumber() ?? 0;
    const h = object.dict.lookupMaybe(height, PDFNumber)?.asNumber() ?? 0;
    if (!largest || w * h > largest.width * largest.height) largest = { width: w, height: h };
  }
  return largest;
}

function checkImageSide(size: { width: number; height: number }, maxSide: number, what: string): void {
  if (size.width === 0 || size.height === 0) throw new DocpipeError(INTAKE_ERRORS.IMAGE_CORRUPT, `${what} says it is ${size.width} x ${size.height} pixels: it is damaged; export it again.`);
  if (size.width > maxSide || size.height > maxSide) {
    throw new DocpipeError(INTAKE_ERRORS.IMAGE_TOO_LARGE, `${what} is ${size.width} x ${size.height} pixels, over the limit of ${maxSide} on a side: scale it down (300 DPI is plenty for OCR).`);
  }
}

/** TIFF tags read here: a page's width and height (SHORT or LONG values). */
const TIFF_IMAGE_WIDTH = 256;
const TIFF_IMAGE_LENGTH = 257;

/** The size of each page (image file directory) of a TIFF, following the chain of IFD offsets. */
function tiffPageSizes(bytes: Uint8Array): { width: number; height: number }[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const little = bytes[0] === 0x49;
  const u16 = (at: number): number => view.getUint16(at, little);
  const u32 = (at: number): number => view.getUint32(at, little);
  const corrupt = (): DocpipeError => new DocpipeError(INTAKE_ERRORS.IMAGE_CORRUPT, 'The TIFF file is damaged (its page directory points outside the file): export it again.');
  let offset = bytes.length >= 8 ? u32(4) : 0;
  const pages: { width: number; height: number }[] = [];
  const seen = new Set<number>();
  while (offset !== 0) {
    if (offset + 2 > bytes.length || seen.has(offset)) throw corrupt();
    seen.add(offset);
    const entries = u16(offset);
    const next = offset + 2 + entries * 12;
    if (next + 4 > bytes.length) throw corrupt();
    const size = { width: 0, height: 0 };
    for (let entry = offset + 2; entry < next; entry += 12) {
      const tag = u16(entry);
      if (tag !== TIFF_IMAGE_WIDTH && tag !== TIFF_IMAGE_LENGTH) continue;
      // Type 3 is SHORT, 4 is LONG; one value fits in the entry itself.
      const value = u16(entry + 2) === 3 ? u16(entry + 8) : u32(entry + 8);
      if (tag === TIFF_IMAGE_WIDTH) size.width = value;
      else size.height = value;
    }
    pages.push(size);
    offset = u32(next);
  }
  if (pages.length === 0) throw corrupt();
  return pages;
}

export function pngSize(bytes: Uint8Array): { width: number; height: number } {
  if (bytes.length < 24 || String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR') throw new DocpipeError(INTAKE_ERRORS.IMAGE_CORRUPT, 'The PNG file is damaged (no image header): export it again.');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** Where a JPEG's EXIF orientation tag is, and what it says (1-8, as the EXIF standard numbers them). */
export interface JpegOrientation {
  value: number;
  /** The clockwise turn that shows the image as meant (3: 180, 6: 90, 8: 270); 0 for the rest. */
  turn: 0 | 90 | 180 | 270;
  /** True for the mirrored values (2, 4, 5, 7): read as stored, since no turn makes mirrored text readable. */
  mirrored: boolean;
  /** Offset of the tag's 2-byte value in the file. */
  offset: number;
  littleEndian: boolean;
}

const TURN_OF_ORIENTATION: Record<number, 0 | 90 | 180 | 270> = { 3: 180, 6: 90, 8: 270 };

/**
 * What an EXIF or TIFF orientation value (1-8, the same numbering in both) asks: the clockwise turn that shows the
 * image as meant, and whether it is stored mirrored (2, 4, 5, 7), which no turn undoes.
 */
export function orientationTurn(value: number): { turn: 0 | 90 | 180 | 270; mirrored: boolean } {
  return { turn: TURN_OF_ORIENTATION[value] ?? 0, mirrored: value === 2 || value === 4 || value === 5 || value === 7 };
}

/**
 * The orientation a JPEG's EXIF block gives (phone cameras store the pixels as the sensor saw them and say here how
 * to turn them), or undefined when there is none or it cannot be read. Walks the segments before the image data
 * to the APP1 "Exif" segment and reads IFD0's tag 0x0112; every offset is checked against the file, so a damaged
 * block reads as no orientation, never as an error.
 */
export function jpegOrientation(bytes: Uint8Array): JpegOrientation | undefined {
  for (const { marker, at, length } of jpegSegments(bytes)) {
    if (marker === 0xda || marker === 0xd9 || length < 2) return undefined; // image data or end: no EXIF before it
    if (marker === 0xe1 && length >= 16 && String.fromCharCode(...bytes.subarray(at + 4, at + 10)) === 'Exif\0\0') {
      return orientationIn(bytes, at + 10, Math.min(bytes.length, at + 2 + length));
    }
  }
  return undefined;
}

/**
 * A JPEG's marker segments from the start, each with its marker, where it starts (its 0xFF) and the length it gives
 * (which counts the length bytes, not the marker), until a byte that starts no segment or the end of the file.
 */
function* jpegSegments(bytes: Uint8Array): Generator<{ marker: number; at: number; length: number }> {
  let at = 2;
  while (at + 4 <= bytes.length && bytes[at] === 0xff) {
    const length = (bytes[at + 2] << 8) | bytes[at + 3];
    yield { marker: bytes[at + 1], at, length };
    at += 2 + length;
  }
}

/** Tag 0x0112 in the TIFF structure that starts at `tiff` and ends before `end`. */
function orientationIn(bytes: Uint8Array, tiff: number, end: number): JpegOrientation | undefined {
  if (tiff + 8 > end) return undefined;
  const order = String.fromCharCode(bytes[tiff], bytes[tiff + 1]);
  if (order !== 'II' && order !== 'MM') return undefined;
  const littleEndian = order === 'II';
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ifd = tiff + view.getUint32(tiff + 4, littleEndian);
  if (ifd + 2 > end) return undefined;
  const entries = view.getUint16(ifd, littleEndian);
  for (let i = 0; i < entries; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > end) return undefined;
    if (view.getUint16(entry, littleEndian) !== 0x0112) continue;
    const value = view.getUint16(entry + 8, littleEndian);
    if (value < 1 || value > 8) return undefined;
    return { value, ...orientationTurn(value), offset: entry + 8, littleEndian };
  }
  return undefined;
}

/**
 * A copy of the JPEG whose EXIF orientation says "as stored" (1): the pixels and everything else unchanged. Given to
 * a reader that would otherwise turn the image by its own rules (tesseract.js honours the tag only when it is
 * written big-endian), so that the caller decides the turn.
 */
export function withStoredOrientation(bytes: Uint8Array, orientation: JpegOrientation): Uint8Array {
  const copy = new Uint8Array(bytes);
  new DataView(copy.buffer).setUint16(orientation.offset, 1, orientation.littleEndian);
  return copy;
}

export function jpegSize(bytes: Uint8Array): { width: number; height: number } {
  for (const { marker, at } of jpegSegments(bytes)) {
    // A segment cut off before its frame header's size ends the search: the file is damaged.
    if (at + 9 >= bytes.length) break;
    // Start-of-frame markers (baseline, progressive, ...) carry the size; 0xC4, 0xC8 and 0xCC are not frames.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: (bytes[at + 5] << 8) | bytes[at + 6], width: (bytes[at + 7] << 8) | bytes[at + 8] };
    }
  }
  throw new DocpipeError(INTAKE_ERRORS.IMAGE_CORRUPT, 'The JPEG file is damaged (no frame header): export it again.');
}
