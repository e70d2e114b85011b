/**
 * deliver-webhook: the one task of the webhook state machine. Input `{ deliveryId }` (a delivery the export step
 * recorded) or `{ endpointId, event }` (records it first); makes one signed attempt and answers what comes next.
 */
import * as z from 'zod';
import { attemptDelivery, replayDelivery, startDelivery, type AttemptOutcome, type DeliveryDeps } from '../domain/webhooks/delivery';
import { WEBHOOK_ERRORS } from '../domain/webhooks/errors';
import { WebhookEvent } from '../domain/webhooks/events';
import { DocpipeError } from '../domain/errors';
import { parseInput } from './input';
import { withObservability } from './observability';

export const DeliverWebhookInput = z.union([
  // `replay: true` (operators, in AWS: start the state machine with it) takes a dead delivery out of the dead-letter
  // store first. The state machine keeps only the delivery id between attempts, so the replay happens once.
  z.object({ deliveryId: z.string().min(1), replay: z.boolean().optional() }).loose(),
  z.object({ endpointId: z.string().min(1), event: WebhookEvent }),
]);

export interface DeliverWebhookOutput extends AttemptOutcome {
  /** Always present (0 when the outcome is final) so the ASL can select it. */
  waitSeconds: number;
}

export function createDeliverWebhookHandler(deps: () => Promise<DeliveryDeps> | DeliveryDeps) {
  return async (raw: unknown): Promise<DeliverWebhookOutput> => {
    const input = parseInput(DeliverWebhookInput, raw, 'deliver-webhook');
    const resolved = await deps();
    let deliveryId: string;
    if ('deliveryId' in input) {
      deliveryId = input.deliveryId;
      if (input.replay === true && !(await replayedAndNotYetAttempted(resolved, deliveryId))) await replayDelivery(resolved, deliveryId);
    } else {
      const endpoint = await resolved.endpoints.get(input.endpointId);
      if (!endpoint) throw new DocpipeError(WEBHOOK_ERRORS.WEBHOOK_ENDPOINT_NOT_FOUND, `No endpoint ${input.endpointId}.`);
      deliveryId = (await startDelivery(resolved, endpoint, input.event)).id;
    }
    const outcome = await attemptDelivery(resolved, deliveryId);
    return { ...outcome, waitSeconds: outcome.waitSeconds ?? 0 };
  };
}

/**
 * Step Functions retries the Attempt task with the same input (`replay: true`) after a transient failure. A delivery
 * that this replay already put back in line and that was not attempted since goes on; replayDelivery would refuse
 * it as not dead (WEBHOOK_DELIVERY_NOT_DEAD) and leave it pending with no execution to attempt it.
 */
async function replayedAndNotYetAttempted(deps: DeliveryDeps, deliveryId: string): Promise<boolean> {
  const delivery = await deps.deliveries.get(deliveryId);
  return delivery?.status === 'pending' && delivery.replays > 0 && delivery.attempts.length === delivery.scheduleOffset;
}

/** The Lambda entry point, wired to DynamoDB and KMS from the environment. */
export const handler = withObservability(
  'deliver-webhook',
  createDeliverWebhookHandler(async () => (await import('../aws/webhook-deps')).webhookDepsFromEnvironment()),
  (output, metrics) => {
    metrics.addMetric(`WebhookAttempt_${output.outcome}`, 'Count', 1);
    if (output.outcome === 'dead') metrics.addMetric('WebhookDeadLetters', 'Count', 1);
  },
);
