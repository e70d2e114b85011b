/**
 * The local OCR vendor: Tesseract (tesseract.js, English model from @tesseract.js-data/eng, nothing downloaded)
 * with a worker pool sized to the cores, and the PDF text layer (pdfjs) for born-digital pages. PNG and JPEG are
 * OCRed as they are; TIFF pages are decoded (utif2) and OCRed one by one; PDF pages with text give it directly and
 * pages without are rendered and OCRed. One document per input, pages numbered from 1.
 */
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { createWorker, createScheduler, OEM, PSM, type Scheduler } from 'tesseract.js';
import { median } from '../../domain/adapters/word-layout';
import { assembleDocument, IdSequence, tiltPage, turnPage } from '../../domain/adapters/page-assembly';
import type { GreyImage } from '../../domain/adapters/page-image';
import { MIN_SKEW, readsAsWell, readsBetter, readsUpright, skewOf, turnsToTry, type ReadWord } from '../../domain/adapters/page-orientation';
import { findPageStructure, type PageStructure } from '../../domain/adapters/page-structure';
import { pdfTextPage, PDF_TEXT_ADAPTER, type PdfTextItem, type RenderedStructure } from '../../domain/adapters/pdf-text';
import type { PdfFormField } from '../../domain/adapters/pdf-text/form-fields';
import { tesseractPage, TESSERACT_ADAPTER, type TesseractResult } from '../../domain/adapters/tesseract';
import type { Document, DocumentWarning, Page } from '../../domain/document';
import { DocpipeError } from '../../domain/errors';
import { INTAKE_ERRORS, jpegOrientation, jpegSize, orientationTurn, pngSize, withStoredOrientation } from '../../domain/intake/inspect';
import { PIPELINE_ERRORS } from '../../domain/pipeline/errors';
import type { OcrRequest, OcrVendor } from '../../ports/ocr-vendor';

export interface PdfPage {
  number: number;
  /** The page as authored (before its /Rotate), in points. */
  width: number;
  height: number;
  /** How the page is turned for display (its /Rotate, clockwise): 0, 90, 180 or 270. */
  rotate?: number;
  items: PdfTextItem[];
  /** The widgets of a filled PDF form on the page (its answers are not in the text layer); or why they could not be read. */
  formFields?: PdfFormField[];
  formFieldsFailure?: string;
  /** A page without text, rendered for OCR. */
  png?: Uint8Array;
  /** A page with text, rendered as ink on paper to look for checkboxes and ruled tables; or why it could not be. */
  image?: GreyImage;
  imageFailure?: string;
  /** What was found in that rendering (the image itself is dropped once searched). */
  structure?: RenderedStructure;
}

export interface LocalOcrOptions {
  /** Tesseract workers. Default: the number of cores, at most 4 (each takes about 175 MB). */
  workers?: number;
  /** Scale for rendering scanned PDF pages (1 = 72 DPI). Default 2.5 (180 DPI). */
  renderScale?: number;
  /**
   * Scale for rendering born-digital PDF pages, in which checkboxes and ruled tables are looked for (the text layer
   * has neither). Default 2 (144 DPI); 0 reads the text layer alone.
   */
  pdfImageScale?: number;
}

export class LocalOcrVendor implements OcrVendor {
  readonly name = 'tesseract';
  private scheduler?: Promise<Scheduler>;
  private pdfWorker?: Worker;
  private pdfRequests = new Map<number, { pages: PdfPage[]; take: (page: PdfPage) => PdfPage; resolve: (pages: PdfPage[]) => void; reject: (error: Error) => void }>();
  private nextRequest = 1;

  constructor(private readonly options: LocalOcrOptions = {}) {}

  /** Starts the Tesseract workers now rather than at the first page (to keep start-up out of measured runs). */
  async warmUp(): Promise<void> {
    await this.tesseract();
  }

  async recognize(request: OcrRequest): Promise<Document> {
    const ids = new IdSequence();
    // Pages whose image could not be searched for checkboxes and ruled tables: their words are kept, and said so.
    const warnings: DocumentWarning[] = [];
    const envelope = { source: { contentType: request.contentType, sha256: request.sha256, ...(request.name ? { name: request.name } : {}) }, documentId: request.documentId, warnings };
    switch (request.contentType) {
      case 'image/png':
      case 'image/jpeg': {
        const { image, size } = request.contentType === 'image/png' ? { image: request.bytes, size: pngSize(request.bytes) } : await this.jpegAsShown(request.bytes, warnings);
        const page = scannedPage(await this.ocr(image, size, 1, warnings), 1, size, ids);
        return assembleDocument([page], { ...envelope, vendor: 'tesseract', api: 'tesseract.js', adapter: { ...TESSERACT_ADAPTER }, modelVersion: 'eng 4.0.0_best_int' });
      }
      case 'image/tiff': {
        const images = await tiffPages(request.bytes);
        images.forEach((image, i) => image.mirrored && warnings.push(mirroredWarning(i + 1, 'The TIFF page')));
        const pages = await Promise.all(images.map(async (image, i) => scannedPage(await this.ocr(image.png, image, i + 1, warnings), i + 1, image, ids)));
        return assembleDocument(pages, { ...envelope, vendor: 'tesseract', api: 'tesseract.js', adapter: { ...TESSERACT_ADAPTER }, modelVersion: 'eng 4.0.0_best_int' });
      }
      case 'application/pdf': {
        const pdfPages = await this.readPdf(request.bytes, warnings);
        let ocred = 0;
        const pages: Page[] = await Promise.all(
          pdfPages.map(async (p) => {
            if (!p.png) {
              const page = pdfTextPage(p.items, p, ids, p.structure, formFieldsOf(p, warnings));
              turnPage(page, p.rotate ?? 0);
              return page;
            }
            ocred++;
            const size = pngSize(p.png);
            return scannedPage(await this.ocr(p.png, size, p.number, warnings), p.number, size, ids);
          }),
        );
        const vendor = ocred === 0 ? 'pdf-text' : ocred === pages.length ? 'tesseract' : 'pdf-text+tesseract';
        return assembleDocument(pages, { ...envelope, vendor, api: ocred ? 'pdfjs+tesseract.js' : 'pdfjs', adapter: ocred ? { ...TESSERACT_ADAPTER } : { ...PDF_TEXT_ADAPTER } });
      }
      default:
        throw new DocpipeError(INTAKE_ERRORS.UNSUPPORTED_TYPE, `The local OCR vendor reads PDF, TIFF, PNG and JPEG, not ${request.contentType}.`);
    }
  }

  async close(): Promise<void> {
    const scheduler = this.scheduler;
    this.scheduler = undefined;
    if (scheduler) await (await scheduler).terminate();
    await this.pdfWorker?.terminate();
    this.pdfWorker = undefined;
  }

  private tesseract(): Promise<Scheduler> {
    this.scheduler ??= (async () => {
      const scheduler = createScheduler();
      const langPath = join(dirname(require.resolve('@tesseract.js-data/eng/package.json')), '4.0.0_best_int');
      const count = this.options.workers ?? Math.max(1, Math.min(4, availableParallelism()));
      // errorHandler: without one, tesseract.js rethrows a failed job in its message listener, which kills the
      // process; the job's promise is rejected with the same message anyway, and ocr() turns it into a code.
      const workers = await Promise.all(Array.from({ length: count }, () => createWorker('eng', OEM.LSTM_ONLY, { langPath, gzip: true, cacheMethod: 'none', errorHandler: () => undefined })));
      for (const worker of workers) {
        // tesseract.js defaults to one uniform block of text, which drops whole regions of forms and invoices;
        // "a single column of text of variable sizes" found the most of the sample documents' text (docs/architecture.md).
        // debug_file: Tesseract's diagnostics ("Estimating resolution as 165") go nowhere instead of stderr. Real
        // failures still surface: an unreadable image rejects the job, and Leptonica's errors keep their own stderr.
        await worker.setParameters({ tessedit_pageseg_mode: PSM.SINGLE_COLUMN, debug_file: '/dev/null' });
        scheduler.addWorker(worker);
      }
      return scheduler;
    })();
    return this.scheduler;
  }

  /**
   * One image through Tesseract. A small scan (long side under MIN_LONG_SIDE pixels) that Tesseract reads with low
   * confidence is read again at a larger size: Tesseract reads best at about 300 DPI, and a letter page scanned at
   * 85 DPI (samples/documents/paystub.jpg) went from mean word confidence 50 to 82 at twice the size. The enlarged
   * copy is made from the grey image Tesseract's own decoder wrote (never from the uploaded bytes: the canvas
   * library crashes the process on some corrupt images), and its boxes are scaled back to the original's pixels.
   * The same grey image is where checkboxes and ruled tables are looked for, which Tesseract does not find.
   * A page scanned sideways or upside down is read turned the right way up first (`upright`), and a skewed one
   * straightened (`straightened`); `turn` and `skew` say how.
   */
  private async ocr(image: Uint8Array, size: { width: number; height: number }, pageNumber: number, warnings: DocumentWarning[]): Promise<TesseractResult & { turn: number; skew: number }> {
    const factor = Math.min(MAX_ENLARGEMENT, MIN_LONG_SIDE / Math.max(size.width, size.height, 1));
    const small = factor >= 1.2;
    // The grey image is looked at up to three times (for its turn, its skew, its structure): decoded once.
    const decode = greyImages();
    const first = await this.straightened(await this.upright(await this.recognizeImage(image, true), decode), decode);
    const { failure, ...found } = first.imageGrey ? await structureIn(first.imageGrey, first, decode) : {};
    if (failure) warnings.push(imageAnalysisFailed(pageNumber, failure));
    if (!small || first.confidence >= RETRY_BELOW_CONFIDENCE || !first.imageGrey) return { ...first, ...found };
    const second = await this.recognizeImage(await enlarged(first.imageGrey, factor), false);
    return { ...(second.confidence > first.confidence ? shrinkBoxes(second, factor) : first), ...found, turn: first.turn, skew: first.skew };
  }

  /**
   * The page's reading straightened. Tesseract loses a skewed page's lines after a few degrees (the sample invoice
   * skewed 3 degrees lost its table; at 6 it lost a third of its words, at 10 all of them), so a page whose lines
   * slant by MIN_SKEW degrees or more (page-orientation.ts) is read again turned straight, and that reading is kept
   * unless it reads clearly less. Turning resamples the image, which blurs small print: a small scan is read
   * straightened at up to twice its size (the invoice skewed 3 degrees read 68 words straightened at its own size,
   * 93 at twice it, as many as upright), and its boxes brought back to its own pixels. A grey image that does not
   * decode keeps the reading as it is.
   */
  private async straightened(reading: TurnedReading, decode = greyImageOf): Promise<TurnedReading & { skew: number }> {
    const greyPng = reading.imageGrey;
    if (!greyPng) return { ...reading, skew: 0 };
    let skew: number;
    try {
      skew = skewOf(await decode(greyPng));
    } catch {
      return { ...reading, skew: 0 };
    }
    if (Math.abs(skew) < MIN_SKEW) return { ...reading, skew: 0 };
    const grey = pngOf(greyPng);
    const straightGrey = await turnedImage(grey, -skew);
    const { width, height } = pngSize(straightGrey);
    const scale = Math.max(1, Math.min(MAX_STRAIGHTENED_SCALE, MIN_LONG_SIDE / Math.max(width, height, 1)));
    const read = await this.recognizeImage(scale > 1 ? await turnedImage(grey, -skew, scale) : straightGrey, false);
    const straight = { ...shrinkBoxes(read, scale), confidence: read.confidence, imageGrey: dataUrlOf(straightGrey), turn: reading.turn, skew };
    return readsAsWell(wordsOf(straight), wordsOf(reading)) ? straight : { ...reading, skew: 0 };
  }

  /**
   * The page's reading the right way up (page-orientation.ts). A poor first reading of a page whose blank lines run
   * down it, or that may be upside down, is followed by readings of the page turned; a turn is kept only when it
   * reads clearly more, and with it the turned grey image, so that checkboxes and tables are looked for in the
   * same pixels as the words. A grey image that does not decode keeps the first reading (the structure search
   * reports that image's failure).
   */
  private async upright(first: Reading, decode = greyImageOf): Promise<TurnedReading> {
    const greyPng = first.imageGrey;
    const firstWords = wordsOf(first);
    if (!greyPng || readsUpright(firstWords)) return { ...first, turn: 0 };
    let turns: number[];
    try {
      turns = turnsToTry(firstWords, await decode(greyPng));
    } catch {
      return { ...first, turn: 0 };
    }
    const grey = pngOf(greyPng);
    const readings = await Promise.all(
      turns.map(async (turn) => {
        const png = await turnedImage(grey, turn);
        return { ...(await this.recognizeImage(png, false)), imageGrey: dataUrlOf(png), turn };
      }),
    );
    let best: TurnedReading = { ...first, turn: 0 };
    let bestWords = firstWords;
    for (const reading of readings) {
      const words = wordsOf(reading);
      if (readsBetter(words, bestWords)) [best, bestWords] = [reading, words];
    }
    return best;
  }

  private async recognizeImage(image: Uint8Array, withGreyImage: boolean): Promise<Reading> {
    return (await this.tesseractJob(image, { blocks: true, imageGrey: withGreyImage })) as Reading;
  }

  /** The grey image Tesseract's decoder makes of an image, as a PNG, without reading it (no recognition output asked). */
  private async greyImageOnly(image: Uint8Array): Promise<Uint8Array> {
    const { imageGrey } = (await this.tesseractJob(image, { blocks: false, imageGrey: true })) as { imageGrey?: string | null };
    if (!imageGrey) throw new DocpipeError(PIPELINE_ERRORS.OCR_FAILED, 'Tesseract decoded the image but gave no grey image of it.');
    return pngOf(imageGrey);
  }

  /** One image through Tesseract with the outputs asked for (never text, hOCR or TSV): a failure as a typed error. */
  private async tesseractJob(image: Uint8Array, output: { blocks: boolean; imageGrey: boolean }): Promise<unknown> {
    const scheduler = await this.tesseract();
    try {
      const { data } = await scheduler.addJob('recognize', Buffer.from(image), {}, { text: false, hocr: false, tsv: false, ...output });
      return data;
    } catch (error) {
      throw tesseractError(error);
    }
  }

  /**
   * A JPEG as a viewer shows it, with its size. A phone stores a photo's pixels as the sensor saw them and says in
   * the EXIF orientation tag how to turn them; viewers and browsers turn them, so the page is read turned the same
   * way and its boxes are where the viewer shows the words (as for a PDF page displayed turned by /Rotate). The turn
   * is made on the grey image Tesseract's own decoder writes (the upload is never decoded by the canvas library),
   * and Tesseract is given the tag reset to "as stored", so that it does not turn the image by rules of its own as
   * well (tesseract.js honours the tag when it is written big-endian, and ignores it when little-endian). A
   * mirrored orientation is read as stored, and said so.
   */
  private async jpegAsShown(bytes: Uint8Array, warnings: DocumentWarning[]): Promise<{ image: Uint8Array; size: { width: number; height: number } }> {
    const orientation = jpegOrientation(bytes);
    if (!orientation || orientation.value === 1) return { image: bytes, size: jpegSize(bytes) };
    const stored = withStoredOrientation(bytes, orientation);
    if (orientation.mirrored) warnings.push(mirroredWarning(1, 'The JPEG'));
    if (orientation.turn === 0) return { image: stored, size: jpegSize(bytes) };
    const image = await turnedImage(await this.greyImageOnly(stored), orientation.turn);
    return { image, size: pngSize(image) };
  }

  /**
   * The PDF's pages from the worker, one at a time: a born-digital page's rendering is searched for its checkboxes
   * and ruled tables as it arrives, and dropped before the worker renders the next one.
   */
  private readPdf(bytes: Uint8Array, warnings: DocumentWarning[]): Promise<PdfPage[]> {
    if (!this.pdfWorker) {
      const worker = new Worker(join(__dirname, 'pdf-worker.mjs'));
      this.pdfWorker = worker;
      worker.unref();
      worker.on('message', (message: { id: number; page?: PdfPage; done?: boolean; error?: { name: string; message: string } }) => {
        const pending = this.pdfRequests.get(message.id);
        if (message.page) {
          try {
            pending?.pages.push(pending.take(message.page));
          } catch (error) {
            this.pdfRequests.delete(message.id);
            pending?.reject(new DocpipeError(PIPELINE_ERRORS.OCR_FAILED, `Page ${message.page.number} of the PDF could not be read: ${(error as Error)?.message ?? String(error)}`, { cause: error }));
          }
          // Always taken, even for a request given up: the worker goes on to the end and lets the document go.
          worker.postMessage({ id: message.id, ack: true });
          return;
        }
        if (!pending) return;
        this.pdfRequests.delete(message.id);
        if (message.error) pending.reject(new DocpipeError(INTAKE_ERRORS.PDF_CORRUPT, `The PDF cannot be read (${message.error.name}: ${message.error.message}).`));
        else pending.resolve(pending.pages);
      });
      this.pdfWorker.on('error', (error) => {
        for (const pending of this.pdfRequests.values()) pending.reject(error);
        this.pdfRequests.clear();
        this.pdfWorker = undefined;
      });
    }
    const id = this.nextRequest++;
    const take = (page: PdfPage): PdfPage => {
      if (page.png) return page;
      const { image: _searched, ...rest } = page;
      return { ...rest, structure: renderedStructure(page, warnings) };
    };
    return new Promise((resolve, reject) => {
      this.pdfRequests.set(id, { pages: [], take, resolve, reject });
      this.pdfWorker!.postMessage({ id, bytes, renderScale: this.options.renderScale ?? 2.5, imageScale: this.options.pdfImageScale ?? 2 });
    });
  }
}

/** Tesseract's reading of one image, with its mean confidence and (when asked for) the grey image it read. */
type Reading = TesseractResult & { confidence: number; imageGrey?: string | null };
/** A reading of the page turned `turn` degrees clockwise (0: as uploaded). */
type TurnedReading = Reading & { turn: number };

/**
 * A scanned page from its reading. A reading of the page turned upright, or straightened, is laid out so (the
 * detectors need lines that run left to right), then tilted and turned back, so that every box is where it is on the
 * image as uploaded and the page's orientation says which way its text runs there.
 */
function scannedPage(reading: TesseractResult & { turn: number; skew: number }, number: number, size: { width: number; height: number }, ids: IdSequence): Page {
  const quarter = reading.turn % 180 !== 0;
  const page = tesseractPage(reading, { number, width: quarter ? size.height : size.width, height: quarter ? size.width : size.height }, ids);
  tiltPage(page, reading.skew);
  turnPage(page, (360 - reading.turn) % 360);
  return page;
}

function wordsOf(result: TesseractResult): ReadWord[] {
  return (result.blocks ?? []).flatMap((block) => block.paragraphs.flatMap((paragraph) => paragraph.lines.flatMap((line) => line.words)));
}

/** Scans whose long side is shorter than this, read with a mean confidence under RETRY_BELOW_CONFIDENCE, are read again enlarged (at most MAX_ENLARGEMENT times). */
const MIN_LONG_SIDE = 1800;
const MAX_ENLARGEMENT = 3;
/** A straightened scan is read at most this many times its size (see `straightened`). */
const MAX_STRAIGHTENED_SCALE = 2;
const RETRY_BELOW_CONFIDENCE = 80;

/** A page whose orientation tag says its pixels are stored mirrored: read as stored, and said so. */
function mirroredWarning(page: number, what: string): DocumentWarning {
  return { code: 'IMAGE_MIRRORED', pages: [page], message: `${what} says its pixels are stored mirrored (its orientation tag); it was read as stored, and mirrored text does not read. Upload it as a viewer shows it.` };
}

/** tesseract.js rejects with the worker's message as a string: an undecodable image is the upload's fault. */
function tesseractError(error: unknown): DocpipeError {
  const message = error instanceof Error ? error.message : String(error);
  if (/attempting to read image/i.test(message)) return new DocpipeError(INTAKE_ERRORS.IMAGE_CORRUPT, `The image cannot be decoded (${message.replace(/^(Error: )+/, '')}): export it again.`);
  return new DocpipeError(PIPELINE_ERRORS.OCR_FAILED, `Tesseract failed: ${message}`, { cause: error });
}

/** The PNG in a `data:image/png;base64,` URL (as Tesseract gives its grey image), and back. */
const pngOf = (dataUrl: string): Buffer => Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64');
const dataUrlOf = (png: Uint8Array): string => `data:image/png;base64,${Buffer.from(png).toString('base64')}`;

/** The grey image Tesseract wrote (a `data:image/png;base64,` URL), enlarged by `factor`. */
async function enlarged(greyPng: string, factor: number): Promise<Uint8Array> {
  const { createCanvas, loadImage } = await import('@napi-rs/canvas');
  const decoded = await loadImage(pngOf(greyPng));
  const canvas = createCanvas(Math.round(decoded.width * factor), Math.round(decoded.height * factor));
  const context = canvas.getContext('2d');
  context.imageSmoothingQuality = 'high';
  context.drawImage(decoded, 0, 0, canvas.width, canvas.height);
  return new Uint8Array(await canvas.encode('png'));
}

/** The grey image Tesseract wrote, decoded: one grey level per pixel. */
async function greyImageOf(greyPng: string): Promise<GreyImage> {
  const { createCanvas, loadImage } = await import('@napi-rs/canvas');
  const decoded = await loadImage(pngOf(greyPng));
  const context = createCanvas(decoded.width, decoded.height).getContext('2d');
  context.drawImage(decoded, 0, 0);
  const rgba = context.getImageData(0, 0, decoded.width, decoded.height).data;
  const grey = new Uint8Array(decoded.width * decoded.height);
  for (let i = 0; i < grey.length; i++) grey[i] = rgba[i * 4];
  return { width: decoded.width, height: decoded.height, grey };
}

/** `greyImageOf`, remembering each image it decoded (for one page: its grey images are a few megabytes at most). */
function greyImages(): (greyPng: string) => Promise<GreyImage> {
  const decoded = new Map<string, Promise<GreyImage>>();
  return (greyPng) => {
    let image = decoded.get(greyPng);
    if (!image) decoded.set(greyPng, (image = greyImageOf(greyPng)));
    return image;
  };
}

/**
 * An image turned `degrees` clockwise, and enlarged `scale` times, as PNG: a quarter turn swaps its sides; any other
 * angle keeps its size, the corners turned out of it lost and those turned in left white, as paper.
 */
export async function turnedImage(image: Uint8Array, degrees: number, scale = 1): Promise<Uint8Array> {
  const { createCanvas, loadImage } = await import('@napi-rs/canvas');
  const decoded = await loadImage(Buffer.from(image));
  const quarter = Math.abs(degrees % 180) === 90;
  const canvas = createCanvas(Math.round((quarter ? decoded.height : decoded.width) * scale), Math.round((quarter ? decoded.width : decoded.height) * scale));
  const context = canvas.getContext('2d');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  // A quarter turn moves whole pixels: smoothing would only blur them. Any other angle, or a scale, resamples.
  if (scale === 1 && degrees % 90 === 0) context.imageSmoothingEnabled = false;
  else context.imageSmoothingQuality = 'high';
  context.translate(canvas.width / 2, canvas.height / 2);
  context.rotate((degrees * Math.PI) / 180);
  context.scale(scale, scale);
  context.drawImage(decoded, -decoded.width / 2, -decoded.height / 2);
  return new Uint8Array(await canvas.encode('png'));
}

/**
 * The checkboxes and ruled tables in the grey image Tesseract wrote (the same pixels as the page's boxes), sized by
 * the median height of the words it read. A failure (an image that does not decode, a fault in a detector) gives
 * neither and is reported as a warning on the document: the words are still good.
 */
export async function structureIn(greyPng: string, result: TesseractResult, decode = greyImageOf): Promise<PageStructure & { failure?: string }> {
  const heights = (result.blocks ?? []).flatMap((b) => b.paragraphs.flatMap((p) => p.lines.flatMap((l) => l.words.map((w) => w.bbox.y1 - w.bbox.y0))));
  if (heights.length === 0) return {};
  try {
    return findPageStructure(await decode(greyPng), median(heights));
  } catch (error) {
    return { failure: describeFailure(error) };
  }
}

/**
 * The checkboxes and ruled tables of a born-digital PDF page, from its rendering, sized by the median font size of
 * its text. A page that could not be rendered or searched keeps its text, and the document says so.
 */
export function renderedStructure(page: PdfPage, warnings: DocumentWarning[]): RenderedStructure | undefined {
  const { image, imageFailure } = page;
  if (imageFailure !== undefined) {
    warnings.push(imageAnalysisFailed(page.number, imageFailure));
    return undefined;
  }
  if (!image) return undefined;
  try {
    const textHeight = median(page.items.map((item) => item.height)) * (image.width / page.width);
    return { ...findPageStructure(image, textHeight), width: image.width, height: image.height };
  } catch (error) {
    warnings.push(imageAnalysisFailed(page.number, describeFailure(error)));
    return undefined;
  }
}

/** The page's form fields; a page whose fields could not be read keeps its printed text, and the document says so. */
export function formFieldsOf(page: PdfPage, warnings: DocumentWarning[]): PdfFormField[] {
  if (page.formFieldsFailure !== undefined) {
    warnings.push({
      code: 'FORM_FIELDS_UNREAD',
      pages: [page.number],
      message: `The form fields of page ${page.number} could not be read (${page.formFieldsFailure}): their answers are missing; the printed text is complete.`,
    });
  }
  return page.formFields ?? [];
}

const describeFailure = (error: unknown): string => `${(error as Error)?.name ?? 'Error'}: ${(error as Error)?.message ?? String(error)}`;

const imageAnalysisFailed = (page: number, failure: string): DocumentWarning => ({
  code: 'IMAGE_ANALYSIS_FAILED',
  pages: [page],
  message: `Checkboxes and ruled tables were not looked for on page ${page} (${failure}); its words are complete.`,
});

/** Tesseract's boxes on the enlarged image, back in the original image's pixels. */
function shrinkBoxes(result: TesseractResult, factor: number): TesseractResult {
  const shrink = <T extends { bbox: { x0: number; y0: number; x1: number; y1: number } }>(item: T): T => ({ ...item, bbox: { x0: item.bbox.x0 / factor, y0: item.bbox.y0 / factor, x1: item.bbox.x1 / factor, y1: item.bbox.y1 / factor } });
  return {
    ...result,
    blocks: (result.blocks ?? []).map((block) => ({ ...block, paragraphs: block.paragraphs.map((paragraph) => ({ ...shrink(paragraph), lines: paragraph.lines.map((line) => ({ ...shrink(line), words: line.words.map(shrink) })) })) })),
  };
}

/**
 * The pages of a TIFF as PNGs, each turned as its Orientation tag (274) shows it, as for a JPEG's EXIF tag: the size
 * is the size as shown. `mirrored` pages are left as stored.
 */
async function tiffPages(bytes: Uint8Array): Promise<{ png: Uint8Array; width: number; height: number; mirrored: boolean }[]> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const UTIF = require('utif2') as { decode(b: ArrayBuffer | Uint8Array): object[]; decodeImage(b: ArrayBuffer | Uint8Array, ifd: object): void; toRGBA8(ifd: object): Uint8Array };
  const { createCanvas } = await import('@napi-rs/canvas');
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let ifds: object[];
  try {
    ifds = UTIF.decode(buffer).filter((ifd) => (ifd as Record<string, unknown>).t256 !== undefined);
  } catch (error) {
    throw new DocpipeError(INTAKE_ERRORS.IMAGE_CORRUPT, `The TIFF file cannot be decoded (${(error as Error).message}).`);
  }
  return Promise.all(
    ifds.map(async (ifd) => {
      UTIF.decodeImage(buffer, ifd);
      const { width, height } = ifd as { width: number; height: number };
      const canvas = createCanvas(width, height);
      const context = canvas.getContext('2d');
      const image = context.createImageData(width, height);
      image.data.set(UTIF.toRGBA8(ifd));
      context.putImageData(image, 0, 0);
      const png = new Uint8Array(await canvas.encode('png'));
      const { turn, mirrored } = orientationTurn((ifd as { t274?: number[] }).t274?.[0] ?? 1);
      if (turn === 0) return { png, width, height, mirrored };
      const shown = await turnedImage(png, turn);
      return { png: shown, ...pngSize(shown), mirrored };
    }),
  );
}
