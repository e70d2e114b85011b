/**
 * `npm run bench:pipeline`: pages per minute through the whole local pipeline (`docpipe run`: the three state
 * machines, the handlers, the local stores) against the OCR vendor alone, on the sample documents, and docpipe's
 * own overhead: everything but OCR and the page model, as a share of wall time (the bar: under 5%).
 *
 * Baseline: the same files OCRed by the local OCR vendor directly (`LocalOcrVendor.recognize`: Tesseract for the
 * images, the PDF text layer for born-digital PDFs), one after the other. docpipe: `runDocuments` (what
 * `docpipe run` does) over the same files with concurrency 1, so that times add up, and with Wait states and retry
 * intervals at 0 ms. Both use one OCR vendor, started before anything is timed (its start-up is reported apart);
 * the pipeline's vendor and page model are wrapped to sum their time, and its handlers to sum theirs. One warm-up
 * round, then BENCH_RUNS rounds (default 5), the two sides alternating which goes first; medians are reported.
 * Each pipeline round gets a fresh workspace, as each `docpipe run` does; all of it is removed at the end. The
 * once-per-process costs (Tesseract workers, validating the ASL files) are timed apart and stay out of the rounds.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Document, Page, PagePrediction } from '../lambdas/domain/document';
import { inspectDocument } from '../lambdas/domain/intake/inspect';
import { runDocuments, collectFiles, type RunSummary } from '../lambdas/local/cli/run';
import { InProcessPageModel } from '../lambdas/local/in-process-page-model';
import { LocalOcrVendor } from '../lambdas/local/ocr/local-ocr-vendor';
import { LocalPipeline, STATE_MACHINES_DIR, type PipelineTaskKey } from '../lambdas/local/pipeline';
import { LocalStateMachine, type LocalTask } from '../lambdas/local/state-machine-runner';
import type { OcrRequest, OcrVendor } from '../lambdas/ports/ocr-vendor';
import type { PageModel } from '../lambdas/ports/page-model';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SAMPLES = join(__dirname, '..', 'samples', 'documents');
const LAMBDAS: PipelineTaskKey[] = ['RegisterDocumentFunctionArn', 'OcrSyncFunctionArn', 'StartOcrJobFunctionArn', 'PredictPagesFunctionArn', 'BuildExportsFunctionArn', 'MarkFailedFunctionArn', 'DeliverWebhookFunctionArn'];

/** Time spent in OCR, in the page model and in the handlers during one pipeline round, in ms. */
class Clock {
  ocr = 0;
  ocrInHandlers = 0;
  model = 0;
  handlers = 0;
  /** Per document id: OCR and page model ms. */
  byDocument = new Map<string, { ocr: number; model: number }>();
  /** The handler running now (concurrency 1: at most one), to tell sync OCR inside OcrSync from async jobs. */
  inHandler = false;
  currentDocument = '';

  of(documentId: string) {
    let entry = this.byDocument.get(documentId);
    if (!entry) this.byDocument.set(documentId, (entry = { ocr: 0, model: 0 }));
    return entry;
  }
}

/** The vendor, timed; no close(): the rounds share one vendor, closed at the end. */
class TimedOcr implements OcrVendor {
  clock = new Clock();
  constructor(private readonly real: LocalOcrVendor) {}
  get name(): string {
    return this.real.name;
  }
  async recognize(request: OcrRequest): Promise<Document> {
    const t = performance.now();
    try {
      return await this.real.recognize(request);
    } finally {
      const ms = performance.now() - t;
      this.clock.ocr += ms;
      if (this.clock.inHandler) this.clock.ocrInHandlers += ms;
      this.clock.of(request.documentId).ocr += ms;
    }
  }
}

class TimedPageModel implements PageModel {
  constructor(private readonly real: PageModel, private readonly ocr: TimedOcr) {}
  async predict(pages: readonly Page[]): Promise<PagePrediction[]> {
    const t = performance.now();
    try {
      return await this.real.predict(pages);
    } finally {
      const ms = performance.now() - t;
      this.ocr.clock.model += ms;
      this.ocr.clock.of(this.ocr.clock.currentDocument).model += ms;
    }
  }
}

/** Times a handler; Predict's input names its document (the page model port does not). */
function timed(key: PipelineTaskKey, clock: () => Clock): (task: LocalTask) => LocalTask {
  return (task) => async (input, context) => {
    const c = clock();
    if (key === 'PredictPagesFunctionArn') c.currentDocument = (input as { documentId: string }).documentId;
    const t = performance.now();
    c.inHandler = true;
    try {
      return await task(input, context);
    } finally {
      c.inHandler = false;
      c.handlers += performance.now() - t;
    }
  };
}

interface Round {
  baseline: { ms: number; pages: number; byFile: Map<string, number> };
  pipeline: { ms: number; summary: RunSummary; clock: Clock; retries: number };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function main(): Promise<void> {
  const files = collectFiles([SAMPLES]);
  const inputs = await Promise.all(files.map(async (file) => {
    const bytes = readFileSync(file);
    const inspection = await inspectDocument(bytes);
    return { file, bytes, contentType: inspection.contentType, sha256: inspection.sha256 };
  }));
  const root = mkdtempSync(join(tmpdir(), 'docpipe-bench-pipeline-'));
  // Other work on the machine moves every figure here: the load average is printed with them.
  const loadBefore = loadavg()[0];
  const vendor = new LocalOcrVendor();
  const ocr = new TimedOcr(vendor);
  const model = new TimedPageModel(new InProcessPageModel(), ocr);

  try {
    const t0 = performance.now();
    await vendor.warmUp();
    const startupMs = performance.now() - t0;
    // The other start-up: each ASL file is validated once per process (asl-validator) when its machine is first built.
    const t1 = performance.now();
    const noop = Object.fromEntries([...LAMBDAS, 'ExportStateMachineArn', 'WebhookDeliveryStateMachineArn'].map((key) => [key, () => ({})]));
    for (const name of ['extraction', 'export', 'webhook-delivery']) new LocalStateMachine({ definitionPath: join(STATE_MACHINES_DIR, `${name}.asl.json`), tasks: noop });
    const validationMs = performance.now() - t1;

    const baseline = async (): Promise<Round['baseline']> => {
      let ms = 0;
      let pages = 0;
      const byFile = new Map<string, number>();
      for (const [i, input] of inputs.entries()) {
        const t = performance.now();
        const document = await vendor.recognize({ documentId: `doc_baseline_${i}`, bytes: input.bytes, contentType: input.contentType, sha256: input.sha256, name: basename(input.file) });
        const took = performance.now() - t;
        ms += took;
        pages += document.pages.length;
        byFile.set(input.file, took);
      }
      return { ms, pages, byFile };
    };

    let round = 0;
    const pipeline = async (): Promise<Round['pipeline']> => {
      ocr.clock = new Clock();
      const clock = ocr.clock;
      const wrap = Object.fromEntries(LAMBDAS.map((key) => [key, timed(key, () => ocr.clock)]));
      const local = new LocalPipeline({ dir: join(root, `round-${round++}`), ocr, pageModel: model, waitMs: 0, retryMs: 0, wrap });
      const t = performance.now();
      const summary = await runDocuments(local, files, { clientId: 'bench', concurrency: 1 });
      const ms = performance.now() - t;
      await local.close();
      const failed = summary.documents.filter((d) => d.status === 'failed');
      if (failed.length) throw new Error(`documents failed: ${failed.map((d) => `${basename(d.file)} ${d.error?.code}`).join(', ')}`);
      const retries = local.runs.reduce((n, r) => n + r.run.trace.filter((e) => e.type === 'StateRetried').length, 0);
      return { ms, summary, clock, retries };
    };

    // Warm-up: the PDF worker's start, the JIT.
    const warmBaseline = await baseline();
    const warmPipeline = await pipeline();
    const rounds: Round[] = [];
    for (let i = 0; i < RUNS; i++) {
      if (i % 2 === 0) {
        const b = await baseline();
        rounds.push({ baseline: b, pipeline: await pipeline() });
      } else {
        const p = await pipeline();
        rounds.push({ baseline: await baseline(), pipeline: p });
      }
    }

    const pages = rounds[0].pipeline.summary.pages;
    if (rounds.some((r) => r.baseline.pages !== pages || r.pipeline.summary.pages !== pages)) throw new Error('the two sides read different page counts');
    const perMinute = (ms: number) => pages / (ms / 60_000);
    const parts = rounds.map(({ pipeline: p }) => {
      const handlersOwn = p.clock.handlers - p.clock.ocrInHandlers - p.clock.model;
      const overhead = p.ms - p.clock.ocr - p.clock.model;
      return { wall: p.ms, ocr: p.clock.ocr, model: p.clock.model, handlersOwn, runner: overhead - handlersOwn, overhead, share: overhead / p.ms };
    });
    const m = (pick: (x: (typeof parts)[number]) => number) => median(parts.map(pick));
    const baselineMs = median(rounds.map((r) => r.baseline.ms));
    const pipelineMs = median(rounds.map((r) => r.pipeline.ms));
    const ratios = rounds.map((r) => r.baseline.ms / r.pipeline.ms);
    const shares = parts.map((p) => p.share);
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

    const out: string[] = [];
    out.push(`${files.length} documents, ${pages} pages (samples/documents); ${RUNS} rounds after one warm-up round; medians`, '');
    out.push('| path | median s per round | pages/min | vs OCR alone |', '|---|---:|---:|---:|');
    out.push(`| OCR vendor alone (Tesseract, PDF text layer) | ${(baselineMs / 1000).toFixed(2)} | ${perMinute(baselineMs).toFixed(1)} | 1.00 |`);
    out.push(`| docpipe pipeline (runDocuments, concurrency 1) | ${(pipelineMs / 1000).toFixed(2)} | ${perMinute(pipelineMs).toFixed(1)} | ${median(ratios).toFixed(3)} |`);
    out.push('', 'Where the pipeline\'s wall time goes (median per round):', '');
    out.push('| part | ms | share of wall |', '|---|---:|---:|');
    out.push(`| OCR (vendor calls, sync and async) | ${m((x) => x.ocr).toFixed(0)} | ${pct(m((x) => x.ocr / x.wall))} |`);
    out.push(`| page model (predict calls) | ${m((x) => x.model).toFixed(1)} | ${pct(m((x) => x.model / x.wall))} |`);
    out.push(`| handlers' own work (checks, store, table, validation, exports) | ${m((x) => x.handlersOwn).toFixed(0)} | ${pct(m((x) => x.handlersOwn / x.wall))} |`);
    out.push(`| the rest (state machine runner, starters, OCR completion, run loop) | ${m((x) => x.runner).toFixed(0)} | ${pct(m((x) => x.runner / x.wall))} |`);
    out.push(`| **docpipe overhead** (wall - OCR - page model) | **${m((x) => x.overhead).toFixed(0)}** | **${pct(median(shares))}** |`);

    out.push('', 'Per document (median ms; docpipe = the document\'s time in runDocuments - its OCR - its page model):', '');
    out.push('| document | pages | OCR alone | pipeline | OCR in pipeline | page model | docpipe | docpipe share |', '|---|---:|---:|---:|---:|---:|---:|---:|');
    for (const [i, file] of files.entries()) {
      const rows = rounds.map(({ baseline: b, pipeline: p }) => {
        const d = p.summary.documents[i];
        const own = p.clock.byDocument.get(d.documentId) ?? { ocr: 0, model: 0 };
        const wall = d.seconds * 1000;
        return { alone: b.byFile.get(file)!, wall, ocr: own.ocr, model: own.model, docpipe: wall - own.ocr - own.model, pages: d.pages };
      });
      const md = (pick: (x: (typeof rows)[number]) => number) => median(rows.map(pick));
      out.push(`| ${basename(file)} | ${rows[0].pages} | ${md((x) => x.alone).toFixed(0)} | ${md((x) => x.wall).toFixed(0)} | ${md((x) => x.ocr).toFixed(0)} | ${md((x) => x.model).toFixed(1)} | ${md((x) => x.docpipe).toFixed(0)} | ${pct(md((x) => x.docpipe / x.wall))} |`);
    }

    const retries = rounds.reduce((n, r) => n + r.pipeline.retries, 0);
    out.push(
      '',
      `overhead share per round: ${shares.map(pct).join(', ')} (bar: < 5%: ${median(shares) < 0.05 ? 'met' : 'NOT met'})`,
      `pipeline / OCR-alone throughput per round: ${ratios.map((r) => r.toFixed(3)).join(', ')}`,
      `OCR engine start-up (Tesseract workers: ${Math.max(1, Math.min(4, availableParallelism()))}): ${startupMs.toFixed(0)} ms, not in any round`,
      `ASL validation of the three state machines, once per process: ${validationMs.toFixed(0)} ms, not in any round`,
      `warm-up round: OCR alone ${(warmBaseline.ms / 1000).toFixed(2)} s, pipeline ${(warmPipeline.ms / 1000).toFixed(2)} s (PDF worker start, JIT)`,
      `retries in measured rounds: ${retries}; node ${process.version}, ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown'}), load average ${loadBefore.toFixed(1)} at start, ${loadavg()[0].toFixed(1)} at end`,
      '',
    );
    process.stdout.write(out.join('\n'));
  } finally {
    await vendor.close();
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exitCode = 1;
});
