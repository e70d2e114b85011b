import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Webhook } from 'standardwebhooks';
import { attemptDelivery, startDelivery } from '../../lambdas/domain/webhooks/delivery';
import { buildDocumentEvent } from '../../lambdas/domain/webhooks/events';
import { localWebhookDeps } from '../../lambdas/local/workspace';
import { addEndpoint, fixture, newPipeline } from '../pipeline/support';
import { Receiver } from '../webhooks/receiver';

const ROOT = join(__dirname, '..', '..');
const run = promisify(execFile);

async function docpipe(home: string, ...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(ROOT, 'bin', 'docpipe.js'), 'webhooks', ...args], { cwd: ROOT, env: { ...process.env, DOCPIPE_HOME: home, DOCPIPE_LOCAL_WAIT_MS: '0' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('docpipe webhooks', () => {
  let receiver: Receiver;
  let url: string;
  let home: string;
  beforeEach(async () => {
    receiver = new Receiver();
    url = await receiver.start();
    home = mkdtempSync(join(tmpdir(), 'docpipe-home-'));
  });
  afterEach(() => receiver.stop());

  it('registers an endpoint with a generated secret, lists dead letters, and replays them with the same event id', async () => {
    const added = await docpipe(home, 'add', '--client', 'acme', '--url', url);
    expect(added.code).toBe(0);
    const { endpoint, secret } = JSON.parse(added.stdout);
    expect(secret).toMatch(/^whsec_/);
    expect(JSON.parse((await docpipe(home, 'list', '--client', 'acme')).stdout).map((e: { id: string }) => e.id)).toEqual([endpoint.id]);
    expect(JSON.parse((await docpipe(home, 'list', '--client', 'globex')).stdout)).toEqual([]);

    // A delivery that dies: the receiver refuses it.
    receiver.replies = [{ status: 410 }];
    const deps = localWebhookDeps(home);
    const delivery = await startDelivery(deps, endpoint, buildDocumentEvent({ type: 'document.completed', documentId: 'doc-1', clientId: 'acme' }));
    expect(await attemptDelivery(deps, delivery.id)).toMatchObject({ outcome: 'dead' });
    const dead = JSON.parse((await docpipe(home, 'dead', '--since', '2000-01-01T00:00:00Z')).stdout);
    expect(dead.map((d: { id: string }) => d.id)).toEqual([delivery.id]);

    receiver.replies = [{ status: 200 }];
    const replay = await docpipe(home, 'replay', '--failed-since', '2000-01-01T00:00:00Z');
    expect(replay.stderr).toBe('');
    expect(replay.code).toBe(0);
    expect(JSON.parse(replay.stdout)).toMatchObject({ deliveryId: delivery.id, eventId: delivery.eventId, status: 'succeeded', attempts: 2 });
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[1].headers['webhook-id']).toBe(receiver.received[0].headers['webhook-id']);
    expect(() => new Webhook(secret).verify(receiver.received[1].body, receiver.received[1].headers as Record<string, string>)).not.toThrow();
    expect(JSON.parse((await docpipe(home, 'dead')).stdout)).toEqual([]);
  });

  it('replay refuses a delivery that is not dead with an error line, and still replays the others', async () => {
    const { endpoint } = JSON.parse((await docpipe(home, 'add', '--client', 'acme', '--url', url)).stdout);
    const deps = localWebhookDeps(home);
    const event = () => buildDocumentEvent({ type: 'document.completed', documentId: 'doc-1', clientId: 'acme' });
    receiver.replies = [{ status: 200 }, { status: 410 }, { status: 200 }];
    const succeeded = await startDelivery(deps, endpoint, event());
    expect(await attemptDelivery(deps, succeeded.id)).toMatchObject({ outcome: 'succeeded' });
    const dead = await startDelivery(deps, endpoint, event());
    expect(await attemptDelivery(deps, dead.id)).toMatchObject({ outcome: 'dead' });

    const replay = await docpipe(home, 'replay', succeeded.id, dead.id);
    expect(replay.code).toBe(1);
    expect(replay.stderr).toMatch(new RegExp(`^error WEBHOOK_DELIVERY_NOT_DEAD: Delivery ${succeeded.id} succeeded .*Only dead deliveries are replayed`));
    expect(replay.stderr.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(replay.stdout)).toMatchObject({ deliveryId: dead.id, status: 'succeeded' });
    expect(receiver.received).toHaveLength(3); // the succeeded one was not sent again
  });

  it('lists an endpoint docpipe disabled, with its reason, and enables it again', async () => {
    const { endpoint } = JSON.parse((await docpipe(home, 'add', '--client', 'acme', '--url', url)).stdout);
    const deps = localWebhookDeps(home);
    await deps.endpoints.put({ ...(await deps.endpoints.get(endpoint.id))!, enabled: false, disabledReason: 'FAILING_TOO_LONG' });
    expect(JSON.parse((await docpipe(home, 'list', '--client', 'acme')).stdout)).toEqual([expect.objectContaining({ id: endpoint.id, enabled: false, disabledReason: 'FAILING_TOO_LONG' })]);
    const enabled = await docpipe(home, 'enable', endpoint.id);
    expect(enabled.code).toBe(0);
    expect(JSON.parse(enabled.stdout).endpoint).toMatchObject({ id: endpoint.id, enabled: true });
    expect(await deps.endpoints.listForClient('acme', 'document.completed')).toEqual([expect.objectContaining({ id: endpoint.id, enabled: true })]);
  });

  it('refuses an endpoint in a private network, and an unknown action', async () => {
    const refused = await docpipe(home, 'add', '--client', 'acme', '--url', 'https://169.254.169.254/latest');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^error WEBHOOK_ADDRESS_FORBIDDEN: /);
    const unknown = await docpipe(home, 'frobnicate');
    expect(unknown.code).toBe(2);
  });

  it('rotates a secret: both sign until the rotation is finished', async () => {
    const { endpoint } = JSON.parse((await docpipe(home, 'add', '--client', 'acme', '--url', url)).stdout);
    const rotated = JSON.parse((await docpipe(home, 'rotate', endpoint.id)).stdout);
    expect(rotated.secret).toMatch(/^whsec_/);
    const deps = localWebhookDeps(home);
    expect((await deps.endpoints.get(endpoint.id))!.secretIds).toHaveLength(2);
    expect(JSON.parse((await docpipe(home, 'rotate', endpoint.id, '--finish')).stdout)).toEqual({ endpointId: endpoint.id, activeSecrets: 1 });
    const delivery = await startDelivery(deps, (await deps.endpoints.get(endpoint.id))!, buildDocumentEvent({ type: 'document.completed', documentId: 'd', clientId: 'acme' }));
    await attemptDelivery(deps, delivery.id);
    expect(() => new Webhook(rotated.secret).verify(receiver.received[0].body, receiver.received[0].headers as Record<string, string>)).not.toThrow();
  });

  it('a pipeline run leaves no document text readable in the workspace (payloads sealed); log, dead and replay still work', async () => {
    receiver.replies = [{ status: 410 }, { status: 200 }];
    const pipeline = newPipeline({ dir: home });
    let endpointId: string;
    let secret: string;
    try {
      ({ id: endpointId, secret } = await addEndpoint(pipeline, 'acme', url));
      const outcome = await pipeline.submit(fixture('invoice.png'), { clientId: 'acme', name: 'invoice.png' });
      expect(outcome.record?.status).toBe('completed');
    } finally {
      await pipeline.close();
    }
    // The webhook carried the whole document: its words were in the payload the workspace keeps for replays.
    expect(receiver.received[0].body).toContain('US-001');
    const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
    const readable = walk(home).filter((file) => ['US-001', 'Harvest Lane'].some((word) => readFileSync(file).includes(word)));
    expect(readable).toEqual([]);

    // The CLI shows the delivery as before (without its payload), and the replay sends the same signed document.
    const [dead] = JSON.parse((await docpipe(home, 'dead')).stdout);
    expect(dead).toMatchObject({ endpointId, status: 'dead', deadReason: 'PERMANENT_410' });
    expect(dead).not.toHaveProperty('payload');
    expect(dead).not.toHaveProperty('sealedPayload');
    expect(JSON.parse((await docpipe(home, 'log', endpointId)).stdout)).toEqual([expect.objectContaining({ id: dead.id, attempts: [expect.objectContaining({ statusCode: 410 })] })]);
    const replay = await docpipe(home, 'replay', dead.id);
    expect(replay.stderr).toBe('');
    expect(JSON.parse(replay.stdout)).toMatchObject({ deliveryId: dead.id, status: 'succeeded' });
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[1].body).toBe(receiver.received[0].body);
    expect(() => new Webhook(secret).verify(receiver.received[1].body, receiver.received[1].headers as Record<string, string>)).not.toThrow();
  });
});
