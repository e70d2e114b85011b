/**
 * EventBus: docpipe's domain events for other systems (EventBridge in the cloud, an in-process bus with a JSONL log
 * locally). Every event names its client so that rules can route per client; webhooks are delivered separately.
 */
export interface BusEvent {
  /** e.g. `document.completed`, `document.failed`, `document.needs_review`. */
  type: string;
  clientId: string;
  documentId: string;
  detail: Record<string, unknown>;
}

export interface EventBus {
  publish(events: readonly BusEvent[]): Promise<void>;
}

/** The EventBridge `source` of every docpipe event. */
export const EVENT_SOURCE = 'docpipe';
