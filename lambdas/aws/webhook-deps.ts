/** The webhook delivery's ports on AWS, from the Lambda environment (built once per container). */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { KMSClient } from '@aws-sdk/client-kms';
import type { DeliveryDeps } from '../domain/webhooks/delivery';
import { DEFAULT_RETRY_POLICY } from '../domain/webhooks/schedule';
import { DynamoDeliveryStore } from './dynamo-delivery-store';
import { DynamoEndpointRegistry } from './dynamo-endpoint-registry';
import { documentClient } from './dynamo-document-client';
import { requireEnv } from './environment';
import { KmsSecrets } from './kms-secrets';

let deps: DeliveryDeps | undefined;

export function webhookDepsFromEnvironment(): DeliveryDeps {
  if (deps) return deps;
  const documents = documentClient();
  const events = new EventBridgeClient({});
  const schedule = process.env.WEBHOOK_SCHEDULE_SECONDS?.split(',').map(Number);
  deps = {
    endpoints: new DynamoEndpointRegistry(documents, requireEnv('ENDPOINTS_TABLE')),
    deliveries: new DynamoDeliveryStore(documents, requireEnv('DELIVERIES_TABLE')),
    secrets: new KmsSecrets(new KMSClient({}), requireEnv('KMS_KEY_ID'), documents, requireEnv('SECRETS_TABLE')),
    retry: schedule?.every(Number.isFinite) ? { ...DEFAULT_RETRY_POLICY, scheduleSeconds: schedule } : DEFAULT_RETRY_POLICY,
    timeoutMs: Number(process.env.WEBHOOK_TIMEOUT_MS ?? 15000),
    // The client (through its integrations) and on-call (a rule to the alarm topic) learn of it from the bus.
    onEndpointDisabled: async (endpoint, reason) => {
      await events.send(
        new PutEventsCommand({
          Entries: [{ EventBusName: requireEnv('EVENT_BUS_NAME'), Source: 'docpipe', DetailType: 'docpipe.endpoint.disabled', Detail: JSON.stringify({ endpointId: endpoint.id, clientId: endpoint.clientId, url: endpoint.url, reason }) }],
        }),
      );
    },
  };
  return deps;
}
