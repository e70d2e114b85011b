import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { attemptDelivery, replayDelivery, startDelivery, type DeliveryDeps } from '../../lambdas/domain/webhooks/delivery';
import { buildDocumentEvent } from '../../lambdas/domain/webhooks/events';
import { generateSecret } from '../../lambdas/domain/webhooks/signing';
import { KeyFileSecrets } from '../../lambdas/local/webhooks/key-file-secrets';
import { LocalDeliveryStore } from '../../lambdas/local/webhooks/local-delivery-store';
import { LocalEndpointRegistry } from '../../lambdas/local/webhooks/local-endpoint-registry';
import type { Endpoint } from '../../lambdas/ports/endpoint-registry';
import { Receiver } from './receiver';

const event = (clientId = 'acme') =>
  buildDocumentEvent({ type: 'document.completed', documentId: 'doc-1', clientId, pageCount: 1, exports: { document: 'http://127.0.0.1/doc-1/document.json' } });

describe('webhook delivery to a real local receiver', () => {
  let receiver: Receiver;
  let url: string;
  let deps: DeliveryDeps;
  let endpoint: Endpoint;
  let secret: string;

  beforeEach(async () => {
    receiver = new Receiver();
    url = await receiver.start();
    const dir = mkdtempSync(join(tmpdir(), 'docpipe-webhooks-'));
    const secrets = new KeyFileSecrets(join(dir, 'secrets'), join(dir, 'key'));
    secret = generateSecret();
    endpoint = { id: 'ep_1', clientId: 'acme', url, secretIds: [await secrets.put(secret)], eventTypes: [], enabled: true, createdAt: new Date().toISOString() };
    deps = {
      endpoints: new LocalEndpointRegistry(join(dir, 'endpoints')),
      deliveries: new LocalDeliveryStore(join(dir, 'deliveries')),
      secrets,
      guard: { local: true },
      retry: { scheduleSeconds: [0, 5, 300, 1800], jitter: 0, maxRetryAfterSeconds: 3600 },
      timeoutMs: 2000,
    };
    await deps.endpoints.put(endpoint);
  });
  afterEach(() => receiver.stop());

  /** Attempts until the delivery is final, the way the state machine does (without the waits). */
  async function runToEnd(deliveryId: string) {
    const outcomes = [];
    for (;;) {
      const outcome = await attemptDelivery(deps, deliveryId);
      outcomes.push(outcome);
      if (outcome.outcome !== 'retry') return outcomes;
    }
  }

  it('signs per Standard Webhooks: the standardwebhooks library verifies it', async () => {
    const delivery = await startDelivery(deps, endpoint, event());
    const [outcome] = await runToEnd(delivery.id);
    expect(outcome).toMatchObject({ outcome: 'succeeded', attempt: 1, statusCode: 200 });
    const [request] = receiver.received;
    const verified = new Webhook(secret).verify(request.body, request.headers as Record<string, string>) as any;
    expect(verified.type).toBe('document.completed');
    expect(verified.data.documentId).toBe('doc-1');
    expect(request.headers['webhook-id']).toBe(delivery.eventId);
    expect(() => new Webhook(generateSecret()).verify(request.body, request.headers as Record<string, string>)).toThrow();
    expect(() => new Webhook(secret).verify(request.body.replace('doc-1', 'doc-2'), request.headers as Record<string, string>)).toThrow();
  });

  it('signs with both secrets during a rotation', async () => {
    const next = generateSecret();
    await deps.endpoints.put({ ...endpoint, secretIds: [...endpoint.secretIds, await deps.secrets.put(next)] });
    const delivery = await startDelivery(deps, endpoint, event());
    await runToEnd(delivery.id);
    const [request] = receiver.received;
    expect(String(request.headers['webhook-signature']).split(' ')).toHaveLength(2);
    for (const key of [secret, next]) expect(() => new Webhook(key).verify(request.body, request.headers as Record<string, string>)).not.toThrow();
  });

  it('retries after 500 and 429 (honouring Retry-After) with the same event id, then succeeds', async () => {
    receiver.replies = [{ status: 500 }, { status: 429, headers: { 'retry-after': '120' } }, { status: 200 }];
    const delivery = await startDelivery(deps, endpoint, event());
    const outcomes = await runToEnd(delivery.id);
    expect(outcomes.map((o) => [o.outcome, o.statusCode, o.waitSeconds])).toEqual([
      ['retry', 500, 5],
      ['retry', 429, 300], // the schedule's 300 s is longer than Retry-After's 120 s
      ['succeeded', 200, undefined],
    ]);
    expect(new Set(receiver.received.map((r) => r.headers['webhook-id']))).toEqual(new Set([delivery.eventId]));
    expect(new Set(receiver.received.map((r) => r.body)).size).toBe(1);
    const log = (await deps.deliveries.get(delivery.id))!;
    expect(log.attempts.map((a) => [a.attempt, a.statusCode, a.verdict])).toEqual([[1, 500, 'retry'], [2, 429, 'retry'], [3, 200, 'succeeded']]);
    expect(log.attempts.every((a) => a.latencyMs >= 0)).toBe(true);
  });

  it('waits at least Retry-After when it is longer than the schedule', async () => {
    receiver.replies = [{ status: 429, headers: { 'retry-after': '90' } }, { status: 200 }];
    const delivery = await startDelivery(deps, endpoint, event());
    const [first] = await runToEnd(delivery.id);
    expect(first.waitSeconds).toBe(90);
  });

  it('does not retry after 400, and keeps the response body in the log', async () => {
    receiver.replies = [{ status: 400, body: 'bad signature config' }];
    const delivery = await startDelivery(deps, endpoint, event());
    const outcomes = await runToEnd(delivery.id);
    expect(outcomes).toEqual([expect.objectContaining({ outcome: 'dead', statusCode: 400 })]);
    expect(receiver.received).toHaveLength(1);
    const dead = (await deps.deliveries.get(delivery.id))!;
    expect(dead).toMatchObject({ status: 'dead', deadReason: 'PERMANENT_400' });
    expect(dead.attempts[0].responseBody).toBe('bad signature config');
  });

  it('dead-letters after the schedule runs out, with the full history, and a replay delivers once more with the same event id', async () => {
    receiver.replies = [{ status: 503 }];
    const delivery = await startDelivery(deps, endpoint, event());
    const outcomes = await runToEnd(delivery.id);
    expect(outcomes.map((o) => o.outcome)).toEqual(['retry', 'retry', 'retry', 'dead']);
    const dead = await deps.deliveries.listDead();
    expect(dead.map((d) => d.id)).toEqual([delivery.id]);
    expect(dead[0]).toMatchObject({ deadReason: 'RETRIES_EXHAUSTED' });
    expect(dead[0].attempts).toHaveLength(4);

    receiver.replies = [{ status: 204 }];
    await replayDelivery(deps, delivery.id);
    const replayed = await runToEnd(delivery.id);
    expect(replayed).toEqual([expect.objectContaining({ outcome: 'succeeded', attempt: 5 })]);
    expect(receiver.received).toHaveLength(5);
    expect(receiver.received[4].headers['webhook-id']).toBe(receiver.received[0].headers['webhook-id']);
    expect(receiver.received[4].body).toBe(receiver.received[0].body);
    expect(await deps.deliveries.listDead()).toEqual([]);
  });

  it('refuses to follow a redirect', async () => {
    receiver.replies = [{ status: 302, headers: { location: 'http://169.254.169.254/latest/meta-data/' } }];
    const delivery = await startDelivery(deps, endpoint, event());
    const outcomes = await runToEnd(delivery.id);
    expect(outcomes).toEqual([expect.objectContaining({ outcome: 'dead', statusCode: 302 })]);
    expect(receiver.received).toHaveLength(1);
  });

  it('retries a timeout', async () => {
    receiver.replies = [{ status: 200, delayMs: 1500 }, { status: 200 }];
    deps = { ...deps, timeoutMs: 300 };
    const delivery = await startDelivery(deps, { ...endpoint }, event());
    const outcomes = await runToEnd(delivery.id);
    expect(outcomes.map((o) => o.outcome)).toEqual(['retry', 'succeeded']);
    expect((await deps.deliveries.get(delivery.id))!.attempts[0].error).toBe('timeout');
  });

  it('never delivers one client’s document to another client’s endpoint', async () => {
    await expect(startDelivery(deps, endpoint, event('globex'))).rejects.toMatchObject({ code: 'WEBHOOK_ENDPOINT_NOT_FOUND' });
    expect(receiver.received).toHaveLength(0);
  });

  it('disables an endpoint that keeps failing, and says so', async () => {
    receiver.replies = [{ status: 500 }];
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const told: string[] = [];
    deps = { ...deps, now: () => new Date(clock), disableAfterMs: 3 * 24 * 3600 * 1000, onEndpointDisabled: async (e, reason) => void told.push(`${e.id}: ${reason}`) };
    for (const day of [0, 1, 2, 4]) {
      clock = Date.parse('2026-01-01T00:00:00Z') + day * 24 * 3600 * 1000;
      const delivery = await startDelivery(deps, endpoint, event());
      await attemptDelivery(deps, delivery.id);
    }
    const stored = (await deps.endpoints.get(endpoint.id))!;
    expect(stored).toMatchObject({ enabled: false, failingSince: '2026-01-01T00:00:00.000Z' });
    expect(told).toEqual([expect.stringMatching(/^ep_1: Every delivery failed for 4 day\(s\)/)]);
    const next = await startDelivery(deps, endpoint, event());
    expect(await attemptDelivery(deps, next.id)).toMatchObject({ outcome: 'dead' });
    expect((await deps.deliveries.get(next.id))!.deadReason).toBe('ENDPOINT_DISABLED');
  });

  it('refuses a private address as a permanent failure, without sending', async () => {
    await deps.endpoints.put({ ...endpoint, url: 'https://10.1.2.3/hook' });
    const delivery = await startDelivery(deps, endpoint, event());
    expect(await attemptDelivery(deps, delivery.id)).toMatchObject({ outcome: 'dead' });
    expect((await deps.deliveries.get(delivery.id))!.attempts[0].error).toBe('WEBHOOK_ADDRESS_FORBIDDEN');
    expect(receiver.received).toHaveLength(0);
  });
});
