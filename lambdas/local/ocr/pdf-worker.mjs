// Reads PDFs with pdfjs-dist in a worker thread: pdfjs is an ES module only, and a worker keeps it (and its
// memory) out of the caller's module system, which lets the same code run under tsx, node and jest.
// Message in: { id, bytes: Uint8Array, renderScale }. Message out: { id, pages: [{ number, width, height,
// items: [{ str, x, y, width, height }], png?: Uint8Array }] } or { id, error: { name, message } }.
// Pages with a text layer give their items; pages without one are rendered to PNG for OCR.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parentPort } from 'node:worker_threads';

const require = createRequire(import.meta.url);
const pdfjsRoot = dirname(require.resolve('pdfjs-dist/package.json'));
const pdfjs = await import(join(pdfjsRoot, 'legacy/build/pdf.mjs'));
const { createCanvas } = require('@napi-rs/canvas');

parentPort.on('message', async ({ id, bytes, renderScale = 2 }) => {
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
    const pages = [];
    for (let number = 1; number <= document.numPages; number++) {
      const page = await document.getPage(number);
      const viewport = page.getViewport({ scale: 1 });
      const content = await page.getTextContent();
      const items = content.items
        .filter((item) => typeof item.str === 'string' && item.str.trim())
        .map((item) => {
          // transform = [a, b, c, d, e, f]: e, f is the baseline origin in PDF space (origin bottom-left).
          const [x, y] = viewport.convertToViewportPoint(item.transform[4], item.transform[5]);
          const height = Math.hypot(item.transform[2], item.transform[3]) || item.height || 10;
          return { str: item.str, x, y: y - height, width: item.width, height };
        });
      const out = { number, width: viewport.width, height: viewport.height, items };
      if (items.length === 0) {
        const scaled = page.getViewport({ scale: renderScale });
        const canvas = createCanvas(Math.ceil(scaled.width), Math.ceil(scaled.height));
        const context = canvas.getContext('2d');
        context.fillStyle = '#ffffff';
        context.fillRect(0, 0, canvas.width, canvas.height);
        await page.render({ canvasContext: context, canvas, viewport: scaled }).promise;
        out.png = new Uint8Array(await canvas.encode('png'));
      }
      page.cleanup();
      pages.push(out);
    }
    await document.destroy();
    parentPort.postMessage({ id, pages });
  } catch (error) {
    parentPort.postMessage({ id, error: { name: error?.name ?? 'Error', message: error?.message ?? String(error) } });
  }
});
