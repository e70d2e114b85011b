/** What the pipeline tests share: a real webhook receiver on 127.0.0.1, endpoints, fixtures, a pipeline per test file. */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSecret } from '../../lambdas/domain/webhooks/signing';
import { LocalPipeline, type LocalPipelineOptions } from '../../lambdas/local/pipeline';

export const DOCUMENTS = join(__dirname, '..', 'fixtures', 'documents');
export const fixture = (name: string): Buffer => readFileSync(join(DOCUMENTS, name));

export interface Hook {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export class HookReceiver {
  readonly received: Hook[] = [];
  /** Status answered to each request, in order; the last repeats. */
  statuses = [200];
  private server?: Server;
  private waiters: (() => void)[] = [];
  url = '';

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(this.statuses[Math.min(this.received.length - 1, this.statuses.length - 1)]);
        res.end();
        this.waiters.splice(0).forEach((w) => w());
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
    return this.url;
  }

  forDocument(documentId: string): Hook[] {
    return this.received.filter((h) => (JSON.parse(h.body) as { data: { documentId: string } }).data.documentId === documentId);
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** Registers an endpoint of a client; returns its id and secret. */
export async function addEndpoint(pipeline: LocalPipeline, clientId: string, url: string, eventTypes: ('document.completed' | 'document.failed' | 'document.needs_review')[] = []): Promise<{ id: string; secret: string }> {
  const secret = generateSecret();
  const id = `ep_${randomUUID().slice(0, 8)}`;
  await pipeline.webhooks.endpoints.put({ id, clientId, url, secretIds: [await pipeline.webhooks.secrets.put(secret)], eventTypes, enabled: true, createdAt: new Date().toISOString() });
  return { id, secret };
}

export function tempDir(prefix = 'docpipe-pipeline-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function newPipeline(options: Partial<LocalPipelineOptions> = {}): LocalPipeline {
  return new LocalPipeline({ dir: tempDir(), webhookScheduleSeconds: [0, 1, 1], waitMs: 1, retryMs: 1, ...options });
}

/** The states entered, in order, by one run. */
export function statesOf(run: { trace: { type: string; state?: string }[] }): string[] {
  return run.trace.filter((t) => t.type === 'StateEntered').map((t) => t.state!);
}
