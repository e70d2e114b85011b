/** EndpointRegistry: the webhook endpoints of each client (DynamoDB in the cloud, a local file store locally). */
import type { EventType } from '../domain/webhooks/events';

export interface Endpoint {
  id: string;
  clientId: string;
  url: string;
  /** Ids in the Secrets port; one normally, two during a rotation (deliveries are signed with both). */
  secretIds: string[];
  /** Event types delivered to this endpoint; empty means all. */
  eventTypes: EventType[];
  enabled: boolean;
  disabledReason?: string;
  /** When the current run of failed deliveries began; cleared by a success. */
  failingSince?: string;
  createdAt: string;
}

export interface EndpointRegistry {
  get(id: string): Promise<Endpoint | undefined>;
  /** The client's enabled endpoints subscribed to the event type. Never another client's. */
  listForClient(clientId: string, eventType?: EventType): Promise<Endpoint[]>;
  put(endpoint: Endpoint): Promise<void>;
  remove(id: string): Promise<void>;
}
