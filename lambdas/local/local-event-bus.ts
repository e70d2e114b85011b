/** The EventBus on this machine: subscribers in the process (serve's status page, tests) and a JSONL log on disk. */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { EVENT_SOURCE, type BusEvent, type EventBus } from '../ports/event-bus';

export class LocalEventBus implements EventBus {
  private readonly listeners = new Set<(event: BusEvent) => void>();

  constructor(private readonly logPath?: string) {
    if (logPath) mkdirSync(dirname(logPath), { recursive: true });
  }

  subscribe(listener: (event: BusEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async publish(events: readonly BusEvent[]): Promise<void> {
    for (const event of events) {
      if (this.logPath) appendFileSync(this.logPath, `${JSON.stringify({ source: EVENT_SOURCE, time: new Date().toISOString(), ...event })}\n`, { mode: 0o600 });
      for (const listener of this.listeners) listener(event);
    }
  }
}
