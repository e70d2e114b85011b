/**
 * Builds a JPEG the way a phone camera stores one, for the tests: the pixels as the sensor saw them (the image turned
 * away from upright) and an EXIF orientation tag saying how to turn them back. No photo file is committed.
 */
import { turnedImage } from '../../lambdas/local/ocr/local-ocr-vendor';

/** The EXIF value that undoes a clockwise turn of the stored pixels: 90 -> 8 (turn 270 to show), 180 -> 3, 270 -> 6. */
export const ORIENTATION_UNDOING: Record<90 | 180 | 270, number> = { 90: 8, 180: 3, 270: 6 };

/** An APP1 segment holding an EXIF block with one tag: the orientation, written big- ("MM") or little-endian ("II"). */
export function exifSegment(orientation: number, byteOrder: 'MM' | 'II'): number[] {
  const bigEndian = byteOrder === 'MM';
  const u16 = (v: number) => (bigEndian ? [v >> 8, v & 255] : [v & 255, v >> 8]);
  const u32 = (v: number) => (bigEndian ? [v >>> 24, (v >> 16) & 255, (v >> 8) & 255, v & 255] : [v & 255, (v >> 8) & 255, (v >> 16) & 255, v >>> 24]);
  // TIFF header (byte order, 42, IFD0 at 8), IFD0 with one entry (tag 0x0112, type SHORT, count 1, the value), no next IFD.
  const tiff = [...Buffer.from(byteOrder), ...u16(42), ...u32(8), ...u16(1), ...u16(0x0112), ...u16(3), ...u32(1), ...u16(orientation), 0, 0, ...u32(0)];
  const body = [...Buffer.from('Exif\0\0'), ...tiff];
  return [0xff, 0xe1, (body.length + 2) >> 8, (body.length + 2) & 255, ...body];
}

/** `png` stored turned `storedTurn` degrees clockwise, as a JPEG whose EXIF orientation is `orientation`. */
export async function phonePhoto(png: Uint8Array, storedTurn: 0 | 90 | 180 | 270, orientation: number, byteOrder: 'MM' | 'II'): Promise<Uint8Array> {
  const { createCanvas, loadImage } = await import('@napi-rs/canvas');
  const stored = await loadImage(Buffer.from(storedTurn ? await turnedImage(png, storedTurn) : png));
  const canvas = createCanvas(stored.width, stored.height);
  canvas.getContext('2d').drawImage(stored, 0, 0);
  const jpeg = new Uint8Array(await canvas.encode('jpeg', 92));
  // The EXIF segment goes right after the start-of-image marker, where cameras put it.
  return new Uint8Array([...jpeg.subarray(0, 2), ...exifSegment(orientation, byteOrder), ...jpeg.subarray(2)]);
}
