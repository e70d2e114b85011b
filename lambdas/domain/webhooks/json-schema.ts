/** JSON Schemas of the webhook events (docs/schema/events/<type>.json), generated from the zod definitions. */
import * as z from 'zod';
import { EVENT_SCHEMAS, EVENT_TYPES, type EventType } from './events';

export function eventJsonSchemas(): Record<EventType, Record<string, unknown>> {
  return Object.fromEntries(
    EVENT_TYPES.map((type) => {
      const generated = z.toJSONSchema(EVENT_SCHEMAS[type], { target: 'draft-2020-12', io: 'output', unrepresentable: 'any', reused: 'ref' }) as Record<string, unknown>;
      const { $schema, ...rest } = generated;
      return [type, { $schema, $id: `https://docpipe.dev/schema/events/${type}.json`, title: type, ...rest }];
    }),
  ) as unknown as Record<EventType, Record<string, unknown>>;
}
