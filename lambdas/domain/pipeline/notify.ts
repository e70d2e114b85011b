/**
 * Telling the world: the event on the bus, and one recorded webhook delivery per endpoint of the document's client
 * subscribed to the event type. Endpoints are looked up by the document's client only, and startDelivery refuses an
 * endpoint of another client: a client's endpoints never receive another client's documents.
 */
import { buildDocumentEvent, type DocumentEventInput, type WebhookEvent } from '../webhooks/events';
import { startDelivery } from '../webhooks/delivery';
import type { PipelineDeps } from './deps';
import type { DeliveriesOutput } from './state';

export async function announce(deps: PipelineDeps, input: DocumentEventInput): Promise<DeliveriesOutput & { event: WebhookEvent }> {
  const event = buildDocumentEvent(input);
  // The bus gets the summary, not the document (EventBridge events are limited to 256 KB).
  const { document: _document, ...summary } = event.data;
  await deps.bus.publish([{ type: event.type, clientId: input.clientId, documentId: input.documentId, detail: { eventId: event.id, ...summary } }]);
  const endpoints = await deps.webhooks.endpoints.listForClient(input.clientId, event.type);
  const deliveries: { deliveryId: string }[] = [];
  for (const endpoint of endpoints) {
    if (endpoint.clientId !== input.clientId) continue;
    deliveries.push({ deliveryId: (await startDelivery(deps.webhooks, endpoint, event)).id });
  }
  return { deliveries, event };
}
