import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument, PDFName } from 'pdf-lib';
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

  describe('images too large to read', () => {
    /** A real PNG whose header is rewritten to claim another size (intake reads the header, not the pixels). */
    const pngClaiming = (width: number, height: number): Uint8Array => {
      const png = doc('test.png');
      const view = new DataView(png.buffer, png.byteOffset);
      view.setUint32(16, width);
      view.setUint32(20, height);
      return png;
    };

    // A 0.4 MB PNG of 20,000 x 20,000 white pixels used to be read: 42 s of local OCR, and a page Textract refuses.
    it('refuses a PNG over 10,000 pixels on a side, and takes a configured larger limit', async () => {
      await expect(inspectDocument(pngClaiming(20_000, 20_000))).rejects.toMatchObject({
        code: 'IMAGE_TOO_LARGE',
        message: 'The PNG is 20000 x 20000 pixels, over the limit of 10000 on a side: scale it down (300 DPI is plenty for OCR).',
      });
      await expect(inspectDocument(pngClaiming(800, 10_001))).rejects.toMatchObject({ code: 'IMAGE_TOO_LARGE' });
      expect(await inspectDocument(pngClaiming(20_000, 300), { maxImageSide: 30_000 })).toMatchObject({ width: 20_000, height: 300, pageCount: 1 });
      await expect(inspectDocument(pngClaiming(0, 300))).rejects.toMatchObject({ code: 'IMAGE_CORRUPT' });
    });

    it('refuses a JPEG over 10,000 pixels on a side', async () => {
      const jpeg = doc('receipt.jpg');
      const { width, height } = jpegSize(jpeg);
      // The frame header holds height then width; find it by its current values and widen it.
      const at = jpeg.findIndex((_, i) => jpeg[i] === 0xff && jpeg[i + 1] >= 0xc0 && jpeg[i + 1] <= 0xc2 && ((jpeg[i + 5] << 8) | jpeg[i + 6]) === height);
      new DataView(jpeg.buffer, jpeg.byteOffset).setUint16(at + 7, 12_000);
      await expect(inspectDocument(jpeg)).rejects.toMatchObject({ code: 'IMAGE_TOO_LARGE', message: expect.stringContaining(`The JPEG is 12000 x ${height} pixels`) });
      expect(width).toBeLessThan(12_000);
    });

    it('refuses a TIFF with a page over 10,000 pixels on a side, naming the page', async () => {
      const tiff = await grayscaleTiff([join(__dirname, '..', 'fixtures', 'documents', 'test.png'), join(__dirname, '..', 'fixtures', 'documents', 'test.png')]);
      expect(await inspectDocument(tiff)).toMatchObject({ pageCount: 2 });
      // The second page's ImageWidth entry (tag 256, type LONG): its value is rewritten.
      const view = new DataView(tiff.buffer, tiff.byteOffset);
      const second = view.getUint32(view.getUint32(4, true) + 2 + 8 * 12, true);
      expect(view.getUint16(second + 2, true)).toBe(256);
      view.setUint32(second + 2 + 8, 20_000, true);
      await expect(inspectDocument(tiff)).rejects.toMatchObject({ code: 'IMAGE_TOO_LARGE', message: expect.stringMatching(/^Page 2 of the TIFF is 20000 x \d+ pixels/) });
    });

    // A 0.7 MB PDF holding a 16,000 x 16,000 scan took 4 GB of memory to read locally.
    it('refuses a PDF holding an image over 144 million pixels, read off the image\'s own size', async () => {
      const pdf = await PDFDocument.create();
      const page = pdf.addPage([600, 600]);
      const scan = pdf.context.register(
        pdf.context.flateStream(new Uint8Array(16_000), { Type: 'XObject', Subtype: 'Image', Width: 16_000, Height: 16_000, ColorSpace: 'DeviceGray', BitsPerComponent: 8 }),
      );
      page.node.setXObject(PDFName.of('Scan'), scan);
      const bytes = await pdf.save();
      await expect(inspectDocument(bytes)).rejects.toMatchObject({
        code: 'IMAGE_TOO_LARGE',
        message: 'The PDF holds an image of 16000 x 16000 pixels, over the limit of 144000000 pixels (a 40 x 40 inch page at 300 DPI): scan it again at a lower resolution.',
      });
      expect(await inspectDocument(bytes, { maxPdfImagePixels: 300_000_000 })).toMatchObject({ pageCount: 1 });
      // The real scanned PDF is far under it.
      expect(await inspectDocument(doc('scanned-receipt.pdf'))).toMatchObject({ pageCount: 1 });
    });

    it('refuses a PNG or JPEG over 10 MB (Textract\'s limit for images), however few its pixels', async () => {
      const png = doc('test.png');
      const padded = new Uint8Array(10 * 1024 * 1024 + 1);
      padded.set(png);
      await expect(inspectDocument(padded)).rejects.toMatchObject({ code: 'FILE_TOO_LARGE', message: expect.stringContaining('over the limit of 10485760 for an image') });
    });
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
