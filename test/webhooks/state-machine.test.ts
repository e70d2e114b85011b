import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { replayDelivery, startDelivery, type DeliveryDeps } from '../../lambdas/domain/webhooks/delivery';
import { buildDocumentEvent } from '../../lambdas/domain/webhooks/events';
import { generateSecret } from '../../lambdas/domain/webhooks/signing';
import { createDeliverWebhookHandler } from '../../lambdas/handlers/deliver-webhook';
import { LocalStateMachine } from '../../lambdas/local/state-machine-runner';
import { KeyFileSecrets } from '../../lambdas/local/webhooks/key-file-secrets';
import { LocalDeliveryStore } from '../../lambdas/local/webhooks/local-delivery-store';
import { LocalEndpointRegistry } from '../../lambdas/local/webhooks/local-endpoint-registry';
import { Receiver } from './receiver';

const ASL = join(__dirname, '..', '..', 'state-machines', 'webhook-delivery.asl.json');

describe('state-machines/webhook-delivery.asl.json, run locally', () => {
  let receiver: Receiver;
  let deps: DeliveryDeps;
  let machine: LocalStateMachine;
  let secret: string;

  beforeEach(async () => {
    receiver = new Receiver();
    const url = await receiver.start();
    const dir = mkdtempSync(join(tmpdir(), 'docpipe-webhook-asl-'));
    const secrets = new KeyFileSecrets(join(dir, 'secrets'), join(dir, 'key'));
    secret = generateSecret();
    deps = {
      endpoints: new LocalEndpointRegistry(join(dir, 'endpoints')),
      deliveries: new LocalDeliveryStore(join(dir, 'deliveries'), join(dir, 'objects.key')),
      secrets,
      guard: { local: true },
      retry: { scheduleSeconds: [0, 1, 2], jitter: 0, maxRetryAfterSeconds: 5 },
    };
    await deps.endpoints.put({ id: 'ep_1', clientId: 'acme', url, secretIds: [await secrets.put(secret)], eventTypes: [], enabled: true, createdAt: new Date().toISOString() });
    machine = new LocalStateMachine({ definitionPath: ASL, tasks: { DeliverWebhookFunctionArn: createDeliverWebhookHandler(() => deps) }, waitMs: 1 });
  });
  afterEach(() => receiver.stop());

  const event = () => buildDocumentEvent({ type: 'document.completed', documentId: 'doc-9', clientId: 'acme', pageCount: 2 });

  it('retries through the Wait state and delivers, signed', async () => {
    receiver.replies = [{ status: 500 }, { status: 429 }, { status: 200 }];
    const delivery = await startDelivery(deps, (await deps.endpoints.get('ep_1'))!, event());
    const run = await machine.run({ deliveryId: delivery.id });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.output).toMatchObject({ outcome: 'succeeded', attempt: 3 });
    expect(receiver.received).toHaveLength(3);
    expect(() => new Webhook(secret).verify(receiver.received[2].body, receiver.received[2].headers as Record<string, string>)).not.toThrow();
    // Attempt, Outcome, Wait per retry; Attempt, Outcome, Delivered at the end.
    expect(run.transitions).toBe(9);
    expect(run.trace.filter((t) => t.type === 'TaskSucceeded').map((t) => t.state)).toEqual(['Attempt', 'Attempt', 'Attempt']);
  });

  it('accepts an event and an endpoint id, and ends FAILED with WEBHOOK_DEAD_LETTERED when the schedule runs out', async () => {
    receiver.replies = [{ status: 503 }];
    const run = await machine.run({ endpointId: 'ep_1', event: event() });
    expect(run.status).toBe('FAILED');
    expect(run.error?.name).toBe('WEBHOOK_DEAD_LETTERED');
    expect(receiver.received).toHaveLength(3);
    const [dead] = await deps.deliveries.listDead();
    expect(dead).toMatchObject({ status: 'dead', deadReason: 'RETRIES_EXHAUSTED' });
    expect(dead.attempts.map((a) => a.statusCode)).toEqual([503, 503, 503]);
  });

  it('an operator replays a dead delivery by starting the state machine with replay: true; it is delivered once', async () => {
    receiver.replies = [{ status: 503 }, { status: 503 }, { status: 503 }, { status: 200 }];
    const dead = await machine.run({ endpointId: 'ep_1', event: event() });
    expect(dead.status).toBe('FAILED');
    const [letter] = await deps.deliveries.listDead();
    // Without replay, a dead delivery stays dead: nothing is sent.
    expect((await machine.run({ deliveryId: letter.id })).status).toBe('FAILED');
    expect(receiver.received).toHaveLength(3);
    const replayed = await machine.run({ deliveryId: letter.id, replay: true });
    expect(replayed.status).toBe('SUCCEEDED');
    expect(receiver.received).toHaveLength(4);
    expect(await deps.deliveries.get(letter.id)).toMatchObject({ status: 'succeeded', replays: 1 });
    expect(await deps.deliveries.listDead()).toEqual([]);
  });

  it('a replay of a delivery that is not dead fails the execution with WEBHOOK_DELIVERY_NOT_DEAD, sending nothing more', async () => {
    const delivered = await machine.run({ endpointId: 'ep_1', event: event() });
    expect(delivered.status).toBe('SUCCEEDED');
    const replayed = await machine.run({ deliveryId: (delivered.output as { deliveryId: string }).deliveryId, replay: true });
    expect(replayed.status).toBe('FAILED');
    expect(replayed.error).toMatchObject({ name: 'WEBHOOK_DELIVERY_NOT_DEAD', message: expect.stringContaining('Only dead deliveries are replayed') });
    expect(receiver.received).toHaveLength(1);
  });

  it('a replay task that Step Functions retries (same input) goes on with the delivery it already put back in line', async () => {
    receiver.replies = [{ status: 503 }, { status: 503 }, { status: 503 }, { status: 200 }];
    expect((await machine.run({ endpointId: 'ep_1', event: event() })).status).toBe('FAILED');
    const [letter] = await deps.deliveries.listDead();
    // The first invocation replayed it, then failed transiently before attempting.
    await replayDelivery(deps, letter.id);
    const retried = await machine.run({ deliveryId: letter.id, replay: true });
    expect(retried.status).toBe('SUCCEEDED');
    expect(await deps.deliveries.get(letter.id)).toMatchObject({ status: 'succeeded', replays: 1 });
    expect(receiver.received).toHaveLength(4);
  });

  it('a bad input fails the execution with a clear error, not a hang', async () => {
    const run = await machine.run({ nothing: true });
    expect(run.status).toBe('FAILED');
    expect(run.error).toMatchObject({ name: 'INPUT_INVALID', message: expect.stringContaining('deliver-webhook received input it cannot use') });
  });
});
