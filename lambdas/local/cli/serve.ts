/**
 * `docpipe serve [--port 8080] [--host 127.0.0.1] [--workspace DIR] [--inbox DIR]`: docpipe as a local service.
 *
 *   POST /v1/clients/<client>/documents?name=<file>    the document's bytes as the body -> 202 { documentId }
 *   GET  /v1/clients/<client>/documents/<id>           status, reason, export links
 *   GET  /v1/clients/<client>/documents/<id>/document.json, .../tables/<name>.csv
 *   POST /v1/clients/<client>/webhooks                 { url, secret?, events? } -> 201 { endpoint, secret }
 *   GET  /v1/clients/<client>/webhooks
 *   Inbox: a file dropped into <inbox>/<client>/ is ingested and moved to <inbox>/<client>/.processed/.
 *
 * Every request needs `Authorization: Bearer <token>` (printed at start, or $DOCPIPE_SERVE_TOKEN); it binds to
 * 127.0.0.1 unless told otherwise. A client only ever sees its own documents and endpoints.
 */
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isDocpipeError } from '../../domain/errors';
import { documentIdFor } from '../../domain/pipeline/identity';
import { EVENT_TYPES, type EventType } from '../../domain/webhooks/events';
import { checkTarget } from '../../domain/webhooks/guard';
import { assertSecret, generateSecret } from '../../domain/webhooks/signing';
import { LocalPipeline, type LocalPipelineOptions } from '../pipeline';
import { workspaceDir } from '../workspace';

export const usage = 'docpipe serve [--port 8080] [--host 127.0.0.1] [--workspace DIR] [--inbox DIR]';

const CLIENT = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const MAX_UPLOAD_BYTES = 500 * 1024 * 1024;

export interface ServeOptions {
  port?: number;
  host?: string;
  workspace: string;
  inbox?: string;
  token?: string;
  /** Poll interval of the inbox, ms. */
  inboxPollMs?: number;
  pipeline?: Partial<LocalPipelineOptions>;
}

export interface RunningServer {
  url: string;
  token: string;
  pipeline: LocalPipeline;
  /** Resolves when every accepted document has its final status. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const token = options.token ?? process.env.DOCPIPE_SERVE_TOKEN ?? `dps_${randomBytes(24).toString('base64url')}`;
  let baseUrl = '';
  // Created once the port is known: the export links in events point at this server.
  let pipeline!: LocalPipeline;
  const pending = new Set<Promise<unknown>>();
  // Two documents at a time: the OCR pool is sized to the cores.
  let running = 0;
  const queue: (() => Promise<unknown>)[] = [];
  const pump = (): void => {
    while (running < 2 && queue.length) {
      const job = queue.shift()!;
      running++;
      const p = job().finally(() => {
        running--;
        pending.delete(p);
        pump();
      });
      pending.add(p);
    }
  };
  const accept = async (clientId: string, name: string, bytes: Uint8Array): Promise<string> => {
    const key = `clients/${clientId}/${Date.now()}-${randomUUID().slice(0, 8)}-${name}`;
    const info = await pipeline.store.put(key, bytes, { contentType: 'application/octet-stream' });
    queue.push(() => pipeline.ingest(key, info.version).catch(() => undefined));
    pump();
    return documentIdFor(clientId, key, info.version);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const status = error instanceof HttpError ? error.status : isDocpipeError(error) ? 400 : 500;
      const code = error instanceof HttpError ? error.code : isDocpipeError(error) ? error.code : 'INTERNAL_ERROR';
      send(res, status, { error: { code, message: (error as Error).message } });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const given = Buffer.from((req.headers.authorization ?? '').replace(/^Bearer /, ''));
    const expected = Buffer.from(token);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new HttpError(401, 'UNAUTHORIZED', 'Send Authorization: Bearer <token> (printed by docpipe serve at start).');
    const url = new URL(req.url ?? '/', 'http://local');
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts[0] === 'v1' && parts[1] === 'files' && parts[2] === 'exports' && req.method === 'GET') {
      // The export links in events: exports/<client>/<document>/..., the token guards them as presigning does in AWS.
      const object = await pipeline.store.get(parts.slice(2).join('/')).catch(() => undefined);
      if (!object) throw new HttpError(404, 'EXPORT_NOT_FOUND', 'No such export.');
      res.writeHead(200, { 'content-type': object.contentType ?? 'application/octet-stream' });
      res.end(Buffer.from(object.bytes));
      return;
    }
    if (parts[0] !== 'v1' || parts[1] !== 'clients' || !parts[2]) throw new HttpError(404, 'NOT_FOUND', 'Routes are under /v1/clients/<client>/.');
    const clientId = parts[2];
    if (!CLIENT.test(clientId)) throw new HttpError(400, 'INVALID_ARGUMENT', 'A client id is letters, digits, - and _ (at most 64).');
    const [, , , collection, id, ...rest] = parts;
    if (collection === 'documents' && req.method === 'POST' && !id) {
      const name = (url.searchParams.get('name') ?? 'document').replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100);
      const bytes = await readBody(req, MAX_UPLOAD_BYTES);
      const documentId = await accept(clientId, name, bytes);
      return send(res, 202, { documentId, status: 'received', statusUrl: `${baseUrl}/v1/clients/${clientId}/documents/${documentId}` });
    }
    if (collection === 'documents' && req.method === 'GET' && id) {
      const record = await pipeline.table.get(id);
      // Another client's document does not exist, as far as this client can tell.
      if (!record || record.clientId !== clientId) throw new HttpError(404, 'DOCUMENT_NOT_FOUND', `No document ${id} for client ${clientId}.`);
      const base = `${baseUrl}/v1/clients/${clientId}/documents/${id}`;
      if (rest.length === 0) {
        return send(res, 200, {
          documentId: record.documentId,
          status: record.status,
          pageCount: record.pageCount,
          contentType: record.contentType,
          ...(record.reason ? { reason: record.reason } : {}),
          exports: record.exportKeys ? { document: `${base}/document.json`, tables: record.exportKeys.tables.map((t) => ({ name: t.name, url: `${base}/tables/${t.name}` })) } : undefined,
          createdAt: record.createdAt,
          updatedAt: record.updatedAt,
        });
      }
      const key = rest[0] === 'document.json' ? record.exportKeys?.document : rest[0] === 'tables' ? record.exportKeys?.tables.find((t) => t.name === rest[1])?.key : undefined;
      if (!key) throw new HttpError(404, 'EXPORT_NOT_FOUND', `No such export of document ${id} (status ${record.status}).`);
      const object = await pipeline.store.get(key);
      res.writeHead(200, { 'content-type': object.contentType ?? 'application/octet-stream' });
      res.end(Buffer.from(object.bytes));
      return;
    }
    if (collection === 'webhooks' && !id) {
      if (req.method === 'GET') return send(res, 200, (await pipeline.webhooks.endpoints.listForClient(clientId)).map(({ secretIds: _s, ...e }) => e));
      if (req.method === 'POST') {
        let body: { url?: unknown; secret?: unknown; events?: unknown };
        try {
          body = JSON.parse(Buffer.from(await readBody(req, 64 * 1024)).toString('utf8'));
        } catch {
          throw new HttpError(400, 'INVALID_JSON', 'Send JSON: { "url": "...", "secret"?: "whsec_...", "events"?: [...] }.');
        }
        if (typeof body.url !== 'string') throw new HttpError(400, 'INVALID_ARGUMENT', 'url is required.');
        await checkTarget(body.url, pipeline.webhooks.guard);
        const secret = typeof body.secret === 'string' ? body.secret : generateSecret();
        assertSecret(secret);
        const events = Array.isArray(body.events) ? (body.events as EventType[]) : [];
        if (events.some((e) => !EVENT_TYPES.includes(e))) throw new HttpError(400, 'INVALID_ARGUMENT', `events are among ${EVENT_TYPES.join(', ')}.`);
        const endpoint = { id: `ep_${randomUUID().replace(/-/g, '').slice(0, 16)}`, clientId, url: body.url, secretIds: [await pipeline.webhooks.secrets.put(secret)], eventTypes: events, enabled: true, createdAt: new Date().toISOString() };
        await pipeline.webhooks.endpoints.put(endpoint);
        const { secretIds: _s, ...shown } = endpoint;
        return send(res, 201, { endpoint: shown, ...(typeof body.secret === 'string' ? {} : { secret }) });
      }
    }
    throw new HttpError(404, 'NOT_FOUND', `No route ${req.method} ${url.pathname}.`);
  }

  await new Promise<void>((ok) => server.listen(options.port ?? 8080, options.host ?? '127.0.0.1', ok));
  const address = server.address() as AddressInfo;
  baseUrl = `http://${address.address}:${address.port}`;
  pipeline = new LocalPipeline({ dir: options.workspace, waitMs: 500, ...options.pipeline, exportBaseUrl: `${baseUrl}/v1/files` });

  let inboxTimer: NodeJS.Timeout | undefined;
  if (options.inbox) {
    const inbox = resolve(options.inbox);
    mkdirSync(inbox, { recursive: true });
    const scan = (): void => {
      for (const clientId of readdirSync(inbox)) {
        const dir = join(inbox, clientId);
        if (!CLIENT.test(clientId) || !statSync(dir).isDirectory()) continue;
        for (const name of readdirSync(dir)) {
          const file = join(dir, name);
          if (name.startsWith('.') || !statSync(file).isFile()) continue;
          // Moved first, so that a slow run is not picked up twice; the bytes are read from the moved file.
          mkdirSync(join(dir, '.processed'), { recursive: true });
          const moved = join(dir, '.processed', `${Date.now()}-${name}`);
          renameSync(file, moved);
          void accept(clientId, name.replace(/[^A-Za-z0-9._-]/g, '_'), readFileSync(moved));
        }
      }
    };
    inboxTimer = setInterval(scan, options.inboxPollMs ?? 1000);
  }

  return {
    url: baseUrl,
    token,
    pipeline,
    idle: async () => {
      while (pending.size || queue.length) await Promise.all([...pending]);
    },
    close: async () => {
      if (inboxTimer) clearInterval(inboxTimer);
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
      await Promise.all([...pending]);
      await pipeline.close();
    },
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage, limit: number): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpError(413, 'FILE_TOO_LARGE', `The body is over ${limit} bytes.`);
    chunks.push(chunk as Buffer);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { port: { type: 'string', default: '8080' }, host: { type: 'string', default: '127.0.0.1' }, workspace: { type: 'string' }, inbox: { type: 'string' } } });
  const server = await startServer({ port: Number(values.port), host: values.host, workspace: values.workspace ? resolve(values.workspace) : workspaceDir(), inbox: values.inbox });
  process.stdout.write(`docpipe serve: ${server.url}\n  token: ${server.token}\n  upload: curl -H "Authorization: Bearer ${server.token}" --data-binary @invoice.png "${server.url}/v1/clients/acme/documents?name=invoice.png"\n${values.inbox ? `  inbox: ${resolve(values.inbox)}/<client>/\n` : ''}`);
  await new Promise<void>((done) => {
    const stop = (): void => void server.close().then(done);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}
