/**
 * A client's webhook endpoints over the API: register (the URL passes the SSRF guard first), list, remove, and
 * rotate the signing secret. A rotation adds a second secret and deliveries are signed with both, so the receiver
 * can switch at its own pace; `finish` then drops the older one (as `docpipe webhooks rotate [--finish]` does).
 * Secret values are returned once, when created, and never shown again. `docpipe webhooks` uses the same functions.
 */
import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import type { Endpoint, EndpointChange } from '../../ports/endpoint-registry';
import { DocpipeError } from '../errors';
import { WEBHOOK_ERRORS } from '../webhooks/errors';
import { EVENT_TYPES } from '../webhooks/events';
import { checkTarget } from '../webhooks/guard';
import { assertSecret, generateSecret } from '../webhooks/signing';
import type { ApiDeps } from './deps';
import { API_ERRORS } from './errors';

export const RegisterEndpointRequest = z
  .object({
    url: z.string().min(1).max(2048),
    secret: z.string().min(1).max(512).optional(),
    events: z.array(z.enum(EVENT_TYPES)).max(EVENT_TYPES.length * 2).optional(),
  })
  .strict();
export type RegisterEndpointRequest = z.infer<typeof RegisterEndpointRequest>;

export const RotateSecretRequest = z.object({ finish: z.boolean().optional() }).strict();
export type RotateSecretRequest = z.infer<typeof RotateSecretRequest>;

/** An endpoint as its client sees it: the secrets' ids stay inside docpipe, only their number shows. */
export interface EndpointView {
  id: string;
  clientId: string;
  url: string;
  eventTypes: string[];
  enabled: boolean;
  disabledReason?: string;
  failingSince?: string;
  createdAt: string;
  /** 2 while a rotation is under way. */
  activeSecrets: number;
}

export function viewOf({ secretIds, ...endpoint }: Endpoint): EndpointView {
  return { ...endpoint, activeSecrets: secretIds.length };
}

const DEFAULT_MAX_ENDPOINTS = 20;

/** What managing endpoints needs (the API and `docpipe webhooks` both manage them through these functions). */
export type EndpointDeps = Pick<ApiDeps, 'endpoints' | 'secrets' | 'guard' | 'maxEndpointsPerClient' | 'now'>;

/** The client's endpoint; another client's endpoint does not exist, as far as this client can tell. */
async function endpointOf(deps: EndpointDeps, clientId: string, endpointId: string): Promise<Endpoint> {
  const endpoint = await deps.endpoints.get(endpointId);
  if (!endpoint || endpoint.clientId !== clientId) throw new DocpipeError(WEBHOOK_ERRORS.WEBHOOK_ENDPOINT_NOT_FOUND, `No endpoint ${endpointId}.`);
  return endpoint;
}

export async function listEndpoints(deps: EndpointDeps, clientId: string): Promise<EndpointView[]> {
  // Disabled ones too: a client must see that docpipe stopped delivering, and why (`enabled`, `disabledReason`).
  return (await deps.endpoints.listForClient(clientId, undefined, { includeDisabled: true })).filter((e) => e.clientId === clientId).map(viewOf);
}

export async function registerEndpoint(deps: EndpointDeps, clientId: string, request: RegisterEndpointRequest): Promise<{ endpoint: EndpointView; secret?: string }> {
  // Refused now rather than at the first delivery; each delivery checks again (DNS answers change).
  await checkTarget(request.url, deps.guard);
  if (request.secret !== undefined) assertSecret(request.secret);
  const max = deps.maxEndpointsPerClient ?? DEFAULT_MAX_ENDPOINTS;
  const secret = request.secret ?? generateSecret();
  const endpoint: Endpoint = {
    id: `ep_${randomUUID().replace(/-/g, '').slice(0, 16)}`,
    clientId,
    url: request.url,
    secretIds: [await deps.secrets.put(secret)],
    eventTypes: [...new Set(request.events ?? [])],
    enabled: true,
    createdAt: (deps.now ?? (() => new Date()))().toISOString(),
  };
  // The registry counts and writes in one step (a count read before it would let concurrent registrations through).
  if (!(await deps.endpoints.create(endpoint, max))) {
    await Promise.allSettled(endpoint.secretIds.map((id) => deps.secrets.remove(id)));
    throw new DocpipeError(API_ERRORS.WEBHOOK_ENDPOINT_LIMIT, `Client ${clientId} has ${max} endpoints already: remove one first.`, { details: { max } });
  }
  // A secret the client chose is not echoed back; a generated one is shown this once.
  return { endpoint: viewOf(endpoint), ...(request.secret === undefined ? { secret } : {}) };
}

export async function removeEndpoint(deps: EndpointDeps, clientId: string, endpointId: string): Promise<void> {
  const endpoint = await endpointOf(deps, clientId, endpointId);
  await deps.endpoints.remove(endpoint.id);
  // The endpoint is gone (pending deliveries to it end as ENDPOINT_REMOVED); its secrets serve nothing now. A secret
  // left behind by a failed removal is only an unused encrypted record.
  await Promise.allSettled(endpoint.secretIds.map((id) => deps.secrets.remove(id)));
}

export async function rotateSecret(deps: EndpointDeps, clientId: string, endpointId: string, request: RotateSecretRequest): Promise<{ endpointId: string; activeSecrets: number; secret?: string }> {
  const endpoint = await endpointOf(deps, clientId, endpointId);
  if (request.finish) {
    if (endpoint.secretIds.length < 2) throw new DocpipeError(API_ERRORS.WEBHOOK_ROTATION_NOT_STARTED, `Endpoint ${endpoint.id} has one secret: rotate first, then finish.`);
    const [kept, dropped] = [endpoint.secretIds.slice(-1), endpoint.secretIds.slice(0, -1)];
    assertChanged(endpoint.id, await deps.endpoints.replaceSecrets(endpoint.id, endpoint.secretIds, kept));
    await Promise.allSettled(dropped.map((id) => deps.secrets.remove(id)));
    return { endpointId: endpoint.id, activeSecrets: kept.length };
  }
  // The newest current secret keeps signing beside the new one; an older one (a rotation never finished) goes.
  const secret = generateSecret();
  const added = await deps.secrets.put(secret);
  const secretIds = [...endpoint.secretIds.slice(-1), added];
  // Written only over the secrets read here: a concurrent rotation or removal wins, and this one's secret goes. (Not
  // after an error: the write may have happened.)
  const outcome = await deps.endpoints.replaceSecrets(endpoint.id, endpoint.secretIds, secretIds);
  if (outcome !== 'updated') await Promise.allSettled([deps.secrets.remove(added)]);
  assertChanged(endpoint.id, outcome);
  await Promise.allSettled(endpoint.secretIds.slice(0, -1).map((id) => deps.secrets.remove(id)));
  return { endpointId: endpoint.id, activeSecrets: secretIds.length, secret };
}

/** Throws for a change that did not happen: 404 when the endpoint is gone, 409 (try again) when it changed meanwhile. */
function assertChanged(endpointId: string, outcome: EndpointChange): void {
  if (outcome === 'gone') throw new DocpipeError(WEBHOOK_ERRORS.WEBHOOK_ENDPOINT_NOT_FOUND, `No endpoint ${endpointId}.`);
  if (outcome === 'changed') throw new DocpipeError(API_ERRORS.WEBHOOK_ENDPOINT_CHANGED, `Endpoint ${endpointId} changed while this request ran (another rotation?): nothing was done. Try again.`);
}

/**
 * Turns deliveries back on for an endpoint docpipe disabled after days of failures (the client fixed its receiver).
 * New events are delivered again; the dead letters of the failing days are replayed by on-call or by the client's
 * own re-request, not here, so that a receiver that is not fixed after all is not flooded at once.
 */
export async function enableEndpoint(deps: EndpointDeps, clientId: string, endpointId: string): Promise<{ endpoint: EndpointView }> {
  const endpoint = await endpointOf(deps, clientId, endpointId);
  // Only the fields it turns on: a rotation meanwhile keeps its secrets, a removal stays removed.
  const enabled = await deps.endpoints.enable(endpoint.id);
  if (!enabled) throw new DocpipeError(WEBHOOK_ERRORS.WEBHOOK_ENDPOINT_NOT_FOUND, `No endpoint ${endpointId}.`);
  return { endpoint: viewOf(enabled) };
}
