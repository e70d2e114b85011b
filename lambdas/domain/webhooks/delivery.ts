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

/**
 * A new pending delivery of the event to the endpoint, not yet stored. `id` names it; by default a random one (the
 * pipeline derives it from the event and the endpoint, so that announcing twice records it once).
 */
export function newDelivery(endpoint: Endpoint, event: WebhookEvent, now: Date, id = `dlv_${randomUUID().replace(/-/g, '')}`): Delivery {
  if (event.data.clientId !== endpoint.clientId) {
    // The one rule that must never break: a client's endpoint only ever receives that client's documents.
    throw new DocpipeError(WEBHOOK_ERRORS.WEBHOOK_ENDPOINT_NOT_FOUND, `Endpoint ${endpoint.id} does not belong to client ${event.data.clientId}.`);
  }
  const at = now.toISOString();
  return {
    id,
    eventId: event.id,
    eventType: event.type,
    endpointId: endpoint.id,
    clientId: endpoint.clientId,
    payload: JSON.stringify({ type: event.type, timestamp: event.timestamp, data: event.data }),
    status: 'pending',
    attempts: [],
    replays: 0,
    scheduleOffset: 0,
    createdAt: at,
    updatedAt: at,
  };
}

export async function startDelivery(deps: Pick<DeliveryDeps, 'deliveries' | 'now'>, endpoint: Endpoint, event: WebhookEvent): Promise<Delivery> {
  const delivery = newDelivery(endpoint, event, (deps.now ?? (() => new Date()))());
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
    if (endpoint.failingSince) await deps.endpoints.markHealthy(endpoint.id);
    return { deliveryId, outcome: 'succeeded', attempt: attemptNumber, statusCode: result.status };
  }
  // docpipe's own failure (its secrets, a bug) says nothing about the client's receiver.
  if (result.fault === 'endpoint') await noteFailure(deps, endpoint.id, now());
  const wait = result.verdict === 'retry' ? delayBefore(attemptNumber - delivery.scheduleOffset + 1, deps.retry ?? DEFAULT_RETRY_POLICY, parseRetryAfter(result.headers?.['retry-after'] as string | undefined)) : undefined;
  if (wait === undefined) {
    const reason = result.verdict === 'permanent' ? `PERMANENT_${result.status ?? result.error}` : 'RETRIES_EXHAUSTED';
    return kill(deps, delivery, reason, now(), result.status);
  }
  await deps.deliveries.put(delivery);
  return { deliveryId, outcome: 'retry', attempt: attemptNumber, waitSeconds: wait, statusCode: result.status };
}

/**
 * Puts a dead delivery back in line: same event id and body, attempts continue on a fresh schedule. Only a dead one:
 * a succeeded delivery would reach the receiver twice, and a pending one would get a second schedule beside its own.
 */
export async function replayDelivery(deps: Pick<DeliveryDeps, 'deliveries' | 'now'>, deliveryId: string): Promise<Delivery> {
  const delivery = await deps.deliveries.get(deliveryId);
  if (!delivery) throw new DocpipeError(WEBHOOK_ERRORS.WEBHOOK_DELIVERY_NOT_FOUND, `No delivery ${deliveryId}: see \`docpipe webhooks dead\` for the dead-letter store.`);
  if (delivery.status !== 'dead') {
    const last = delivery.attempts.at(-1);
    const message =
      delivery.status === 'succeeded'
        ? `Delivery ${deliveryId} succeeded (attempt ${last?.attempt ?? '?'}, ${last?.at ?? delivery.updatedAt}): it is not sent again. Only dead deliveries are replayed (\`docpipe webhooks dead\` lists them).`
        : delivery.attempts.length === 0
          ? // The export's delivery map could not start its execution (the map has no Catch): nothing runs it.
            `Delivery ${deliveryId} is pending and was never attempted: if its delivery execution did not start, start the webhook delivery state machine with the execution name ${deliveryId} and the input {"deliveryId": "${deliveryId}"} (the name keeps it to one run). Only dead deliveries are replayed.`
          : `Delivery ${deliveryId} is still pending: its retry schedule is running (${delivery.attempts.length} attempt(s) so far). Only dead deliveries are replayed: wait until it succeeds or dies (\`docpipe webhooks log ${delivery.endpointId}\`).`;
    throw new DocpipeError(WEBHOOK_ERRORS.WEBHOOK_DELIVERY_NOT_DEAD, message, { details: { deliveryId, status: delivery.status } });
  }
  // A replay starts the schedule over; the attempts before it stay in the log.
  const replayed: Delivery = { ...delivery, status: 'pending', replays: delivery.replays + 1, scheduleOffset: delivery.attempts.length, deadReason: undefined, updatedAt: (deps.now ?? (() => new Date()))().toISOString() };
  await deps.deliveries.put(replayed);
  return replayed;
}

type TryResult = Pick<SendResult, 'status' | 'headers' | 'responseBody' | 'error'> & {
  latencyMs: number;
  verdict: DeliveryAttempt['verdict'];
  /** Whose failure it is: only the endpoint's count towards disabling it. */
  fault: 'endpoint' | 'docpipe';
};

async function tryOnce(deps: DeliveryDeps, endpoint: Endpoint, delivery: Delivery, now: Date): Promise<TryResult> {
  let target: CheckedTarget;
  try {
    target = await checkTarget(endpoint.url, deps.guard);
  } catch (error) {
    // A refused or unresolvable address is the endpoint's problem, not a crash: log it as the attempt's error.
    if (isDocpipeError(error)) return { latencyMs: 0, error: error.code, verdict: error.retryable ? 'retry' : 'permanent', fault: 'endpoint' };
    return { latencyMs: 0, error: 'INTERNAL', verdict: 'permanent', fault: 'docpipe' };
  }
  let secrets: string[];
  try {
    secrets = await Promise.all(endpoint.secretIds.map((id) => deps.secrets.get(id)));
  } catch (error) {
    // The secrets are docpipe's own: whatever keeps them from being read is retried on the schedule and is never
    // the endpoint's fault. SECRET_NOT_FOUND too: most often the client finished a rotation or removed the endpoint
    // during this attempt, and the next attempt reads the endpoint afresh; a secret really lost is fixed by a rotation.
    const code = isDocpipeError(error) ? error.code : WEBHOOK_ERRORS.SECRETS_UNAVAILABLE;
    return { latencyMs: 0, error: code, verdict: 'retry', fault: 'docpipe' };
  }
  const timestamp = Math.floor(now.getTime() / 1000);
  const headers = signHeaders(secrets, delivery.eventId, timestamp, delivery.payload);
  const result = await (deps.sendAttempt ?? send)({ target, headers: { ...headers }, body: delivery.payload, timeoutMs: deps.timeoutMs });
  return { ...result, verdict: verdictOf(result.status), fault: 'endpoint' };
}

async function kill(deps: DeliveryDeps, delivery: Delivery, reason: string, now: Date, statusCode?: number): Promise<AttemptOutcome> {
  delivery.status = 'dead';
  delivery.deadReason = reason;
  delivery.updatedAt = now.toISOString();
  await deps.deliveries.put(delivery);
  return { deliveryId: delivery.id, outcome: 'dead', attempt: delivery.attempts.length, ...(statusCode !== undefined ? { statusCode } : {}) };
}

/**
 * Tracks how long an endpoint has been failing, and disables it (telling whoever must know) past the limit. Only
 * the health fields of the endpoint as it is now are written: the copy read before the attempt may be stale.
 */
async function noteFailure(deps: DeliveryDeps, endpointId: string, now: Date): Promise<void> {
  const endpoint = await deps.endpoints.markFailing(endpointId, now.toISOString());
  if (!endpoint?.failingSince || !endpoint.enabled) return;
  const failingFor = now.getTime() - Date.parse(endpoint.failingSince);
  if (failingFor < (deps.disableAfterMs ?? 5 * DAY_MS)) return;
  const reason = `Every delivery failed for ${Math.round(failingFor / DAY_MS)} day(s) since ${endpoint.failingSince}.`;
  // Undefined when a success came in between, or a concurrent delivery disabled it first (and told).
  const disabled = await deps.endpoints.disable(endpointId, reason, endpoint.failingSince);
  if (disabled) await deps.onEndpointDisabled?.(disabled, reason);
}
