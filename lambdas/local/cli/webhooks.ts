/**
 * `docpipe webhooks <add|list|rotate|enable|log|dead|replay>`: the local endpoint registry and dead-letter store.
 *
 *   add --client C --url URL [--secret whsec_...] [--events document.completed,...]
 *   list [--client C]
 *   rotate <endpoint-id> [--finish]     a second secret (both sign until --finish drops the older)
 *   enable <endpoint-id>                deliveries on again after docpipe disabled the endpoint
 *   log <endpoint-id>                   the endpoint's delivery log
 *   dead [--since ISO-TIME]             the dead-letter store
 *   replay <delivery-id ...> | --failed-since ISO-TIME
 *                                       re-send dead deliveries through the webhook state machine (same event id);
 *                                       one that is not dead is reported (WEBHOOK_DELIVERY_NOT_DEAD) and skipped
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { enableEndpoint, listEndpoints, registerEndpoint, rotateSecret } from '../../domain/api/webhooks';
import { DocpipeError, isDocpipeError } from '../../domain/errors';
import { replayDelivery, type DeliveryDeps } from '../../domain/webhooks/delivery';
import { WEBHOOK_ERRORS } from '../../domain/webhooks/errors';
import { EVENT_TYPES, type EventType } from '../../domain/webhooks/events';
import { createDeliverWebhookHandler } from '../../handlers/deliver-webhook';
import type { Endpoint } from '../../ports/endpoint-registry';
import { LocalStateMachine } from '../state-machine-runner';
import { localWebhookDeps } from '../workspace';
import { reportError, UsageError } from './io';

export const usage = 'docpipe webhooks add|list|rotate|enable|log|dead|replay (see docs/webhooks.md)';
const ASL = join(__dirname, '..', '..', '..', 'state-machines', 'webhook-delivery.asl.json');

const print = (value: unknown): void => void process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

export async function run(args: string[], deps: DeliveryDeps = localWebhookDeps()): Promise<number> {
  const [action, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { client: { type: 'string' }, url: { type: 'string' }, secret: { type: 'string' }, events: { type: 'string' }, finish: { type: 'boolean' }, since: { type: 'string' }, 'failed-since': { type: 'string' } },
  });
  switch (action) {
    case 'add': {
      if (!values.client || !values.url) throw new UsageError('webhooks add needs --client and --url.');
      const events = (values.events?.split(',').filter(Boolean) ?? []) as EventType[];
      const unknown = events.filter((t) => !EVENT_TYPES.includes(t));
      if (unknown.length) throw new UsageError(`Unknown event type(s) ${unknown.join(', ')}: use ${EVENT_TYPES.join(', ')}.`);
      // The URL is refused now if the guard forbids it; a generated secret is shown once, and stored encrypted.
      print(await registerEndpoint(deps, values.client, { url: values.url, ...(values.secret ? { secret: values.secret } : {}), events }));
      return 0;
    }
    case 'list': {
      if (!values.client) throw new UsageError('webhooks list needs --client.');
      print(await listEndpoints(deps, values.client));
      return 0;
    }
    case 'rotate': {
      const endpoint = await requireEndpoint(deps, positionals[0]);
      const rotated = await rotateSecret(deps, endpoint.clientId, endpoint.id, { finish: values.finish });
      print(values.finish ? rotated : { ...rotated, note: 'Deliveries are now signed with the old and the new secret; run `docpipe webhooks rotate <id> --finish` once the receiver uses the new one.' });
      return 0;
    }
    case 'enable': {
      const endpoint = await requireEndpoint(deps, positionals[0]);
      print(await enableEndpoint(deps, endpoint.clientId, endpoint.id));
      return 0;
    }
    case 'log': {
      const endpoint = await requireEndpoint(deps, positionals[0]);
      print((await deps.deliveries.listForEndpoint(endpoint.id)).map(({ payload: _payload, ...delivery }) => delivery));
      return 0;
    }
    case 'dead': {
      print((await deps.deliveries.listDead(values.since ? parseTime(values.since) : undefined)).map(({ payload: _payload, ...delivery }) => delivery));
      return 0;
    }
    case 'replay': {
      const ids = values['failed-since'] ? (await deps.deliveries.listDead(parseTime(values['failed-since']))).map((d) => d.id) : positionals;
      if (ids.length === 0) throw new UsageError(values['failed-since'] ? 'No dead deliveries since then.' : 'webhooks replay needs delivery ids or --failed-since TIME.');
      const machine = new LocalStateMachine({ definitionPath: ASL, tasks: { DeliverWebhookFunctionArn: createDeliverWebhookHandler(() => deps) }, waitMs: Number(process.env.DOCPIPE_LOCAL_WAIT_MS ?? 500) });
      let failed = 0;
      for (const id of ids) {
        try {
          await replayDelivery(deps, id);
        } catch (error) {
          // One delivery that is not dead (or not found) is reported, and the others are still replayed.
          if (!isDocpipeError(error)) throw error;
          reportError(error);
          failed++;
          continue;
        }
        const result = await machine.run({ deliveryId: id });
        const delivery = await deps.deliveries.get(id);
        if (result.status !== 'SUCCEEDED') failed++;
        print({ deliveryId: id, eventId: delivery?.eventId, status: delivery?.status, attempts: delivery?.attempts.length, lastStatusCode: delivery?.attempts.at(-1)?.statusCode });
      }
      return failed ? 1 : 0;
    }
    default:
      throw new UsageError(`Unknown webhooks action "${action ?? ''}". Usage: ${usage}`);
  }
}

async function requireEndpoint(deps: DeliveryDeps, id: string | undefined): Promise<Endpoint> {
  if (!id) throw new UsageError('Name the endpoint id.');
  const endpoint = await deps.endpoints.get(id);
  if (!endpoint) throw new DocpipeError(WEBHOOK_ERRORS.WEBHOOK_ENDPOINT_NOT_FOUND, `No endpoint ${id}: see \`docpipe webhooks list --client <id>\`.`);
  return endpoint;
}

function parseTime(value: string): Date {
  const time = new Date(value);
  if (Number.isNaN(time.getTime())) throw new UsageError(`"${value}" is not a time: use ISO 8601, e.g. 2026-11-25T00:00:00Z.`);
  return time;
}
