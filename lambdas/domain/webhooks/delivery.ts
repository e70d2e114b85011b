/**
 * A delivery: one event to one endpoint, tried on a schedule until it succeeds or the schedule runs out, every
 * attempt logged. `startDelivery` records it; `attemptDelivery` makes one attempt and says what comes next (the
 * webhook state machine waits and calls again); `replayDelivery` takes a dead one back out of the dead-letter store.
 * The event id and the body never change, so a receiver can drop duplicates by the `webhook-id` header.
 */
import { randomUUID } from 'node:crypto';
import type { Delivery, DeliveryAttempt, DeliveryStore } from '../../ports/delivery-store';
import type { Endpoint, EndpointRegistry } from '../../ports/endpoint-registry';
import type { Secrets } from '../../ports/secrets';
import { DocpipeError, isDocpipeError } from '../errors';
import { WEBHOOK_ERRORS } from './errors';
import type { WebhookEvent } from './events';
import { checkTarget, type CheckedTarget, type GuardOptions } from './guard';
import { verdictOf } from './outcome';
import { DEFAULT_RETRY_POLICY, delayBefore, parseRetryAfter, type RetryPolicy } from './schedule';
import { send, type SendResult } from './send';
import { signHeaders } from './signing';

export interface DeliveryDeps {
  endpoints: EndpointRegistry;
  deliveries: DeliveryStore;
  secrets: Secrets;
  /** Default DEFAULT_RETRY_POLICY. */
  retry?: RetryPolicy;
  guard?: GuardOptions;
  /** Default 15000. */
  timeoutMs?: number;
  /** An endpoint whose deliveries have failed for this long is disabled. Default 5 days. */
  disableAfterMs?: number;
  /** Told when an endpoint is disabled (the client and on-call). */
  onEndpointDisabled?: (endpoint: Endpoint, reason: string) => Promise<void>;
  now?: () => Date;
  /** The HTTP attempt, replaceable by a benchmark's baseline; default `send`. */
  sendAttempt?: typeof send;
}

export interface AttemptOutcome {
  deliveryId: string;
  /** `retry`: call again after `waitSeconds`. `succeeded` and `dead` are final. */
  outcome: 'succeeded' | 'retry' | 'dead';
  attempt: number;
  waitSeconds?: number;
  statusCode?: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export async function startDelivery(deps: Pick<DeliveryDeps, 'deliveries' | 'now'>, endpoint: Endpoint, event: WebhookEvent): Promise<Delivery> {
  if (event.data.clientId !== endpoint.clientId) {
    // The one rule that must never break: a client's endpoint only ever receives that client's documents.
    throw new DocpipeError(WEBHOOK_ERRORS.WEBHOOK_ENDPOINT_NOT_FOUND, `Endpoint ${endpoint.id} does not belong to client ${event.data.clientId}.`);
  }
  const now = (deps.now ?? (() => new Date()))().toISOString();
  const delivery: Delivery = {
    id: `dlv_${randomUUID().replace(/-/g, '')}`,
    eventId: event.id,
    eventType: event.type,
    endpointId: endpoint.id,
    clientId: endpoint.clientId,
    payload: JSON.stringify({ type: event.type, timestamp: event.timestamp, data: event.data }),
    status: 'pending',
    attempts: [],
    replays: 0,
    scheduleOffset: 0,
    createdAt: now,
    updatedAt: now,
  };
  await deps.deliveries.put(delivery);
  return delivery;
}

export async function attemptDelivery(deps: DeliveryDeps, deliveryId: string): Promise<AttemptOutcome> {
  const now = deps.now ?? (() => new Date());
  const delivery = await deps.deliveries.get(deliveryId);
  if (!delivery) throw new DocpipeError(WEBHOOK_ERRORS.WEBHOOK_DELIVERY_NOT_FOUND, `No delivery ${deliveryId}.`);
  if (delivery.status !== 'pending') return { deliveryId, outcome: delivery.status === 'succeeded' ? 'succeeded' : 'dead', attempt: delivery.attempts.length };

  const attemptNumber = delivery.attempts.length + 1;
  const endpoint = await deps.endpoints.get(delivery.endpointId);
  if (!endpoint || !endpoint.enabled || endpoint.clientId !== delivery.clientId) {
    const reason = !endpoint ? 'ENDPOINT_REMOVED' : endpoint.enabled ? 'ENDPOINT_CLIENT_MISMATCH' : 'ENDPOINT_DISABLED';
    return kill(deps, delivery, reason, now());
  }

  const result = await tryOnce(deps, endpoint, delivery, now());
  const attempt: DeliveryAttempt = {
    attempt: attemptNumber,
    at: now().toISOString(),
    latencyMs: result.latencyMs,
    verdict: result.verdict,
    ...(result.status !== undefined ? { statusCode: result.status } : {}),
    ...(result.error ? { error: result.error } : {}),
    ...(result.responseBody ? { responseBody: result.responseBody } : {}),
  };
  delivery.attempts.push(attempt);
  delivery.updatedAt = attempt.at;

  if (result.verdict === 'succeeded') {
    delivery.status = 'succeeded';
    await deps.deliveries.put(delivery);
    if (endpoint.failingSince) await deps.endpoints.put({ ...endpoint, failingSince: undefined });
    return { deliveryId, outcome: 'succeeded', attempt: attemptNumber, statusCode: result.status };
  }
  await noteFailure(deps, endpoint, now());
  const wait = result.verdict === 'retry' ? delayBefore(attemptNumber - delivery.scheduleOffset + 1, deps.retry ?? DEFAULT_RETRY_POLICY, parseRetryAfter(result.headers?.['retry-after'] as string | undefined)) : undefined;
  if (wait === undefined) {
    const reason = result.verdict === 'permanent' ? `PERMANENT_${result.status ?? result.error}` : 'RETRIES_EXHAUSTED';
    return kill(deps, delivery, reason, now(), result.status);
  }
  await deps.deliveries.put(delivery);
  return { deliveryId, outcome: 'retry', attempt: attemptNumber, waitSeconds: wait, statusCode: result.status };
}

/** Puts a dead delivery back in line: same event id and body, attempts continue on a fresh schedule. */
export async function replayDelivery(deps: Pick<DeliveryDeps, 'deliveries' | 'now'>, deliveryId: string): Promise<Delivery> {
  const delivery = await deps.deliveries.get(deliveryId);
  if (!delivery) throw new DocpipeError(WEBHOOK_ERRORS.WEBHOOK_DELIVERY_NOT_FOUND, `No delivery ${deliveryId}: see \`docpipe webhooks dead\` for the dead-letter store.`);
  // A replay starts the schedule over; the attempts before it stay in the log.
  const replayed: Delivery = { ...delivery, status: 'pending', replays: delivery.replays + 1, scheduleOffset: delivery.attempts.length, deadReason: undefined, updatedAt: (deps.now ?? (() => new Date()))().toISOString() };
  await deps.deliveries.put(replayed);
  return replayed;
}

type TryResult = Pick<SendResult, 'status' | 'headers' | 'responseBody' | 'error'> & { latencyMs: number; verdict: DeliveryAttempt['verdict'] };

async function tryOnce(deps: DeliveryDeps, endpoint: Endpoint, delivery: Delivery, now: Date): Promise<TryResult> {
  let target: CheckedTarget;
  let secrets: string[];
  try {
    target = await checkTarget(endpoint.url, deps.guard);
    secrets = await Promise.all(endpoint.secretIds.map((id) => deps.secrets.get(id)));
  } catch (error) {
    // A refused or unresolvable address is the endpoint's problem, not a crash: log it as the attempt's error.
    const code = isDocpipeError(error) ? error.code : 'INTERNAL';
    return { latencyMs: 0, error: code, verdict: isDocpipeError(error) && error.retryable ? 'retry' : 'permanent' };
  }
  const timestamp = Math.floor(now.getTime() / 1000);
  const headers = signHeaders(secrets, delivery.eventId, timestamp, delivery.payload);
  const result = await (deps.sendAttempt ?? send)({ target, headers: { ...headers }, body: delivery.payload, timeoutMs: deps.timeoutMs });
  return { ...result, verdict: verdictOf(result.status) };
}

async function kill(deps: DeliveryDeps, delivery: Delivery, reason: string, now: Date, statusCode?: number): Promise<AttemptOutcome> {
  delivery.status = 'dead';
  delivery.deadReason = reason;
  delivery.updatedAt = now.toISOString();
  await deps.deliveries.put(delivery);
  return { deliveryId: delivery.id, outcome: 'dead', attempt: delivery.attempts.length, ...(statusCode !== undefined ? { statusCode } : {}) };
}

/** Tracks how long an endpoint has been failing, and disables it (telling whoever must know) past the limit. */
async function noteFailure(deps: DeliveryDeps, endpoint: Endpoint, now: Date): Promise<void> {
  if (!endpoint.failingSince) {
    await deps.endpoints.put({ ...endpoint, failingSince: now.toISOString() });
    return;
  }
  const failingFor = now.getTime() - Date.parse(endpoint.failingSince);
  if (failingFor < (deps.disableAfterMs ?? 5 * DAY_MS)) return;
  const reason = `Every delivery failed for ${Math.round(failingFor / DAY_MS)} day(s) since ${endpoint.failingSince}.`;
  const disabled: Endpoint = { ...endpoint, enabled: false, disabledReason: reason };
  await deps.endpoints.put(disabled);
  await deps.onEndpointDisabled?.(disabled, reason);
}
