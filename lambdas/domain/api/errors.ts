/**
 * Stable codes of the client API and the HTTP status of every code it answers with. Codes of other domains
 * (DOCUMENT_NOT_FOUND, WEBHOOK_*) pass through unchanged: a client sees one code per problem wherever it arose.
 */
import { DOCUMENT_TABLE_ERRORS } from '../../ports/document-table';
import { OBJECT_STORE_ERRORS } from '../../ports/object-store';
import { ERROR_CODES } from '../errors';
import { WEBHOOK_ERRORS } from '../webhooks/errors';

export const API_ERRORS = {
  /** No route with this path (or an id of the wrong form). */
  API_NOT_FOUND: 'API_NOT_FOUND',
  /** The path exists, not with this method. */
  API_METHOD_NOT_ALLOWED: 'API_METHOD_NOT_ALLOWED',
  /** The body or the query does not have the shape the route takes; `details.issues` says where. */
  API_INPUT_INVALID: 'API_INPUT_INVALID',
  /** A JSON body over the limit (64 KiB). */
  API_BODY_TOO_LARGE: 'API_BODY_TOO_LARGE',
  /** The path names another client than the one the API key belongs to. */
  API_FORBIDDEN: 'API_FORBIDDEN',
  /** The request's API key belongs to no client (or its client was disabled). */
  API_KEY_UNKNOWN: 'API_KEY_UNKNOWN',
  /** A rotation was asked to finish while the endpoint has a single secret. */
  WEBHOOK_ROTATION_NOT_STARTED: 'WEBHOOK_ROTATION_NOT_STARTED',
  /** The client already has the most endpoints allowed. */
  WEBHOOK_ENDPOINT_LIMIT: 'WEBHOOK_ENDPOINT_LIMIT',
  /** A rotation found the endpoint's secrets changed since it read them (a concurrent rotation): nothing done, try again. */
  WEBHOOK_ENDPOINT_CHANGED: 'WEBHOOK_ENDPOINT_CHANGED',
  /** A store or table failed transiently: try again. */
  API_UNAVAILABLE: 'API_UNAVAILABLE',
  /** Anything unexpected; the message says no more (the logs do, under the request id). */
  INTERNAL_ERROR: 'INTERNAL_ERROR',
} as const;

const STATUS_OF: Record<string, number> = {
  [API_ERRORS.API_NOT_FOUND]: 404,
  [API_ERRORS.API_METHOD_NOT_ALLOWED]: 405,
  [API_ERRORS.API_INPUT_INVALID]: 400,
  [API_ERRORS.API_BODY_TOO_LARGE]: 413,
  [API_ERRORS.API_FORBIDDEN]: 403,
  [API_ERRORS.API_KEY_UNKNOWN]: 403,
  [API_ERRORS.WEBHOOK_ROTATION_NOT_STARTED]: 409,
  [API_ERRORS.WEBHOOK_ENDPOINT_LIMIT]: 409,
  [API_ERRORS.WEBHOOK_ENDPOINT_CHANGED]: 409,
  [API_ERRORS.API_UNAVAILABLE]: 503,
  [API_ERRORS.INTERNAL_ERROR]: 500,
  [ERROR_CODES.INVALID_JSON]: 400,
  [DOCUMENT_TABLE_ERRORS.DOCUMENT_NOT_FOUND]: 404,
  [WEBHOOK_ERRORS.WEBHOOK_ENDPOINT_NOT_FOUND]: 404,
  [WEBHOOK_ERRORS.WEBHOOK_URL_INVALID]: 400,
  [WEBHOOK_ERRORS.WEBHOOK_SECRET_INVALID]: 400,
  // The URL is well formed but docpipe will not call it.
  [WEBHOOK_ERRORS.WEBHOOK_URL_INSECURE]: 422,
  [WEBHOOK_ERRORS.WEBHOOK_ADDRESS_FORBIDDEN]: 422,
  [WEBHOOK_ERRORS.WEBHOOK_DNS_FAILED]: 422,
  [OBJECT_STORE_ERRORS.UPLOAD_URL_UNAVAILABLE]: 501,
};

/** The HTTP status of a code the API answers with, or undefined for a code it does not show to clients. */
export function statusOfCode(code: string): number | undefined {
  return STATUS_OF[code];
}
