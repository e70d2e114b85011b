/** EventBus on EventBridge: source `docpipe`, detail-type = event type, at most 10 entries per PutEvents. */
import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DocpipeError } from '../domain/errors';
import { PIPELINE_ERRORS } from '../domain/pipeline/errors';
import { EVENT_SOURCE, type BusEvent, type EventBus } from '../ports/event-bus';
import { transientAwsError } from './transient';

export class EventBridgeEventBus implements EventBus {
  constructor(private readonly client: EventBridgeClient, private readonly busName: string) {}

  async publish(events: readonly BusEvent[]): Promise<void> {
    for (let i = 0; i < events.length; i += 10) {
      const batch = events.slice(i, i + 10);
      let out;
      try {
        out = await this.client.send(
          new PutEventsCommand({ Entries: batch.map((e) => ({ EventBusName: this.busName, Source: EVENT_SOURCE, DetailType: e.type, Detail: JSON.stringify({ clientId: e.clientId, documentId: e.documentId, ...e.detail }) })) }),
        );
      } catch (error) {
        if (transientAwsError(error)) throw new DocpipeError(PIPELINE_ERRORS.EVENT_BUS_UNAVAILABLE, `EventBridge failed transiently (${(error as Error).name}).`, { retryable: true, cause: error });
        throw error;
      }
      // PutEvents answers 200 with per-entry failures: those must not pass silently.
      if (out.FailedEntryCount) {
        const codes = (out.Entries ?? []).map((e) => e.ErrorCode).filter(Boolean);
        throw new DocpipeError(PIPELINE_ERRORS.EVENT_BUS_UNAVAILABLE, `EventBridge refused ${out.FailedEntryCount} event(s): ${codes.join(', ')}.`, { retryable: true });
      }
    }
  }
}
