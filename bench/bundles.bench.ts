/**
 * `npm run bench:bundles`: the size of every Lambda bundle and the time to load it, built by esbuild with the same
 * settings as the stack's functions (lib/function.ts BUNDLING). Goal: each under 1 MB, median under 300 KB.
 * Load time: a fresh `node` requiring the bundle (the AWS SDK resolved from node_modules, as the runtime provides
 * it), median of 7, against the baseline of a fresh `node` requiring nothing. Handlers create their AWS clients on
 * the first invocation, so this is the part of a cold start that the bundle itself adds.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { BUNDLING } from '../lib/function';

const ROOT = join(__dirname, '..');
const OUT = join(ROOT, 'bench', '.bundles'); // inside the repository, so that node_modules resolves the SDK
const RUNS = 7;

/** Handler files are the entry points; the others in lambdas/handlers are shared by them. */
const HANDLERS = readdirSync(join(ROOT, 'lambdas', 'handlers'))
  .filter((f) => f.endsWith('.ts') && !['input.ts', 'observability.ts', 'pipeline-deps.ts'].includes(f))
  .map((f) => f.slice(0, -3))
  .sort();

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function loadMs(file?: string): number {
  const script = `const t=process.hrtime.bigint();${file ? `require(${JSON.stringify(file)});` : ''}process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
  return median(Array.from({ length: RUNS }, () => Number(execFileSync(process.execPath, ['-e', script], { cwd: ROOT, env: { ...process.env, AWS_REGION: 'us-east-1' } }).toString())));
}

function main(): void {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const rows = HANDLERS.map((handler) => {
    const outfile = join(OUT, handler, 'index.js');
    buildSync({ entryPoints: [join(ROOT, 'lambdas', 'handlers', `${handler}.ts`)], bundle: true, platform: 'node', format: 'cjs', outfile, minify: BUNDLING.minify, sourcemap: BUNDLING.sourceMap, target: BUNDLING.target, external: BUNDLING.externalModules, logLevel: 'error' });
    return { handler, kb: statSync(outfile).size / 1024, mapKb: statSync(`${outfile}.map`).size / 1024, loadMs: loadMs(outfile) };
  });
  const baseline = loadMs();
  const sizes = rows.map((r) => r.kb);
  console.log(`docpipe Lambda bundles (esbuild ${BUNDLING.target}, minified, @aws-sdk/* external), load time median of ${RUNS} fresh processes`);
  console.log(`${'handler'.padEnd(20)} ${'bundle KB'.padStart(10)} ${'map KB'.padStart(8)} ${'load ms'.padStart(8)}`);
  for (const r of rows) console.log(`${r.handler.padEnd(20)} ${r.kb.toFixed(0).padStart(10)} ${r.mapKb.toFixed(0).padStart(8)} ${r.loadMs.toFixed(1).padStart(8)}`);
  console.log(`${'(empty node)'.padEnd(20)} ${''.padStart(10)} ${''.padStart(8)} ${baseline.toFixed(1).padStart(8)}`);
  const largest = Math.max(...sizes);
  console.log(`largest ${largest.toFixed(0)} KB (goal < 1024: ${largest < 1024 ? 'met' : 'NOT met'}), median ${median(sizes).toFixed(0)} KB (goal < 300: ${median(sizes) < 300 ? 'met' : 'NOT met'})`);
  rmSync(OUT, { recursive: true, force: true });
  if (largest >= 1024) process.exitCode = 1;
}

main();
