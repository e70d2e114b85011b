/**
 * `docpipe serve [--port 8080] [--host 127.0.0.1] [--workspace DIR] [--inbox DIR] [--issue-key CLIENT ...]`:
 * docpipe as a local service, with the client API of the cloud (the same router: lambdas/domain/api/routes.ts).
 *
 *   The client API (docs/api.md), under /v1/clients/<client>/:
 *     POST uploads, GET documents[?key=], GET documents/<id>, GET|POST webhooks, DELETE webhooks/<id>,
 *     POST webhooks/<id>/rotate
 *   Local extras:
 *     POST /v1/clients/<client>/documents?name=<file>        the document's bytes as the body -> 202 { documentId }
 *     GET  /v1/clients/<client>/documents/<id>/document.json, .../tables/<name>.csv
 *     PUT  /v1/files/<key>?expires=&signature=               where an upload URL points (as a presigned S3 PUT)
 *     GET  /v1/files/<key>?expires=&signature=               where export links point (as a presigned S3 GET)
 *   Inbox: a file dropped into <inbox>/<client>/ is ingested once it stopped changing, then moved to
 *   <inbox>/<client>/.processed/; a symlink or an over-limit file is moved to .rejected/ with a <name>.error.txt.
 *   At start, documents a stopped serve left unfinished are resumed, or failed as SERVER_INTERRUPTED.
 *
 * Authentication: `x-api-key: <key>` (a per-client key, as API Gateway takes it; `--issue-key acme` prints one),
 * which may act for its own client only; or `Authorization: Bearer <token>` (printed at start, or
 * $DOCPIPE_SERVE_TOKEN), the operator's token, which may act for any client. Signed /v1/files URLs need neither.
 * It binds to 127.0.0.1 unless told otherwise. A client only ever sees its own documents and endpoints.
 */
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ApiDeps } from '../../domain/api/deps';
import { API_ERRORS } from '../../domain/api/errors';
import { clientIdOfPath, errorBody, errorResponse, handleApiRequest, MAX_JSON_BODY_BYTES } from '../../domain/api/routes';
import { documentOf } from '../../domain/api/documents';
import { DocpipeError } from '../../domain/errors';
import { markFailed } from '../../domain/pipeline/failure';
import type { DocumentRecord, DocumentStatus } from '../../ports/document-table';
import { clientIdFromKey, documentIdFor } from '../../domain/pipeline/identity';
import { receivedRecord } from '../../domain/pipeline/register';
import { apiKeyIdOf, LocalClientDirectory } from '../local-client-directory';
import { LocalPipeline, type LocalPipelineOptions } from '../pipeline';
import { workspaceDir } from '../workspace';
import { SERVE_ERRORS } from './serve-errors';

export const usage = 'docpipe serve [--port 8080] [--host 127.0.0.1] [--workspace DIR] [--inbox DIR] [--issue-key CLIENT ...]';

const CLIENT = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const MAX_UPLOAD_BYTES = 500 * 1024 * 1024;
const OPEN: DocumentStatus[] = ['received', 'processing'];
/** Store metadata on the uploads serve takes: at start it resumes only its own, never a `docpipe run`'s in the same workspace. */
const SERVE_UPLOAD = { 'docpipe-serve': '1' };
const INTERRUPTED_MESSAGE = 'docpipe serve stopped while this document was processed: upload it again.';

export interface ServeOptions {
  port?: number;
  host?: string;
  workspace: string;
  inbox?: string;
  token?: string;
  /** Poll interval of the inbox, ms. */
  inboxPollMs?: number;
  /** An inbox file is taken once its size and mtime are unchanged since the last poll and it is this old (ms; default 2 polls). */
  inboxSettleMs?: number;
  /** The most bytes of an upload or an inbox file (500 MB; tests lower it). */
  maxUploadBytes?: number;
  pipeline?: Partial<LocalPipelineOptions>;
}

export interface RunningServer {
  url: string;
  token: string;
  pipeline: LocalPipeline;
  /** The per-client API keys (`issue(clientId)` makes one). */
  clients: LocalClientDirectory;
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
  const clients = new LocalClientDirectory(join(options.workspace, 'api-keys'));
  let baseUrl = '';
  // Created once the port is known: the export and upload links point at this server.
  let pipeline!: LocalPipeline;
  let api!: ApiDeps;
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
  /** What S3's "Object Created" event does in the cloud: ingest the stored object, in the background. */
  const ingestLater = (key: string, version: string): void => {
    queue.push(() => pipeline.ingest(key, version).catch(() => undefined));
    pump();
  };
  /**
   * The `received` record ingestObject would write, written before the upload is answered: a stop before its
   * ingestion then leaves a record that the next start resumes, not an accepted document with no trace.
   */
  const recordReceived = async (key: string, version: string): Promise<string> => {
    const record = receivedRecord({ key, version }, new Date());
    await pipeline.table.create(record);
    return record.documentId;
  };
  const accept = async (clientId: string, name: string, bytes: Uint8Array): Promise<string> => {
    const key = `clients/${clientId}/${Date.now()}-${randomUUID().slice(0, 8)}-${name}`;
    const info = await pipeline.store.put(key, bytes, { contentType: 'application/octet-stream', metadata: SERVE_UPLOAD });
    const documentId = await recordReceived(key, info.version);
    ingestLater(key, info.version);
    return documentId;
  };
  const maxUploadBytes = options.maxUploadBytes ?? MAX_UPLOAD_BYTES;

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (error instanceof HttpError) return send(res, error.status, errorBody(error.code, error.message));
      const response = errorResponse(error);
      if (response.status >= 500) process.stderr.write(`docpipe serve: ${req.method} ${req.url?.split('?')[0]}: ${(response.failure as Error)?.stack ?? String(response.failure)}\n`);
      send(res, response.status, response.body, response.headers);
    });
  });

  const isOperator = (req: IncomingMessage): boolean => {
    const given = Buffer.from((req.headers.authorization ?? '').replace(/^Bearer /, ''));
    const expected = Buffer.from(token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  };

  /** The client the request may act for: the API key's client, or the path's client for the operator's token. */
  async function callerOf(req: IncomingMessage, path: string): Promise<string> {
    const apiKey = req.headers['x-api-key'];
    if (typeof apiKey === 'string' && apiKey) {
      const clientId = await clients.clientIdForApiKey(apiKeyIdOf(apiKey));
      if (!clientId) throw new HttpError(403, API_ERRORS.API_KEY_UNKNOWN, 'This API key is not assigned to a client.');
      return clientId;
    }
    if (!isOperator(req)) throw new HttpError(401, 'UNAUTHORIZED', 'Send x-api-key: <client key> or Authorization: Bearer <token> (printed by docpipe serve at start).');
    const clientId = clientIdOfPath(path);
    if (!clientId) throw new HttpError(404, API_ERRORS.API_NOT_FOUND, 'Routes are under /v1/clients/<client>/ (letters, digits, - and _).');
    return clientId;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://local');
    let parts: string[];
    try {
      parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    } catch {
      throw new HttpError(404, API_ERRORS.API_NOT_FOUND, 'The path is not valid percent-encoding.');
    }
    if (parts[0] === 'v1' && parts[1] === 'files' && parts.length > 2) return files(req, res, url, parts.slice(2).join('/'));

    const caller = await callerOf(req, url.pathname);
    const [, , pathClient, collection, id, ...rest] = parts;
    const own = parts[0] === 'v1' && parts[1] === 'clients' && pathClient === caller;
    // Local extras: the raw-bytes upload and the export contents. Everything else is the shared client API.
    if (own && collection === 'documents' && req.method === 'POST' && !id) {
      const name = (url.searchParams.get('name') ?? 'document').replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100);
      const bytes = await readBody(req, maxUploadBytes, 'FILE_TOO_LARGE');
      const documentId = await accept(caller, name, bytes);
      return send(res, 202, { documentId, status: 'received', statusUrl: `${baseUrl}/v1/clients/${caller}/documents/${documentId}` });
    }
    if (own && collection === 'documents' && req.method === 'GET' && id && rest.length > 0) {
      const record = await documentOf(api, caller, id);
      const key = rest[0] === 'document.json' && rest.length === 1 ? record.exportKeys?.document : rest[0] === 'tables' && rest.length === 2 ? record.exportKeys?.tables.find((t) => t.name === rest[1])?.key : undefined;
      if (!key) throw new HttpError(404, 'EXPORT_NOT_FOUND', `No such export of document ${id} (status ${record.status}).`);
      return sendObject(res, key);
    }
    // A body is read only for the caller's own routes: another client's path is refused (403) without it.
    const body = !own || req.method === 'GET' || req.method === 'DELETE' ? undefined : Buffer.from(await readBody(req, MAX_JSON_BODY_BYTES, API_ERRORS.API_BODY_TOO_LARGE)).toString('utf8');
    const response = await handleApiRequest({ method: req.method ?? 'GET', path: url.pathname, clientId: caller, query: Object.fromEntries(url.searchParams), body }, api);
    if (response.status >= 500) process.stderr.write(`docpipe serve: ${req.method} ${url.pathname}: ${(response.failure as Error)?.stack ?? String(response.failure)}\n`);
    send(res, response.status, response.body, response.headers);
  }

  /** The store's signed URLs, as S3 answers presigned ones; the operator's token also reads exports. */
  async function files(req: IncomingMessage, res: ServerResponse, url: URL, key: string): Promise<void> {
    const expires = url.searchParams.get('expires');
    const signature = url.searchParams.get('signature');
    if (req.method === 'PUT') {
      if (!pipeline.store.verifyUrl('PUT', key, expires, signature)) throw new HttpError(403, 'URL_SIGNATURE_INVALID', 'The upload URL is missing its signature, was changed, or has expired: ask for a new one (POST .../uploads).');
      clientIdFromKey(key); // only client uploads are ingested; the API only signs keys under clients/<id>/
      const bytes = await readBody(req, maxUploadBytes, 'FILE_TOO_LARGE');
      const contentType = typeof req.headers['content-type'] === 'string' ? req.headers['content-type'] : 'application/octet-stream';
      const info = await pipeline.store.put(key, bytes, { contentType, metadata: SERVE_UPLOAD });
      await recordReceived(key, info.version);
      ingestLater(key, info.version);
      res.writeHead(200, { etag: `"${info.version}"` });
      res.end();
      return;
    }
    if (req.method !== 'GET') throw new HttpError(405, API_ERRORS.API_METHOD_NOT_ALLOWED, '/v1/files takes GET and PUT.');
    if (expires || signature) {
      if (!pipeline.store.verifyUrl('GET', key, expires, signature)) throw new HttpError(403, 'URL_SIGNATURE_INVALID', 'The link is missing its signature, was changed, or has expired: read the document status for a new one.');
    } else if (!isOperator(req)) throw new HttpError(401, 'UNAUTHORIZED', 'Use the signed link as given, or send Authorization: Bearer <token>.');
    else if (!key.startsWith('exports/')) throw new HttpError(404, 'EXPORT_NOT_FOUND', 'No such export.');
    return sendObject(res, key);
  }

  async function sendObject(res: ServerResponse, key: string): Promise<void> {
    const object = await pipeline.store.get(key).catch((error: unknown) => {
      if ((error as DocpipeError).code === 'OBJECT_NOT_FOUND') return undefined;
      throw error;
    });
    if (!object) throw new HttpError(404, 'EXPORT_NOT_FOUND', 'No such export.');
    res.writeHead(200, { 'content-type': object.contentType ?? 'application/octet-stream' });
    res.end(Buffer.from(object.bytes));
  }

  await new Promise<void>((ok) => server.listen(options.port ?? 8080, options.host ?? '127.0.0.1', ok));
  const address = server.address() as AddressInfo;
  baseUrl = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  pipeline = new LocalPipeline({ dir: options.workspace, waitMs: 500, ...options.pipeline, exportBaseUrl: `${baseUrl}/v1/files` });
  api = { store: pipeline.store, table: pipeline.table, endpoints: pipeline.webhooks.endpoints, secrets: pipeline.webhooks.secrets, guard: pipeline.webhooks.guard };

  /** Ends a document that a stopped serve left open as failed, and tells the client as for any failure. */
  const interrupt = async (record: DocumentRecord): Promise<void> => {
    const { deliveries } = await markFailed(pipeline.deps, { documentId: record.documentId, clientId: record.clientId, clientReference: record.clientReference, failure: { Error: SERVE_ERRORS.SERVER_INTERRUPTED, Cause: INTERRUPTED_MESSAGE } });
    process.stderr.write(`docpipe serve: document ${record.documentId} (${record.clientId}) was ${record.status} when serve stopped: failed as ${SERVE_ERRORS.SERVER_INTERRUPTED}\n`);
    // As the failure path's delivery map does: one webhook delivery execution per delivery.
    for (const { deliveryId } of deliveries) await pipeline.startDelivery(deliveryId);
  };
  /**
   * An upload serve accepted but did not finish: ingested again. A `received` document whose execution never started
   * runs now; one whose execution was already claimed (its name is taken, so it cannot run twice) is failed.
   */
  const resume = async (key: string, version: string, documentId: string): Promise<void> => {
    try {
      await pipeline.ingest(key, version);
    } catch (error) {
      process.stderr.write(`docpipe serve: resuming ${documentId}: ${(error as Error)?.stack ?? String(error)}\n`);
    }
    // Locally an execution runs to its end inside ingest: a record still open was not run by it.
    const record = await pipeline.table.get(documentId);
    if (record && OPEN.includes(record.status)) await interrupt(record);
  };
  const queueJob = (job: () => Promise<unknown>): void => {
    queue.push(() => job().catch((error: unknown) => process.stderr.write(`docpipe serve: ${(error as Error)?.stack ?? String(error)}\n`)));
  };
  // Before the inbox and the port take new work: serve's own uploads that have no final status yet.
  const resumed = new Set<string>();
  const clientIds = new Set<string>();
  for (const key of await pipeline.store.list('clients/')) {
    const info = await pipeline.store.head(key);
    if (!info || info.metadata?.['docpipe-serve'] !== '1') continue;
    const clientId = clientIdFromKey(key);
    clientIds.add(clientId);
    const documentId = documentIdFor(clientId, key, info.version);
    const record = await pipeline.table.get(documentId);
    if (record && !OPEN.includes(record.status)) continue;
    resumed.add(documentId);
    queueJob(() => resume(key, info.version, documentId));
  }
  // Open records whose object was replaced since (a newer version under the key) cannot be re-run: failed.
  for (const clientId of clientIds) {
    for (const record of await pipeline.table.listForClient(clientId, Number.MAX_SAFE_INTEGER)) {
      if (OPEN.includes(record.status) && !resumed.has(record.documentId) && (await pipeline.store.head(record.sourceKey))?.metadata?.['docpipe-serve'] === '1') queueJob(() => interrupt(record));
    }
  }
  pump();

  let inboxTimer: NodeJS.Timeout | undefined;
  let scanning: Promise<void> | undefined;
  if (options.inbox) {
    const inbox = resolve(options.inbox);
    mkdirSync(inbox, { recursive: true });
    const pollMs = options.inboxPollMs ?? 1000;
    const settleMs = options.inboxSettleMs ?? 2 * pollMs;
    // "size:mtime" of each file at the last poll: a file is taken only once this stopped changing (it is complete).
    let seen = new Map<string, string>();
    // Problems already logged, so that an entry that keeps failing is not reported on every poll.
    const reported = new Set<string>();
    const report = (where: string, code: string, message: string): void => {
      const line = `docpipe serve: inbox ${where}: ${code}: ${message}`;
      if (reported.has(line)) return;
      reported.add(line);
      process.stderr.write(`${line}\n`);
    };
    /** Out of the inbox with the reason next to it, so the operator sees why it was not ingested. */
    const reject = (clientId: string, dir: string, name: string, code: string, message: string): void => {
      mkdirSync(join(dir, '.rejected'), { recursive: true });
      const target = join(dir, '.rejected', `${Date.now()}-${name}`);
      renameSync(join(dir, name), target); // a symlink is moved itself, its target untouched
      writeFileSync(`${target}.error.txt`, `${code}: ${message}\n`);
      report(`${clientId}/${name}`, code, `${message} (moved to ${target})`);
    };
    const take = async (clientId: string, dir: string, name: string, next: Map<string, string>): Promise<void> => {
      const file = join(dir, name);
      const stat = lstatSync(file);
      if (stat.isSymbolicLink()) return reject(clientId, dir, name, SERVE_ERRORS.INBOX_SYMLINK_REFUSED, 'A symbolic link: the inbox takes regular files only, never what a link points to. Copy the file in instead.');
      if (!stat.isFile()) return;
      if (stat.size > maxUploadBytes) return reject(clientId, dir, name, SERVE_ERRORS.INBOX_FILE_TOO_LARGE, `The file is ${stat.size} bytes, over the limit of ${maxUploadBytes}. Split the document.`);
      const mark = `${stat.size}:${stat.mtimeMs}`;
      next.set(file, mark);
      if (seen.get(file) !== mark || Date.now() - stat.mtimeMs < settleMs) return;
      // O_NOFOLLOW: a link swapped in since the lstat fails (ELOOP) instead of being followed.
      const fd = openSync(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
      let bytes: Buffer;
      try {
        const opened = fstatSync(fd);
        if (!opened.isFile() || `${opened.size}:${opened.mtimeMs}` !== mark) return; // changed since the lstat: a later poll
        bytes = readFileSync(fd);
      } finally {
        closeSync(fd);
      }
      await accept(clientId, name.replace(/[^A-Za-z0-9._-]/g, '_'), bytes);
      // Moved last, once the document is stored and recorded: a failure before leaves the file to be taken again.
      mkdirSync(join(dir, '.processed'), { recursive: true });
      renameSync(file, join(dir, '.processed', `${Date.now()}-${name}`));
      next.delete(file);
    };
    const scan = async (): Promise<void> => {
      const next = new Map<string, string>();
      for (const clientId of readdirSync(inbox)) {
        // lstat: a client folder that is a link (to anywhere) is not an inbox.
        if (!CLIENT.test(clientId) || !lstatSync(join(inbox, clientId), { throwIfNoEntry: false })?.isDirectory()) continue;
        const dir = join(inbox, clientId);
        for (const name of readdirSync(dir)) {
          if (name.startsWith('.')) continue;
          try {
            await take(clientId, dir, name, next);
          } catch (error) {
            // Contained: one bad entry is reported and skipped, the others and the server go on.
            report(`${clientId}/${name}`, SERVE_ERRORS.INBOX_ENTRY_UNREADABLE, `${(error as NodeJS.ErrnoException).code ?? ''} ${(error as Error).message}`.trim());
          }
        }
      }
      seen = next;
    };
    inboxTimer = setInterval(() => {
      if (scanning) return; // a slow scan (a large file being stored) is not overlapped
      scanning = scan()
        .catch((error: unknown) => report(inbox, SERVE_ERRORS.INBOX_ENTRY_UNREADABLE, (error as Error).message))
        .finally(() => (scanning = undefined));
    }, pollMs);
  }

  return {
    url: baseUrl,
    token,
    pipeline,
    clients,
    idle: async () => {
      while (pending.size || queue.length) await Promise.all([...pending]);
    },
    close: async () => {
      if (inboxTimer) clearInterval(inboxTimer);
      await scanning;
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
      await Promise.all([...pending]);
      await pipeline.close();
    },
  };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (body === undefined) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage, limit: number, code: string): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpError(413, code, `The body is over ${limit} bytes.`);
    chunks.push(chunk as Buffer);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { port: { type: 'string', default: '8080' }, host: { type: 'string', default: '127.0.0.1' }, workspace: { type: 'string' }, inbox: { type: 'string' }, 'issue-key': { type: 'string', multiple: true } },
  });
  const server = await startServer({ port: Number(values.port), host: values.host, workspace: values.workspace ? resolve(values.workspace) : workspaceDir(), inbox: values.inbox });
  const keys = [];
  for (const clientId of values['issue-key'] ?? []) keys.push(await server.clients.add(clientId));
  const example = keys[0] ? { header: `x-api-key: ${keys[0].apiKey}`, client: keys[0].clientId } : { header: `Authorization: Bearer ${server.token}`, client: 'acme' };
  process.stdout.write(
    [
      `docpipe serve: ${server.url}`,
      `  operator token: ${server.token}`,
      ...keys.map((k) => `  API key for ${k.clientId}: ${k.apiKey}`),
      `  upload URL: curl -H "${example.header}" -H "content-type: application/json" -d '{"name":"invoice.png"}' ${server.url}/v1/clients/${example.client}/uploads`,
      `  direct upload: curl -H "${example.header}" --data-binary @invoice.png "${server.url}/v1/clients/${example.client}/documents?name=invoice.png"`,
      ...(values.inbox ? [`  inbox: ${resolve(values.inbox)}/<client>/`] : []),
      '',
    ].join('\n'),
  );
  await new Promise<void>((done) => {
    const stop = (): void => void server.close().then(done);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}
