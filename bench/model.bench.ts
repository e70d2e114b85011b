/**
 * `npm run bench:model`: pages per second for prediction alone, in-process and over HTTP (the SageMaker-contract
 * server on 127.0.0.1, 16 pages per request, as SageMakerPageModel batches them). Baseline: feature extraction
 * alone, the floor under any prediction. The pages are the 24 real evaluation pages, cycled.
 */
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { extractFeatures } from '../lambdas/domain/page-model/features';
import { createClassifier } from '../lambdas/domain/page-model/model';
import { loadModelArtifact } from '../lambdas/local/in-process-page-model';
import { createModelServer } from '../model/server';
import { loadEvaluationPages, readLabels } from '../model/training';

const N = Number(process.env.BENCH_PAGES ?? 2400);

async function main(): Promise<void> {
  const artifact = loadModelArtifact();
  const classifier = createClassifier(artifact);
  const pages = loadEvaluationPages(readLabels()).map((p) => p.page);
  const slim = pages.map((page) => ({ ...page, words: [], lines: page.lines.map((l) => ({ ...l, wordIds: [], geometry: undefined })), regions: [] }));

  const rate = (label: string, seconds: number) => ({ label, perSecond: N / seconds });
  const time = (run: () => void): number => {
    const t = performance.now();
    run();
    return (performance.now() - t) / 1000;
  };
  for (let i = 0; i < 200; i++) classifier.predictPage(pages[i % pages.length]); // warm-up
  const features = rate('features only (floor)', time(() => { for (let i = 0; i < N; i++) extractFeatures(pages[i % pages.length], artifact.features); }));
  const inProcess = rate('in-process prediction', time(() => { for (let i = 0; i < N; i++) classifier.predictPage(pages[i % pages.length]); }));

  const server = createModelServer(artifact);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/invocations`;
  const batch = 16;
  const bodies = Array.from({ length: Math.ceil(pages.length / batch) + 1 }, (_, k) => JSON.stringify({ pages: Array.from({ length: batch }, (_, i) => slim[(k * batch + i) % slim.length]) }));
  await fetch(url, { method: 'POST', body: bodies[0], headers: { 'content-type': 'application/json' } });
  const t = performance.now();
  for (let sent = 0, k = 0; sent < N; sent += batch, k++) {
    const res = await fetch(url, { method: 'POST', body: bodies[k % bodies.length], headers: { 'content-type': 'application/json' } });
    if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
    await res.json();
  }
  const http = rate(`over HTTP (${batch} pages per request)`, (performance.now() - t) / 1000);
  server.close();

  const rows = [features, inProcess, http].map((r) => `| ${r.label} | ${r.perSecond.toFixed(0)} | ${(r.perSecond / features.perSecond).toFixed(2)} |`);
  process.stdout.write(['| path | pages/s | vs features only |', '|---|---:|---:|', ...rows, '', `${N} pages (the ${pages.length} real evaluation pages cycled), model ${artifact.version}, node ${process.version}`, ''].join('\n'));
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exitCode = 1;
});
