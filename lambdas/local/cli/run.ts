/**
 * `docpipe run <files or folders...> [--webhook URL] [--webhook-secret whsec_...] [--out DIR] [--client ID]`
 *
 * Runs the real state machines over the documents on this machine: each file is uploaded to the local encrypted
 * store as `clients/<client>/<name>` and ingested as an S3 event would be. Writes the document JSON and table CSVs
 * into --out, delivers signed webhooks when a URL is given (a secret is generated and printed when none is), and
 * prints a summary: pages, classes, time, failures with their codes, and what the same work would cost on AWS.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { claimOutput } from './output-lock';
import { availableParallelism, tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { SingleBar } from 'cli-progress';
import type { Document } from '../../domain/document';
import { checkTarget } from '../../domain/webhooks/guard';
import { assertSecret, generateSecret } from '../../domain/webhooks/signing';
import type { DocumentRecord } from '../../ports/document-table';
import { estimateCost, type CostEstimate } from '../cost';
import type { RecordedRun } from '../local-executions';
import { LocalPipeline } from '../pipeline';
import { uniqueOutputNames, UsageError } from './io';

export const usage = 'docpipe run <files or folders...> [--webhook URL] [--webhook-secret whsec_...] [--out DIR] [--client ID]';

export interface DocumentSummary {
  file: string;
  documentId: string;
  status: string;
  pages: number;
  classes: (string | null)[];
  /** What the document holds besides its text, over all pages. */
  found?: { tables: number; fields: number; checkboxes: number };
  seconds: number;
  error?: { code: string; message: string };
  out?: string;
}

export interface RunSummary {
  documents: DocumentSummary[];
  pages: number;
  seconds: number;
  pagesPerMinute: number;
  failures: number;
  webhooks?: { url: string; delivered: number; dead: number };
  cost: CostEstimate;
}

/** The files to run: files as given, folders walked (hidden entries skipped), in a stable order. */
export function collectFiles(paths: string[]): string[] {
  const files: string[] = [];
  const walk = (path: string): void => {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      throw new UsageError(`${path} does not exist.`);
    }
    if (stat.isDirectory()) {
      for (const name of readdirSync(path).sort()) if (!name.startsWith('.')) walk(join(path, name));
    } else if (stat.isFile()) files.push(path);
  };
  paths.forEach((p) => walk(resolve(p)));
  return files;
}

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      webhook: { type: 'string' },
      'webhook-secret': { type: 'string' },
      out: { type: 'string' },
      client: { type: 'string', default: 'local' },
      workspace: { type: 'string' },
      concurrency: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (positionals.length === 0) throw new UsageError(`Name the documents to run. Usage: ${usage}`);
  const files = collectFiles(positionals);
  if (files.length === 0) throw new UsageError('No files found in the given folders.');
  if (values['webhook-secret'] && !values.webhook) throw new UsageError('--webhook-secret needs --webhook URL.');
  const concurrency = Math.max(1, Number(values.concurrency ?? Math.min(2, availableParallelism())) || 1);

  // Two runs writing one --out would mix their documents and overwrite each other's trace: the second one stops here.
  const releaseOutput = values.out ? claimOutput(resolve(values.out)) : () => undefined;
  // A workspace for this run only, unless one is named: running the same files again is then a new run, not a duplicate.
  const workspace = values.workspace ? resolve(values.workspace) : mkdtempSync(join(tmpdir(), 'docpipe-run-'));
  const pipeline = new LocalPipeline({ dir: workspace, webhookScheduleSeconds: [0, 1, 2, 4], waitMs: Number(process.env.DOCPIPE_LOCAL_WAIT_MS ?? 500) });
  const log = (line: string): void => void process.stdout.write(`${line}\n`);
  try {
    let webhookUrl: string | undefined;
    if (values.webhook) {
      await checkTarget(values.webhook, pipeline.webhooks.guard);
      const secret = values['webhook-secret'] ?? generateSecret();
      assertSecret(secret);
      await pipeline.webhooks.endpoints.put({ id: 'ep_run', clientId: values.client!, url: values.webhook, secretIds: [await pipeline.webhooks.secrets.put(secret)], eventTypes: [], enabled: true, createdAt: new Date().toISOString() });
      webhookUrl = values.webhook;
      // Shown once, so that the receiver can verify the signatures.
      if (!values['webhook-secret'] && !values.json) log(`webhook secret (generated for this run): ${secret}`);
    }
    const summary = await runDocuments(pipeline, files, { clientId: values.client!, concurrency, out: values.out ? resolve(values.out) : undefined, progress: !values.json && process.stderr.isTTY === true });
    if (webhookUrl) {
      const deliveries = await pipeline.webhooks.deliveries.listForEndpoint('ep_run', 10_000);
      summary.webhooks = { url: webhookUrl, delivered: deliveries.filter((d) => d.status === 'succeeded').length, dead: deliveries.filter((d) => d.status === 'dead').length };
    }
    if (values.out) writeFileSync(join(resolve(values.out), TRACE_FILE), JSON.stringify({ summary, runs: pipeline.runs.map(({ machine, name, run }) => ({ machine, name, status: run.status, transitions: run.transitions, durationMs: run.durationMs, trace: run.trace })) }, null, 2));
    if (values.json) log(JSON.stringify(summary, null, 2));
    else printSummary(summary, log, values.out);
    return summary.failures > 0 || (summary.webhooks?.dead ?? 0) > 0 ? 1 : 0;
  } finally {
    await pipeline.close();
    if (!values.workspace) rmSync(workspace, { recursive: true, force: true });
    releaseOutput();
  }
}

export async function runDocuments(pipeline: LocalPipeline, files: string[], options: { clientId: string; concurrency: number; out?: string; progress?: boolean }): Promise<RunSummary> {
  const started = performance.now();
  const bar = options.progress ? new SingleBar({ format: 'docpipe run [{bar}] {value}/{total} documents | {file}', hideCursor: true, stream: process.stderr }) : undefined;
  bar?.start(files.length, 0, { file: '' });
  const documents: DocumentSummary[] = new Array(files.length);
  // Folder names in --out; trace.json is the run's own.
  const names = uniqueOutputNames(files.map((file) => basename(file)), { reserved: [TRACE_FILE] });
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const index = next++;
      const file = files[index];
      const name = names[index];
      const t0 = performance.now();
      const outcome = await pipeline.submit(readFileSync(file), { clientId: options.clientId, name });
      const record = outcome.record!;
      const document = record.exportKeys?.document ? (JSON.parse((await pipeline.documentJson(record))!) as Document) : undefined;
      documents[index] = {
        file,
        documentId: outcome.documentId,
        status: record.status,
        pages: document?.pages.length ?? record.pageCount ?? 0,
        classes: document?.pages.map((p) => p.predictions?.label ?? null) ?? [],
        ...(document ? { found: foundIn(document) } : {}),
        seconds: (performance.now() - t0) / 1000,
        ...(record.status === 'failed' && record.reason ? { error: record.reason } : {}),
      };
      if (options.out) documents[index].out = await writeOutputs(pipeline, record, join(options.out, name));
      bar?.increment(1, { file: name });
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, files.length) }, worker));
  bar?.stop();
  const seconds = (performance.now() - started) / 1000;
  const pages = documents.filter((d) => d.status !== 'failed').reduce((n, d) => n + d.pages, 0);
  const ocrPages = documents.filter((d) => d.status !== 'failed' || d.error?.code.startsWith('OCR_')).reduce((n, d) => n + d.pages, 0);
  const runs: RecordedRun[] = pipeline.runs;
  return { documents, pages, seconds, pagesPerMinute: pages / (seconds / 60), failures: documents.filter((d) => d.status === 'failed').length, cost: estimateCost(runs, documents.length, ocrPages) };
}

const TRACE_FILE = 'trace.json';

/**
 * `<out>/<name>/document.json` and `<out>/<name>/tables/*.csv`, or `<out>/<name>/error.json`. The folder is emptied
 * first: results of an earlier run (a document.json beside this run's error.json) would say what this run did not.
 */
async function writeOutputs(pipeline: LocalPipeline, record: DocumentRecord, dir: string): Promise<string> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  if (record.status === 'failed' || !record.exportKeys) {
    writeFileSync(join(dir, 'error.json'), JSON.stringify({ documentId: record.documentId, status: record.status, error: record.reason }, null, 2));
    return dir;
  }
  writeFileSync(join(dir, 'document.json'), JSON.stringify(JSON.parse((await pipeline.documentJson(record))!), null, 2));
  if (record.exportKeys.tables.length) mkdirSync(join(dir, 'tables'), { recursive: true });
  for (const table of record.exportKeys.tables) writeFileSync(join(dir, 'tables', table.name), (await pipeline.store.get(table.key)).bytes);
  return dir;
}

function foundIn(document: Document): NonNullable<DocumentSummary['found']> {
  const count = (of: (page: Document['pages'][number]) => unknown[]) => document.pages.reduce((n, page) => n + of(page).length, 0);
  return { tables: count((p) => p.tables), fields: count((p) => p.fields), checkboxes: count((p) => p.selections) };
}

function printSummary(summary: RunSummary, log: (line: string) => void, out?: string): void {
  const width = Math.max(...summary.documents.map((d) => basename(d.file).length), 8);
  log(`docpipe run: ${summary.documents.length} document(s), ${summary.pages} page(s) in ${summary.seconds.toFixed(1)} s (${summary.pagesPerMinute.toFixed(1)} pages/min)`);
  for (const d of summary.documents) {
    const found = d.found ? `; ${d.found.tables} table(s), ${d.found.fields} field(s), ${d.found.checkboxes} checkbox(es)` : '';
    const detail = d.error ? `error ${d.error.code}: ${d.error.message}` : `${d.pages} page(s): ${d.classes.map((c) => c ?? '(no class)').join(', ')}${found}`;
    log(`  ${basename(d.file).padEnd(width)}  ${d.status.padEnd(12)}  ${d.seconds.toFixed(1).padStart(5)} s  ${detail}`);
  }
  const classes = new Map<string, number>();
  for (const d of summary.documents) for (const c of d.classes) classes.set(c ?? '(none)', (classes.get(c ?? '(none)') ?? 0) + 1);
  if (classes.size) log(`classes: ${[...classes].map(([c, n]) => `${c} ${n}`).join(', ')}`);
  log(`failures: ${summary.failures}${summary.failures ? ` (${summary.documents.filter((d) => d.error).map((d) => d.error!.code).join(', ')})` : ''}`);
  if (summary.webhooks) log(`webhooks: ${summary.webhooks.delivered} delivered to ${summary.webhooks.url}, ${summary.webhooks.dead} dead`);
  const c = summary.cost;
  log(
    `estimated AWS cost: $${c.usd.total.toFixed(4)} (Textract ${c.textractPages} page(s) $${c.usd.textract.toFixed(4)}, Step Functions ${c.transitions} transitions $${c.usd.stepFunctions.toFixed(5)}, Lambda ${c.lambdaRequests} requests ${c.lambdaGbSeconds.toFixed(2)} GB-s $${c.usd.lambda.toFixed(5)}, other $${(c.usd.storage + c.usd.events + c.usd.pageModel).toFixed(5)}; list prices, see docs/pipeline.md)`,
  );
  if (out) log(`outputs: ${out} (document.json and tables/*.csv per document, trace.json)`);
}
