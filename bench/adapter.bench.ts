/**
 * `npm run bench:adapter`: the docpipe Textract adapter against amazon-textract-response-parser (TRP, the AWS
 * parser) doing the same work on the same fixtures in the same process: load the parsed response, then visit every
 * page, line, word, table cell and form field and read its text.
 *
 * JSON.parse is left out of both (it is the same work for both), but each run gets a freshly parsed response, made
 * just before the timed region, as a Lambda or the local pipeline would: a parser is never timed on input that a
 * previous run already warmed in the caches. Warm-up runs first; then the visitors take turns, and the median time
 * of each is reported, with the median of the speedups taken within each round (see time). Two floors run beside them (see visitFloor and visitBuildFloor). Then a document made of N copies of a real page
 * (N = 1, 2, 5, 10) shows how the cost grows with size. Run with `node --expose-gc` (the npm scripts do) for the
 * scaled runs to isolate the parsers' own growth. `npm run bench:adapter:bundled` runs this file bundled by esbuild,
 * as NodejsFunction ships the adapter to Lambda; with BENCH_NODE set to another node binary (the Lambda runtime's
 * Node.js 24, say), it runs there.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { TextractDocument } from 'amazon-textract-response-parser';
import { normalizeTextract } from '../lambdas/domain/adapters/textract';
import { IdTable } from '../lambdas/domain/adapters/textract/id-table';
import { PrefixedIds } from '../lambdas/domain/adapters/page-assembly';

const FIXTURES = join(__dirname, '..', 'test', 'fixtures');
const RUNS = Number(process.env.BENCH_RUNS ?? 61);

const FILES = [
  'textract/form1005-response.json',
  'textract/financial-document-response.json',
  'textract/paystub-response.json',
  'textract/test-twocol-header-footer-response.json',
  'documents/form.png.textract.json',
  'textract/multi-page-forms-samples-2-page.json',
  'textract/test-query-response.json',
  'textract/little_women_page_1.json',
];

type Raw = { Blocks: any[]; DocumentMetadata?: { Pages?: number } };

/** Visits everything through our common format; returns a checksum so that nothing is optimised away. */
function visitDocpipe(raw: Raw): number {
  const document = normalizeTextract(raw);
  let n = 0;
  for (const page of document.pages) {
    for (const line of page.lines) n += line.text.length;
    for (const word of page.words) n += word.text.length; // every word belongs to exactly one line
    for (const table of page.tables) for (const cell of table.cells) n += cell.text.length;
    for (const field of page.fields) n += field.key.text.length + field.value.text.length;
  }
  return n;
}

/**
 * The floor under both parsers, a third baseline: index the blocks by id and resolve every relationship id, and
 * nothing else. Any parser that follows Textract's relationships does at least this; TRP / floor is the most that
 * any such parser could be faster than TRP.
 */
function visitFloor(raw: Raw): number {
  const byId = new Map<string, any>();
  for (const block of raw.Blocks) byId.set(block.Id, block);
  let n = 0;
  for (const block of raw.Blocks) {
    for (const relationship of block.Relationships ?? []) for (const id of relationship.Ids ?? []) if (byId.get(id) !== undefined) n++;
  }
  return n;
}

const clamp = (value: number): number => (value < 0 ? 0 : value > 1 ? 1 : value);

/**
 * The build floor, a fourth column: the least work of any adapter that builds a document like docpipe's eagerly.
 * One pass reads, from every block, the values the common format keeps (id, text, confidence, box, polygon) into one
 * element per block, and puts its id into docpipe's id table; a second resolves every relationship id (the next
 * block tried first, as the adapter does). Nothing more: no word lists for lines, no cell or field text, no roles,
 * spans, unions, regions, pages or validation. The adapter does all of this and that besides, so TRP / build floor
 * is the most it could be faster than TRP.
 */
function visitBuildFloor(raw: Raw): number {
  const blocks = raw.Blocks;
  const table = new IdTable(blocks.length);
  const ids = new PrefixedIds('e');
  const elements: unknown[] = [];
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i];
    table.add(block.Id);
    const geometry = block.Geometry;
    const box = geometry?.BoundingBox;
    const points = geometry?.Polygon ?? [];
    const polygon: number[] = new Array(points.length * 2);
    for (let k = 0; k < points.length; k++) {
      polygon[2 * k] = clamp(points[k].X);
      polygon[2 * k + 1] = clamp(points[k].Y);
    }
    elements.push({
      id: ids.next(),
      text: block.Text ?? '',
      confidence: block.Confidence === undefined ? undefined : clamp(block.Confidence / 100),
      rawConfidence: block.Confidence,
      geometry: box ? { box: { left: clamp(box.Left), top: clamp(box.Top), width: clamp(box.Width), height: clamp(box.Height) }, polygon } : undefined,
      vendorIds: [block.Id],
    });
  }
  let n = elements.length;
  let next = -1;
  for (const block of blocks) {
    for (const relationship of block.Relationships ?? []) {
      for (const id of relationship.Ids ?? []) {
        const position = next >= 0 && table.idAt(next) === id ? next : table.positionOf(id);
        next = position === undefined ? -1 : position + 1;
        if (position !== undefined) n++;
      }
    }
  }
  return n;
}

/** The same visit through TRP's object model. */
function visitTrp(raw: Raw): number {
  const document = new TextractDocument(raw as never);
  let n = 0;
  for (const page of document.listPages()) {
    for (const line of page.listLines()) {
      n += line.text.length;
      for (const word of line.listWords()) n += word.text.length;
    }
    for (const table of page.listTables()) for (const row of table.listRows()) for (const cell of row.listCells()) n += cell.text.length;
    for (const field of page.form.listFields()) n += field.key.text.length + (field.value?.text.length ?? 0);
  }
  return n;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

let sink = 0;
/** Node's collector, when run with --expose-gc (the npm script does). */
const collect = (globalThis as { gc?: () => void }).gc;

interface Timing {
  /** Each visitor's median time, ms. */
  medians: number[];
  /** How many times faster than the first visitor each one is: the median over the rounds of the first one's time over its own in the same round. */
  speedups: number[];
}

/**
 * Times each visitor over freshly parsed copies of `text`. The visitors take turns, one run each in a round and in a
 * rotating order, so that a change in the machine's load falls on all of them alike (these machines share their
 * cores); the speedups are taken within each round, and their median reported, for the same reason. With `tenured`, a
 * full collection runs before each timed run, so the input sits in the old generation and the run does not pay for
 * the young-generation collector copying a just-parsed multi-megabyte response: that isolates how the parser's own
 * work grows with size.
 */
function time(visits: ((raw: Raw) => number)[], text: string, runs = RUNS, tenured = false): Timing {
  const samples: number[][] = visits.map(() => []);
  for (let i = 0; i < runs; i++) {
    for (let k = 0; k < visits.length; k++) {
      const v = (i + k) % visits.length;
      const raw = JSON.parse(text);
      if (tenured) collect?.();
      const start = performance.now();
      sink += visits[v](raw);
      samples[v].push(performance.now() - start);
    }
  }
  return {
    medians: samples.map(median),
    speedups: samples.map((own) => median(own.map((ms, round) => samples[0][round] / ms))),
  };
}

/** N copies of the response's first page, each with its own ids and page number. */
function repeatPages(raw: Raw, copies: number): Raw {
  const blocks: any[] = [];
  for (let page = 1; page <= copies; page++) {
    const suffix = `-p${page}`;
    for (const block of raw.Blocks) {
      blocks.push({
        ...block,
        Id: block.Id + suffix,
        Page: page,
        Relationships: block.Relationships?.map((r: any) => ({ ...r, Ids: r.Ids.map((id: string) => id + suffix) })),
      });
    }
  }
  return { ...raw, DocumentMetadata: { Pages: copies }, Blocks: blocks };
}

// Warm-up: every visitor over every fixture, so that neither is timed while the JIT is still compiling it.
for (let i = 0; i < 15; i++) {
  for (const file of FILES) {
    const text = readFileSync(join(FIXTURES, file), 'utf8');
    sink += visitDocpipe(JSON.parse(text)) + visitTrp(JSON.parse(text)) + visitFloor(JSON.parse(text)) + visitBuildFloor(JSON.parse(text));
  }
}

const rows: string[] = [];
for (const file of FILES) {
  const text = readFileSync(join(FIXTURES, file), 'utf8');
  const raw = JSON.parse(text) as Raw;
  if (visitDocpipe(raw) <= 0 || visitTrp(JSON.parse(text)) <= 0) throw new Error(`${file}: a visit read no text`);
  // TRP first: its time is what the other three are measured against.
  const { medians, speedups } = time([visitTrp, visitDocpipe, visitFloor, visitBuildFloor], text);
  const [trp, ours, floor, buildFloor] = medians;
  const [, trpOverOurs, trpOverFloor, trpOverBuildFloor] = speedups.map((speedup) => speedup.toFixed(1));
  rows.push(
    `| ${file} | ${raw.Blocks.length} | ${ours.toFixed(2)} | ${trp.toFixed(2)} | ${floor.toFixed(2)} | ${buildFloor.toFixed(2)} | ${trpOverOurs}x | ${trpOverFloor}x | ${trpOverBuildFloor}x |`,
  );
}
process.stdout.write(
  [
    '| fixture | blocks | docpipe median ms | TRP median ms | floor median ms | build floor median ms | TRP / docpipe | TRP / floor | TRP / build floor |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '',
  ].join('\n'),
);

const base = JSON.parse(readFileSync(join(FIXTURES, 'textract/form1005-response.json'), 'utf8')) as Raw;
const scaled: string[] = [];
let perPageAtOne = { ours: 0, trp: 0 };
for (const copies of [1, 2, 5, 10]) {
  const raw = repeatPages(base, copies);
  const text = JSON.stringify(raw);
  const runs = Math.max(9, Math.round(RUNS / copies));
  const [ours, trp] = time([visitDocpipe, visitTrp], text, runs, true).medians;
  if (copies === 1) perPageAtOne = { ours, trp };
  scaled.push(
    `| ${copies} | ${raw.Blocks.length} | ${ours.toFixed(2)} | ${(ours / copies / perPageAtOne.ours).toFixed(2)} | ${trp.toFixed(2)} | ${(trp / copies / perPageAtOne.trp).toFixed(2)} | ${(trp / ours).toFixed(1)}x |`,
  );
}
process.stdout.write(
  [
    '',
    `form1005 page repeated N times, input tenured before each run${collect ? '' : ' (NOT: run with node --expose-gc)'} (per-page cost relative to N=1: 1.00 means linear growth)`,
    '',
    '| pages | blocks | docpipe ms | docpipe per-page vs N=1 | TRP ms | TRP per-page vs N=1 | TRP / docpipe |',
    '|---:|---:|---:|---:|---:|---:|---:|',
    ...scaled,
    '',
    `node ${process.version}, ${RUNS} runs per fixture (median); checksum ${sink > 0 ? 'ok' : 'zero'}`,
    '',
  ].join('\n'),
);
