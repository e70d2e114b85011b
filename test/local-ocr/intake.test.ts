import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspectDocument, sniff } from '../../lambdas/domain/intake/inspect';
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

  it('enforces the size and page limits', async () => {
    await expect(inspectDocument(doc('receipt.jpg'), { maxBytes: 1000 })).rejects.toMatchObject({ code: 'FILE_TOO_LARGE' });
    await expect(inspectDocument(doc('textractor-multipage-doc.pdf'), { maxPages: 1 })).rejects.toMatchObject({ code: 'TOO_MANY_PAGES' });
  });

  it('refuses a truncated TIFF and a PNG without its header', async () => {
    const tiff = await grayscaleTiff([join(__dirname, '..', 'fixtures', 'documents', 'test.png')]);
    await expect(inspectDocument(tiff.subarray(0, 100))).rejects.toMatchObject({ code: 'IMAGE_CORRUPT' });
    await expect(inspectDocument(doc('invoice.png').subarray(0, 12))).rejects.toMatchObject({ code: 'IMAGE_CORRUPT' });
  });
});
