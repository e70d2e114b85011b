import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspectDocument, jpegOrientation, jpegSize, sniff, withStoredOrientation } from '../../lambdas/domain/intake/inspect';
import { exifSegment } from './phone-photo';
import { grayscaleTiff } from './tiff';

const doc = (name: string) => new Uint8Array(readFileSync(join(__dirname, '..', 'fixtures', 'documents', name)));

describe('intake checks (before any OCR)', () => {
  it('sniffs the type from the bytes, not the name', async () => {
    expect(sniff(doc('receipt.jpg'))).toBe('jpeg');
    expect(sniff(doc('invoice.png'))).toBe('png');
    expect(sniff(doc('sample-invoice.pdf'))).toBe('pdf');
    expect(sniff(doc('text-renamed.pdf'))).toBeUndefined();
    await expect(inspectDocument(doc('text-renamed.pdf'))).rejects.toMatchObject({ code: 'UNSUPPORTED_TYPE' });
  });

  it('reads page counts and image sizes', async () => {
    expect(await inspectDocument(doc('textractor-multipage-doc.pdf'))).toMatchObject({ kind: 'pdf', contentType: 'application/pdf', pageCount: 2 });
    expect(await inspectDocument(doc('invoice.png'))).toMatchObject({ kind: 'png', pageCount: 1, width: 750, height: 1061 });
    expect(await inspectDocument(doc('receipt.jpg'))).toMatchObject({ kind: 'jpeg', pageCount: 1, width: 805, height: 1917 });
    const tiff = await grayscaleTiff([join(__dirname, '..', 'fixtures', 'documents', 'test.png'), join(__dirname, '..', 'fixtures', 'documents', 'invoice.png')]);
    expect(await inspectDocument(tiff)).toMatchObject({ kind: 'tiff', contentType: 'image/tiff', pageCount: 2 });
    expect((await inspectDocument(doc('receipt.jpg'))).sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    ['empty.pdf', 'EMPTY_FILE'],
    ['encrypted.pdf', 'PDF_ENCRYPTED'],
    ['invalid.pdf', 'PDF_CORRUPT'],
    ['text-renamed.pdf', 'UNSUPPORTED_TYPE'],
  ])('%s is refused with %s', async (name, code) => {
    const error = await inspectDocument(doc(name)).catch((e) => e);
    expect(error).toMatchObject({ code });
    expect(error.message.length).toBeGreaterThan(20);
  });

  // A readable cross-reference table over a broken page tree used to escape as pdf-lib's own error, not PDF_CORRUPT.
  it('refuses a PDF whose catalog has lost its page tree, with PDF_CORRUPT', async () => {
    const bytes = doc('sample-invoice.pdf');
    const text = Buffer.from(bytes).toString('latin1');
    const catalog = text.search(/\/Type\s*\/Catalog/);
    const pages = text.indexOf('/Pages', catalog >= 0 ? text.lastIndexOf('obj', catalog) : 0);
    expect(pages).toBeGreaterThan(0);
    const damaged = Buffer.from(text.slice(0, pages) + '/Pagez' + text.slice(pages + 6), 'latin1');
    const error = await inspectDocument(new Uint8Array(damaged)).catch((e) => e);
    expect(error).toMatchObject({ code: 'PDF_CORRUPT', message: expect.stringMatching(/^The PDF cannot be read \(.+\): export it again from its source\.$/) });
  });

  it('enforces the size and page limits', async () => {
    await expect(inspectDocument(doc('receipt.jpg'), { maxBytes: 1000 })).rejects.toMatchObject({ code: 'FILE_TOO_LARGE' });
    await expect(inspectDocument(doc('textractor-multipage-doc.pdf'), { maxPages: 1 })).rejects.toMatchObject({ code: 'TOO_MANY_PAGES' });
  });

  it('refuses a truncated TIFF and a PNG without its header', async () => {
    const tiff = await grayscaleTiff([join(__dirname, '..', 'fixtures', 'documents', 'test.png')]);
    await expect(inspectDocument(tiff.subarray(0, 100))).rejects.toMatchObject({ code: 'IMAGE_CORRUPT' });
    await expect(inspectDocument(doc('invoice.png').subarray(0, 12))).rejects.toMatchObject({ code: 'IMAGE_CORRUPT' });
  });

  describe('a JPEG\'s EXIF orientation', () => {
    const receipt = doc('receipt.jpg');
    const tagged = (orientation: number, byteOrder: 'MM' | 'II') => new Uint8Array([...receipt.subarray(0, 2), ...exifSegment(orientation, byteOrder), ...receipt.subarray(2)]);

    it.each([
      [6, 'MM', 90],
      [8, 'II', 270],
      [3, 'II', 180],
      [1, 'MM', 0],
    ] as const)('reads orientation %i written %s: turn %i degrees to show it', (value, byteOrder, turn) => {
      expect(jpegOrientation(tagged(value, byteOrder))).toMatchObject({ value, turn, mirrored: false, littleEndian: byteOrder === 'II' });
    });

    it('finds the EXIF block after a JFIF segment too, as photo editors write it', () => {
      // receipt.jpg opens with a JFIF APP0 segment of 16 bytes (after the 2-byte start-of-image marker).
      const afterJfif = new Uint8Array([...receipt.subarray(0, 2 + 2 + 16), ...exifSegment(8, 'MM'), ...receipt.subarray(2 + 2 + 16)]);
      expect(jpegOrientation(afterJfif)).toMatchObject({ value: 8, turn: 270 });
      expect(jpegSize(afterJfif)).toEqual(jpegSize(receipt));
    });

    it('knows the mirrored orientations, and that no turn shows them', () => {
      expect(jpegOrientation(tagged(5, 'MM'))).toMatchObject({ value: 5, turn: 0, mirrored: true });
    });

    it('finds none in a JPEG without EXIF, nor in a damaged EXIF block, and does not fail on either', () => {
      expect(jpegOrientation(receipt)).toBeUndefined();
      const damaged = tagged(6, 'MM');
      // IFD0's offset pointed far past the end of the file.
      damaged.set([0x7f, 0xff, 0xff, 0xff], 2 + 4 + 6 + 4);
      expect(jpegOrientation(damaged)).toBeUndefined();
      expect(jpegOrientation(tagged(6, 'MM').subarray(0, 20))).toBeUndefined();
      expect(jpegOrientation(tagged(9, 'II'))).toBeUndefined();
    });

    it('resets the tag to "as stored" and changes nothing else', () => {
      const photo = tagged(6, 'II');
      const orientation = jpegOrientation(photo)!;
      const reset = withStoredOrientation(photo, orientation);
      expect(jpegOrientation(reset)).toMatchObject({ value: 1, turn: 0 });
      const changed = [...reset].flatMap((byte, i) => (byte === photo[i] ? [] : [i]));
      expect(changed).toEqual([orientation.offset]);
      expect(jpegSize(reset)).toEqual(jpegSize(photo));
      expect(jpegOrientation(photo)?.value).toBe(6);
    });
  });
});
