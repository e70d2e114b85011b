import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { registerEndpoint, removeEndpoint, rotateSecret } from '../../lambdas/domain/api/webhooks';
import { DocpipeError } from '../../lambdas/domain/errors';
import { attemptDelivery, replayDelivery, startDelivery, type DeliveryDeps } from '../../lambdas/domain/webhooks/delivery';
import { buildDocumentEvent } from '../../lambdas/domain/webhooks/events';
import { send } from '../../lambdas/domain/webhooks/send';
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
  let dir: string;

  beforeEach(async () => {
    receiver = new Receiver();
    url = await receiver.start();
    dir = mkdtempSync(join(tmpdir(), 'docpipe-webhooks-'));
    const secrets = new KeyFileSecrets(join(dir, 'secrets'), join(dir, 'key'));
    secret = generateSecret();
    endpoint = { id: 'ep_1', clientId: 'acme', url, secretIds: [await secrets.put(secret)], eventTypes: [], enabled: true, createdAt: new Date().toISOString() };
    deps = {
      endpoints: new LocalEndpointRegistry(join(dir, 'endpoints')),
      deliveries: new LocalDeliveryStore(join(dir, 'deliveries'), join(dir, 'objects.key')),
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

  describe('a secret that cannot be read is docpipe’s trouble, not the endpoint’s', () => {
    /** KMS throttling as the SDK throws it (past its own retries): not a DocpipeError. */
    const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });

    it.each([
      ['an AWS SDK error (KMS throttled)', throttled, 'SECRETS_UNAVAILABLE'],
      ['SECRETS_UNAVAILABLE from the secrets adapter', () => new DocpipeError('SECRETS_UNAVAILABLE', 'KMS failed transiently', { retryable: true }), 'SECRETS_UNAVAILABLE'],
      // Most often a rotation finished or the endpoint was removed during the attempt: the next one reads it afresh.
      ['a missing secret', () => new DocpipeError('SECRET_NOT_FOUND', 'No secret sec_x.'), 'SECRET_NOT_FOUND'],
    ])('retries %s, sends nothing, and never counts it against the endpoint', async (_case, failure, code) => {
      const failingSince = '2026-01-01T00:00:00.000Z';
      // Already failing for 10 days: one more failure of the endpoint's own would disable it.
      await deps.endpoints.put({ ...endpoint, failingSince });
      const real = deps.secrets;
      let failures = 1;
      const told: string[] = [];
      deps = {
        ...deps,
        now: () => new Date('2026-01-11T00:00:00Z'),
        onEndpointDisabled: async (e) => void told.push(e.id),
        secrets: { ...real, get: async (id) => (failures-- > 0 ? Promise.reject(failure()) : real.get(id)) },
      };
      const delivery = await startDelivery(deps, endpoint, event());
      expect(await attemptDelivery(deps, delivery.id)).toMatchObject({ outcome: 'retry', attempt: 1 });
      const log = (await deps.deliveries.get(delivery.id))!;
      expect(log).toMatchObject({ status: 'pending' });
      expect(log.attempts[0]).toMatchObject({ verdict: 'retry', error: code });
      expect(receiver.received).toHaveLength(0);
      expect(await deps.endpoints.get(endpoint.id)).toMatchObject({ enabled: true, failingSince });
      expect(told).toEqual([]);

      expect(await attemptDelivery(deps, delivery.id)).toMatchObject({ outcome: 'succeeded', attempt: 2 });
      expect((await deps.endpoints.get(endpoint.id))!.failingSince).toBeUndefined();
    });

    it('a local secret damaged on disk is logged as LOCAL_SECRET_TAMPERED (not SECRETS_UNAVAILABLE): nothing sent, not the endpoint\'s fault', async () => {
      const file = join(dir, 'secrets', `${endpoint.secretIds[0]}.json`);
      const stored = JSON.parse(readFileSync(file, 'utf8')) as { sealed: string };
      writeFileSync(file, JSON.stringify({ ...stored, sealed: Buffer.from(stored.sealed, 'base64').subarray(0, 8).toString('base64') }));
      const delivery = await startDelivery(deps, endpoint, event());
      expect(await attemptDelivery(deps, delivery.id)).toMatchObject({ outcome: 'retry', attempt: 1 });
      expect((await deps.deliveries.get(delivery.id))!.attempts[0]).toMatchObject({ verdict: 'retry', error: 'LOCAL_SECRET_TAMPERED' });
      expect(receiver.received).toHaveLength(0);
      expect((await deps.endpoints.get(endpoint.id))!.failingSince).toBeUndefined();
    });
  });

  describe('the endpoint’s health is written to the endpoint as it is now, not to the copy read before the attempt', () => {
    /** An attempt during which the client changes its endpoint, then the receiver answers. */
    const during = (change: () => Promise<void>) => (deps = { ...deps, sendAttempt: async (request) => (await change(), send(request)) });

    async function clientEndpoint(failingSince?: string) {
      const { endpoint: view } = await registerEndpoint(deps, 'acme', { url });
      if (failingSince) await deps.endpoints.put({ ...(await deps.endpoints.get(view.id))!, failingSince });
      return (await deps.endpoints.get(view.id))!;
    }

    it.each([
      ['a failing attempt', 503, undefined],
      ['an attempt that succeeds after failures', 200, '2026-01-01T00:00:00.000Z'],
    ])('an endpoint removed during %s stays removed', async (_case, status, failingSince) => {
      receiver.replies = [{ status }];
      const ep = await clientEndpoint(failingSince);
      during(() => removeEndpoint(deps, 'acme', ep.id));
      const delivery = await startDelivery(deps, ep, event());
      await attemptDelivery(deps, delivery.id);
      expect(receiver.received).toHaveLength(1);
      expect(await deps.endpoints.get(ep.id)).toBeUndefined();
      expect((await deps.endpoints.listForClient('acme', undefined, { includeDisabled: true })).map((e) => e.id)).not.toContain(ep.id);
    });

    it.each([
      ['a failing attempt', 503, undefined],
      ['an attempt that succeeds after failures', 200, '2026-01-01T00:00:00.000Z'],
    ])('secrets rotated during %s are kept, and the next delivery signs with them', async (_case, status, failingSince) => {
      receiver.replies = [{ status }, { status: 200 }];
      const ep = await clientEndpoint(failingSince);
      let rotated = '';
      during(async () => {
        rotated = (await rotateSecret(deps, 'acme', ep.id, {})).secret!;
        await rotateSecret(deps, 'acme', ep.id, { finish: true });
      });
      const delivery = await startDelivery(deps, ep, event());
      await attemptDelivery(deps, delivery.id);
      const after = (await deps.endpoints.get(ep.id))!;
      expect(after.secretIds).toHaveLength(1);
      expect(after.secretIds).not.toEqual(ep.secretIds);
      expect(after.failingSince).toEqual(status === 200 ? undefined : expect.any(String));

      deps = { ...deps, sendAttempt: undefined };
      const next = await startDelivery(deps, after, event());
      expect(await attemptDelivery(deps, next.id)).toMatchObject({ outcome: 'succeeded' });
      expect(() => new Webhook(rotated).verify(receiver.received[1].body, receiver.received[1].headers as Record<string, string>)).not.toThrow();
    });

    it('a failure does not disable an endpoint whose client removed it meanwhile, nor tell anyone', async () => {
      receiver.replies = [{ status: 500 }];
      const ep = await clientEndpoint('2026-01-01T00:00:00.000Z');
      const told: string[] = [];
      deps = { ...deps, now: () => new Date('2026-01-11T00:00:00Z'), onEndpointDisabled: async (e) => void told.push(e.id) };
      during(() => removeEndpoint(deps, 'acme', ep.id));
      const delivery = await startDelivery(deps, ep, event());
      await attemptDelivery(deps, delivery.id);
      expect(await deps.endpoints.get(ep.id)).toBeUndefined();
      expect(told).toEqual([]);
    });
  });

  describe('replay', () => {
    it('refuses a delivery that succeeded: the receiver gets it once', async () => {
      const delivery = await startDelivery(deps, endpoint, event());
      await runToEnd(delivery.id);
      await expect(replayDelivery(deps, delivery.id)).rejects.toMatchObject({
        code: 'WEBHOOK_DELIVERY_NOT_DEAD',
        message: expect.stringContaining('Only dead deliveries are replayed'),
        details: { deliveryId: delivery.id, status: 'succeeded' },
      });
      expect(await runToEnd(delivery.id)).toEqual([expect.objectContaining({ outcome: 'succeeded' })]);
      expect(receiver.received).toHaveLength(1);
      expect(await deps.deliveries.get(delivery.id)).toMatchObject({ status: 'succeeded', replays: 0 });
    });

    it('refuses a pending delivery: its schedule is not started over', async () => {
      receiver.replies = [{ status: 503 }];
      const delivery = await startDelivery(deps, endpoint, event());
      expect(await attemptDelivery(deps, delivery.id)).toMatchObject({ outcome: 'retry' });
      await expect(replayDelivery(deps, delivery.id)).rejects.toMatchObject({ code: 'WEBHOOK_DELIVERY_NOT_DEAD', message: expect.stringContaining('still pending') });
      expect(await deps.deliveries.get(delivery.id)).toMatchObject({ status: 'pending', replays: 0, scheduleOffset: 0 });
      // The schedule goes on where it was: 3 more attempts, not 4.
      expect((await runToEnd(delivery.id)).map((o) => o.outcome)).toEqual(['retry', 'retry', 'dead']);
    });

    it('a pending delivery never attempted (its execution did not start) says how to start it, and attempting it sends it', async () => {
      const delivery = await startDelivery(deps, endpoint, event());
      await expect(replayDelivery(deps, delivery.id)).rejects.toMatchObject({
        code: 'WEBHOOK_DELIVERY_NOT_DEAD',
        message: expect.stringContaining(`execution name ${delivery.id} and the input {"deliveryId": "${delivery.id}"}`),
      });
      // What that execution does: attempts the pending delivery on its schedule.
      expect(await runToEnd(delivery.id)).toEqual([expect.objectContaining({ outcome: 'succeeded' })]);
      expect(receiver.received).toHaveLength(1);
    });
  });

  it('refuses a private address as a permanent failure, without sending', async () => {
    await deps.endpoints.put({ ...endpoint, url: 'https://10.1.2.3/hook' });
    const delivery = await startDelivery(deps, endpoint, event());
    expect(await attemptDelivery(deps, delivery.id)).toMatchObject({ outcome: 'dead' });
    expect((await deps.deliveries.get(delivery.id))!.attempts[0].error).toBe('WEBHOOK_ADDRESS_FORBIDDEN');
    expect(receiver.received).toHaveLength(0);
  });
});
