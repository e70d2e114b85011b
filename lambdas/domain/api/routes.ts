/**
 * The client API, framework-free: one function from a request (method, path, the authenticated client, query,
 * raw body) to a response (status, JSON body). The Lambda behind API Gateway and `docpipe serve` both call it, so
 * the two offer the same routes, the same validation and the same error codes.
 *
 *   POST   /v1/clients/{clientId}/uploads                          { name, contentType?, expiresInSeconds? } -> 201
 *   GET    /v1/clients/{clientId}/documents?key=&limit=            -> 200 { documents }
 *   GET    /v1/clients/{clientId}/documents/{documentId}           -> 200 status, reason, pages, export links
 *   GET    /v1/clients/{clientId}/webhooks                         -> 200 { endpoints }
 *   POST   /v1/clients/{clientId}/webhooks                         { url, secret?, events? } -> 201 { endpoint, secret? }
 *   DELETE /v1/clients/{clientId}/webhooks/{endpointId}            -> 204
 *   POST   /v1/clients/{clientId}/webhooks/{endpointId}/rotate     { finish? } -> 200 { endpointId, activeSecrets, secret? }
 *   POST   /v1/clients/{clientId}/webhooks/{endpointId}/enable     -> 200 { endpoint } (after docpipe disabled it)
 *
 * Errors are `{ "error": { "code", "message", "details"? } }` with a stable code (see errors.ts).
 */
import type * as z from 'zod';
import { DocpipeError, ERROR_CODES, isDocpipeError } from '../errors';
import { CLIENT_ID } from '../pipeline/identity';
import type { ApiDeps } from './deps';
import { documentStatus, listDocuments, ListDocumentsQuery } from './documents';
import { API_ERRORS, statusOfCode } from './errors';
import { createUpload, UploadRequest } from './uploads';
import { enableEndpoint, listEndpoints, registerEndpoint, removeEndpoint, RotateSecretRequest, RegisterEndpointRequest, rotateSecret } from './webhooks';

export interface ApiRequest {
  method: string;
  /** The path from `/v1/...` on, without the query. */
  path: string;
  /** The authenticated caller: the client its API key belongs to (the path must name the same client). */
  clientId: string;
  query?: Record<string, string | undefined> | null;
  /** The raw body (JSON for the routes that take one). */
  body?: string | null;
}

export interface ApiResponse {
  status: number;
  /** JSON; absent for 204. */
  body?: unknown;
  headers?: Record<string, string>;
  /** What went wrong behind a 5xx, for the caller's log (never sent). */
  failure?: unknown;
}

export interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

/** A JSON body larger than this is refused before parsing (uploads go to the upload URL, not through the API). */
export const MAX_JSON_BODY_BYTES = 64 * 1024;

const RESOURCE_ID = /^[A-Za-z0-9_-]{1,128}$/;

interface RouteContext {
  deps: ApiDeps;
  clientId: string;
  params: Record<string, string>;
  query: Record<string, string | undefined>;
  body: string | undefined;
}

interface Route {
  method: 'GET' | 'POST' | 'DELETE';
  /** Segments after /v1/clients/{clientId}; `:name` binds a parameter. */
  pattern: string[];
  run(context: RouteContext): Promise<ApiResponse>;
}

const ROUTES: Route[] = [
  { method: 'POST', pattern: ['uploads'], run: async (c) => ({ status: 201, body: await createUpload(c.deps, c.clientId, jsonInput(UploadRequest, c.body)) }) },
  { method: 'GET', pattern: ['documents'], run: async (c) => ({ status: 200, body: { documents: await listDocuments(c.deps, c.clientId, input(ListDocumentsQuery, c.query, 'query')) } }) },
  { method: 'GET', pattern: ['documents', ':documentId'], run: async (c) => ({ status: 200, body: await documentStatus(c.deps, c.clientId, c.params.documentId) }) },
  { method: 'GET', pattern: ['webhooks'], run: async (c) => ({ status: 200, body: { endpoints: await listEndpoints(c.deps, c.clientId) } }) },
  { method: 'POST', pattern: ['webhooks'], run: async (c) => ({ status: 201, body: await registerEndpoint(c.deps, c.clientId, jsonInput(RegisterEndpointRequest, c.body)) }) },
  {
    method: 'DELETE',
    pattern: ['webhooks', ':endpointId'],
    run: async (c) => {
      await removeEndpoint(c.deps, c.clientId, c.params.endpointId);
      return { status: 204 };
    },
  },
  { method: 'POST', pattern: ['webhooks', ':endpointId', 'enable'], run: async (c) => ({ status: 200, body: await enableEndpoint(c.deps, c.clientId, c.params.endpointId) }) },
  { method: 'POST', pattern: ['webhooks', ':endpointId', 'rotate'], run: async (c) => ({ status: 200, body: await rotateSecret(c.deps, c.clientId, c.params.endpointId, jsonInput(RotateSecretRequest, c.body, { optional: true })) }) },
];

/** The client a path is for (`/v1/clients/{clientId}/...`), or undefined when the path is not a client route. */
export function clientIdOfPath(path: string): string | undefined {
  const parts = segmentsOf(path);
  return parts && parts[0] === 'v1' && parts[1] === 'clients' && parts[2] && CLIENT_ID.test(parts[2]) ? parts[2] : undefined;
}

export async function handleApiRequest(request: ApiRequest, deps: ApiDeps): Promise<ApiResponse> {
  try {
    return await route(request, deps);
  } catch (error) {
    return errorResponse(error);
  }
}

async function route(request: ApiRequest, deps: ApiDeps): Promise<ApiResponse> {
  const parts = segmentsOf(request.path);
  if (!parts || parts[0] !== 'v1' || parts[1] !== 'clients' || !parts[2]) throw new DocpipeError(API_ERRORS.API_NOT_FOUND, 'Routes are under /v1/clients/{clientId}/.');
  const [, , pathClient, ...rest] = parts;
  // The key decides who the caller is; the path can only repeat it.
  if (pathClient !== request.clientId) throw new DocpipeError(API_ERRORS.API_FORBIDDEN, 'This API key belongs to another client than the one in the path.');
  const method = request.method.toUpperCase();
  const matching = ROUTES.map((r) => ({ route: r, params: match(r.pattern, rest) })).filter((m) => m.params !== undefined);
  if (matching.length === 0) throw new DocpipeError(API_ERRORS.API_NOT_FOUND, `No route ${method} ${request.path}.`);
  const found = matching.find((m) => m.route.method === method);
  if (!found) {
    const allowed = matching.map((m) => m.route.method).join(', ');
    return { ...errorResponse(new DocpipeError(API_ERRORS.API_METHOD_NOT_ALLOWED, `${request.path} takes ${allowed}.`)), headers: { allow: allowed } };
  }
  const query = Object.fromEntries(Object.entries(request.query ?? {}).filter(([, v]) => v !== undefined));
  return found.route.run({ deps, clientId: request.clientId, params: found.params!, query, body: request.body ?? undefined });
}

/** Decoded path segments, or undefined when the path cannot be decoded. */
function segmentsOf(path: string): string[] | undefined {
  try {
    return path.split('?')[0].split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return undefined;
  }
}

/** The parameters when the segments fit the pattern; ids of the wrong form simply do not match (404). */
function match(pattern: string[], segments: string[]): Record<string, string> | undefined {
  if (pattern.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i].startsWith(':')) {
      if (!RESOURCE_ID.test(segments[i])) return undefined;
      params[pattern[i].slice(1)] = segments[i];
    } else if (pattern[i] !== segments[i]) return undefined;
  }
  return params;
}

function input<S extends z.ZodType>(schema: S, value: unknown, where: 'body' | 'query'): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.slice(0, 10).map((issue) => `${issue.path.join('.') || `(${where})`}: ${issue.message}`);
  throw new DocpipeError(API_ERRORS.API_INPUT_INVALID, `The ${where} is not valid: ${issues.join('; ')}.`, { details: { issues } });
}

function jsonInput<S extends z.ZodType>(schema: S, body: string | undefined, { optional = false } = {}): z.infer<S> {
  if (body !== undefined && Buffer.byteLength(body) > MAX_JSON_BODY_BYTES) throw new DocpipeError(API_ERRORS.API_BODY_TOO_LARGE, `A JSON body is at most ${MAX_JSON_BODY_BYTES} bytes.`);
  if (body === undefined || body.trim() === '') {
    if (optional) return input(schema, {}, 'body');
    throw new DocpipeError(API_ERRORS.API_INPUT_INVALID, 'This route takes a JSON body.');
  }
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new DocpipeError(ERROR_CODES.INVALID_JSON, 'The body is not JSON.');
  }
  return input(schema, value, 'body');
}

/** A thrown error as the response a client sees: known codes with their status; anything else a bare 500 or 503. */
export function errorResponse(error: unknown): ApiResponse {
  if (isDocpipeError(error)) {
    const status = statusOfCode(error.code);
    if (status !== undefined && status < 500) return { status, body: errorBody(error.code, error.message, error.details) };
    if (status !== undefined) return { status, body: errorBody(error.code, error.message), failure: error };
    if (error.retryable) return { status: 503, body: errorBody(API_ERRORS.API_UNAVAILABLE, 'A store is unavailable for a moment: try again.'), headers: { 'retry-after': '1' }, failure: error };
  }
  return { status: 500, body: errorBody(API_ERRORS.INTERNAL_ERROR, 'Something went wrong on our side.'), failure: error };
}

export function errorBody(code: string, message: string, details?: Record<string, unknown>): ErrorBody {
  return { error: { code, message, ...(details ? { details } : {}) } };
}
