/**
 * One HTTP attempt: POST the body to the checked address, with a total timeout, no redirect following (node's
 * http client never follows them), and the response body read only up to a small cap for the delivery log.
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { performance } from 'node:perf_hooks';
import { pinnedLookup, type CheckedTarget } from './guard';

export interface SendRequest {
  target: CheckedTarget;
  headers: Record<string, string>;
  body: string;
  /** Default 15000. */
  timeoutMs?: number;
  /** Default 4096 bytes. */
  maxResponseBytes?: number;
}

export interface SendResult {
  status?: number;
  headers?: IncomingHttpHeaders;
  latencyMs: number;
  /** The start of the response body, at most maxResponseBytes. */
  responseBody?: string;
  /** Why there was no response: `timeout`, or the connection error's code. */
  error?: string;
}

export function send({ target, headers, body, timeoutMs = 15000, maxResponseBytes = 4096 }: SendRequest): Promise<SendResult> {
  const started = performance.now();
  const request = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: Omit<SendResult, 'latencyMs'>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...result, latencyMs: Math.round((performance.now() - started) * 100) / 100 });
    };
    const req = request(
      target.url,
      {
        method: 'POST',
        lookup: pinnedLookup(target) as never,
        headers: { 'content-type': 'application/json', 'user-agent': 'docpipe-webhooks/1', 'content-length': Buffer.byteLength(body), ...headers },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size < maxResponseBytes) chunks.push(chunk.subarray(0, maxResponseBytes - size));
          size += chunk.length;
          if (size >= maxResponseBytes) res.destroy(); // enough for the log; do not read a huge body
        });
        const done = (): void => finish({ status: res.statusCode, headers: res.headers, responseBody: Buffer.concat(chunks).toString('utf8') });
        res.on('end', done);
        res.on('close', done);
        res.on('error', done);
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      finish({ error: 'timeout' });
    }, timeoutMs);
    req.on('error', (error: NodeJS.ErrnoException) => finish({ error: error.code ?? error.message }));
    req.end(body);
  });
}
