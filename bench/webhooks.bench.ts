/**
 * `npm run bench:webhooks`: deliveries per second to a local receiver on 127.0.0.1, with signing, and the latency
 * docpipe adds to each delivery.
 *
 * Baseline: a bare HTTP POST of the same body to the same receiver with node's http client (no signing, no guard,
 * no delivery log). docpipe: `attemptDelivery` for a recorded delivery (load it, check the URL and pin the address,
 * read the endpoint's secret, sign, POST, classify, write the attempt to the delivery log). Both run in the same
 * process, against the same receiver, one after the other, sequentially (one delivery at a time: latency) and then
 * with 16 in flight (throughput). The added latency is docpipe's p50/p99 minus the baseline's.
 */
import { mkdtempSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { attemptDelivery, startDelivery, type DeliveryDeps } from '../lambdas/domain/webhooks/delivery';
import { buildDocumentEvent } from '../lambdas/domain/webhooks/events';
import { generateSecret } from '../lambdas/domain/webhooks/signing';
import { localWebhookDeps } from '../lambdas/local/workspace';

const N = Number(process.env.BENCH_DELIVERIES ?? 400);
const CONCURRENCY = 16;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function barePost(port: number, body: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/hooks', method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }, agent: false }, (res) => {
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function measure(label: string, one: (i: number) => Promise<void>, concurrency: number) {
  const latencies: number[] = [];
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < N) {
        const i = next++;
        const t = performance.now();
        await one(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { label, perSecond: N / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

async function main(): Promise<void> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end('ok'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  const deps: DeliveryDeps = localWebhookDeps(mkdtempSync(join(tmpdir(), 'docpipe-bench-webhooks-')));
  const endpoint = { id: 'ep_bench', clientId: 'bench', url: `http://127.0.0.1:${port}/hooks`, secretIds: [await deps.secrets.put(generateSecret())], eventTypes: [], enabled: true, createdAt: new Date().toISOString() };
  await deps.endpoints.put(endpoint);
  const event = buildDocumentEvent({ type: 'document.completed', documentId: 'doc-bench', clientId: 'bench', pageCount: 3, exports: { document: 'http://127.0.0.1/doc.json' } });

  const rows = [];
  for (const concurrency of [1, CONCURRENCY]) {
    // Deliveries are recorded beforehand: the measured part is the attempt, as the state machine's task runs it.
    const ids = await Promise.all(Array.from({ length: N }, async () => (await startDelivery(deps, endpoint, event)).id));
    const body = (await deps.deliveries.get(ids[0]))!.payload;
    await measure('warm-up', () => barePost(port, body), 4);
    const bare = await measure('bare POST', () => barePost(port, body), concurrency);
    const docpipe = await measure('docpipe attemptDelivery', async (i) => {
      const outcome = await attemptDelivery(deps, ids[i]);
      if (outcome.outcome !== 'succeeded') throw new Error(`delivery ${ids[i]} ${outcome.outcome}`);
    }, concurrency);
    rows.push({ concurrency, bare, docpipe });
  }
  server.close();

  const lines = ['| in flight | bare POST /s | docpipe /s | docpipe / bare | bare p50 ms | docpipe p50 ms | added p50 ms | bare p99 ms | docpipe p99 ms | added p99 ms |', '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|'];
  for (const { concurrency, bare, docpipe } of rows) {
    lines.push(
      `| ${concurrency} | ${bare.perSecond.toFixed(0)} | ${docpipe.perSecond.toFixed(0)} | ${(docpipe.perSecond / bare.perSecond).toFixed(2)} | ${bare.p50.toFixed(2)} | ${docpipe.p50.toFixed(2)} | ${(docpipe.p50 - bare.p50).toFixed(2)} | ${bare.p99.toFixed(2)} | ${docpipe.p99.toFixed(2)} | ${(docpipe.p99 - bare.p99).toFixed(2)} |`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n\n${N} deliveries per row, node ${process.version}\n`);
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exitCode = 1;
});
