/**
 * Where the local run keeps its state: `.docpipe/` in the working directory, or $DOCPIPE_HOME. The local
 * implementations of the ports live in its folders; the key file there stands in for the KMS key.
 */
import { join, resolve } from 'node:path';
import type { DeliveryDeps } from '../domain/webhooks/delivery';
import { KeyFileSecrets } from './webhooks/key-file-secrets';
import { LocalDeliveryStore } from './webhooks/local-delivery-store';
import { LocalEndpointRegistry } from './webhooks/local-endpoint-registry';

export function workspaceDir(): string {
  return resolve(process.env.DOCPIPE_HOME ?? '.docpipe');
}

export interface LocalWebhookOptions {
  /** The retry schedule locally, in seconds (the waits are shortened by the runner anyway). */
  scheduleSeconds?: number[];
}

export function localWebhookDeps(dir = workspaceDir(), options: LocalWebhookOptions = {}): DeliveryDeps {
  return {
    endpoints: new LocalEndpointRegistry(join(dir, 'endpoints')),
    deliveries: new LocalDeliveryStore(join(dir, 'deliveries'), join(dir, 'keys', 'objects.key')),
    secrets: new KeyFileSecrets(join(dir, 'secrets'), join(dir, 'keys', 'local.key')),
    guard: { local: true },
    retry: { scheduleSeconds: options.scheduleSeconds ?? [0, 5, 300, 1800, 7200, 18000, 36000, 36000], jitter: 0.2, maxRetryAfterSeconds: 36000 },
    timeoutMs: 15000,
  };
}
