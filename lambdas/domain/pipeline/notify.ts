/**
 * Telling the world: the event on the bus, and one recorded webhook delivery per endpoint of the document's client
 * subscribed to the event type. Endpoints are looked up by the document's client only, and startDelivery refuses an
 * endpoint of another client: a client's endpoints never receive another client's documents.
 *
 * Announcing is safe to repeat, as the state machines' retries repeat it: the event id is derived from the document
 * and the event type, so every try publishes the same id on the bus (a consumer drops a duplicate by it), and each
 * delivery id from the event id and the endpoint id, so a try finds the deliveries an earlier one recorded and
 * returns them instead of recording a second one.
 */
import { createHash } from 'node:crypto';
import type { Endpoint } from '../../ports/endpoint-registry';
import { buildDocumentEvent, type DocumentEventInput, type EventType, type WebhookEvent } from '../webhooks/events';
import { newDelivery } from '../webhooks/delivery';
import type { PipelineDeps } from './deps';
import type { DeliveriesOutput } from './state';

const hex32 = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 32);

/** The id of a document's final event: a document has one final status, so one such event. */
export function finalEventId(documentId: string, type: EventType): string {
  return `evt_${hex32(`${documentId}\n${type}`)}`;
}

/** One delivery per event and endpoint; `dlv_` + 32 hex is also a valid name for its webhook execution. */
export function deliveryIdFor(eventId: string, endpointId: string): string {
  return `dlv_${hex32(`${eventId}\n${endpointId}`)}`;
}

export async function announce(deps: PipelineDeps, input: DocumentEventInput): Promise<DeliveriesOutput & { event: WebhookEvent }> {
  const event = buildDocumentEvent({ ...input, id: input.id ?? finalEventId(input.documentId, input.type) });
  // The bus gets the summary, not the document (EventBridge events are limited to 256 KB).
  const { document: _document, ...summary } = event.data;
  await deps.bus.publish([{ type: event.type, clientId: input.clientId, documentId: input.documentId, detail: { eventId: event.id, ...summary } }]);
  const endpoints = await deps.webhooks.endpoints.listForClient(input.clientId, event.type);
  const deliveries: { deliveryId: string }[] = [];
  for (const endpoint of endpoints) {
    if (endpoint.clientId !== input.clientId) continue;
    deliveries.push({ deliveryId: await recordDelivery(deps, endpoint, event) });
  }
  return { deliveries, event };
}

/**
 * Records the delivery of the event to the endpoint unless an earlier try did. One that exists is never written
 * over: it may have been sent already, and a pending copy would send it again. Read-then-write is enough because a
 * document is announced by one step at a time (each in the one execution, named by the document id, of its state
 * machine); the delivery store has no create-if-absent to make it a single conditional write.
 */
async function recordDelivery(deps: PipelineDeps, endpoint: Endpoint, event: WebhookEvent): Promise<string> {
  const id = deliveryIdFor(event.id, endpoint.id);
  if (await deps.webhooks.deliveries.get(id)) return id;
  await deps.webhooks.deliveries.put(newDelivery(endpoint, event, (deps.webhooks.now ?? (() => new Date()))(), id));
  return id;
}
