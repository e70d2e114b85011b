/** Builds a multi-page grayscale TIFF (uncompressed) from real images, for the tests: no large file is committed. */
import { readFileSync } from 'node:fs';

/**
 * A page is an image file's path or its bytes; `orientations` gives each page an Orientation tag (274), as a scanner
 * or camera writes one for pixels stored turned.
 */
export async function grayscaleTiff(sources: (string | Uint8Array)[], orientations: (number | undefined)[] = []): Promise<Uint8Array> {
  const { createCanvas, loadImage } = await import('@napi-rs/canvas');
  const pages = await Promise.all(
    sources.map(async (source) => {
      const image = await loadImage(typeof source === 'string' ? readFileSync(source) : Buffer.from(source));
      const canvas = createCanvas(image.width, image.height);
      const context = canvas.getContext('2d');
      context.fillStyle = '#fff';
      context.fillRect(0, 0, image.width, image.height);
      context.drawImage(image, 0, 0);
      const rgba = context.getImageData(0, 0, image.width, image.height).data;
      const gray = new Uint8Array(image.width * image.height);
      for (let i = 0; i < gray.length; i++) gray[i] = Math.round(0.299 * rgba[4 * i] + 0.587 * rgba[4 * i + 1] + 0.114 * rgba[4 * i + 2]);
      return { width: image.width, height: image.height, gray };
    }),
  );
  // Layout: header, then per page its pixels followed by its IFD (8 entries, 9 with an orientation).
  const ifdSize = (page: number) => 2 + (orientations[page] === undefined ? 8 : 9) * 12 + 4;
  const total = 8 + pages.reduce((n, p, i) => n + p.gray.length + ifdSize(i) + (p.gray.length % 2), 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  out.set([0x49, 0x49, 0x2a, 0x00]);
  let at = 8;
  let previousNext = 4; // where the offset of the next IFD goes
  for (const [index, page] of pages.entries()) {
    const pixels = at;
    out.set(page.gray, pixels);
    at += page.gray.length + (page.gray.length % 2);
    view.setUint32(previousNext, at, true);
    const entries: [number, number, number][] = [
      [256, 4, page.width], [257, 4, page.height], [258, 3, 8], [259, 3, 1], [262, 3, 1], [273, 4, pixels], [278, 4, page.height], [279, 4, page.gray.length],
    ];
    // Tags in ascending order, as TIFF wants them: the orientation goes between 273 and 278.
    const orientation = orientations[index];
    if (orientation !== undefined) entries.splice(6, 0, [274, 3, orientation]);
    view.setUint16(at, entries.length, true);
    entries.forEach(([tag, type, value], i) => {
      const e = at + 2 + i * 12;
      view.setUint16(e, tag, true);
      view.setUint16(e + 2, type, true);
      view.setUint32(e + 4, 1, true);
      if (type === 3) view.setUint16(e + 8, value, true);
      else view.setUint32(e + 8, value, true);
    });
    previousNext = at + 2 + entries.length * 12;
    view.setUint32(previousNext, 0, true);
    at += ifdSize(index);
  }
  return out;
}
