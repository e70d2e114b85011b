/** DeliveryStore: every delivery with its attempts: the delivery log, the dead-letter store and the source of replays. */
export type DeliveryStatus = 'pending' | 'succeeded' | 'dead';

export interface DeliveryAttempt {
  attempt: number;
  at: string;
  statusCode?: number;
  latencyMs: number;
  verdict: 'succeeded' | 'retry' | 'permanent';
  /** Why there was no usable response: `timeout`, a connection error code, or a docpipe error code. */
  error?: string;
  responseBody?: string;
}

export interface Delivery {
  id: string;
  eventId: string;
  eventType: string;
  endpointId: string;
  clientId: string;
  /** The exact body sent, so that every retry and replay sends the same bytes under the same event id. */
  payload: string;
  status: DeliveryStatus;
  attempts: DeliveryAttempt[];
  /** How many times the delivery was replayed from the dead-letter store. */
  replays: number;
  /** Attempts made before the last replay: the retry schedule counts from there. */
  scheduleOffset: number;
  createdAt: string;
  updatedAt: string;
  deadReason?: string;
}

export interface DeliveryStore {
  get(id: string): Promise<Delivery | undefined>;
  put(delivery: Delivery): Promise<void>;
  /** Dead deliveries last updated at or after `since`, oldest first. */
  listDead(since?: Date): Promise<Delivery[]>;
  /** The deliveries of one endpoint, newest first: its delivery log. */
  listForEndpoint(endpointId: string, limit?: number): Promise<Delivery[]>;
}
