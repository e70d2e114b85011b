/**
 * `docpipe webhooks <add|list|rotate|log|dead|replay>`: the local endpoint registry and dead-letter store.
 *
 *   add --client C --url URL [--secret whsec_...] [--events document.completed,...]
 *   list [--client C]
 *   rotate <endpoint-id> [--finish]     a second secret (both sign until --finish drops the older)
 *   log <endpoint-id>                   the endpoint's delivery log
 *   dead [--since ISO-TIME]             the dead-letter store
 *   replay <delivery-id ...> | --failed-since ISO-TIME
 *                                       re-send through the webhook state machine (same event id)
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DocpipeError } from '../../domain/errors';
import { replayDelivery, type DeliveryDeps } from '../../domain/webhooks/delivery';
import { WEBHOOK_ERRORS } from '../../domain/webhooks/errors';
import { EVENT_TYPES, type EventType } from '../../domain/webhooks/events';
import { checkTarget } from '../../domain/webhooks/guard';
import { assertSecret, generateSecret } from '../../domain/webhooks/signing';
import { createDeliverWebhookHandler } from '../../handlers/deliver-webhook';
import type { Endpoint } from '../../ports/endpoint-registry';
import { LocalStateMachine } from '../state-machine-runner';
import { localWebhookDeps } from '../workspace';
import { UsageError } from './io';

export const usage = 'docpipe webhooks add|list|rotate|log|dead|replay (see docs/webhooks.md)';
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
      await checkTarget(values.url, deps.guard); // refuse a forbidden URL now, not at the first delivery
      const secret = values.secret ?? generateSecret();
      assertSecret(secret);
      const eventTypes = (values.events?.split(',').filter(Boolean) ?? []) as EventType[];
      const unknown = eventTypes.filter((t) => !EVENT_TYPES.includes(t));
      if (unknown.length) throw new UsageError(`Unknown event type(s) ${unknown.join(', ')}: use ${EVENT_TYPES.join(', ')}.`);
      const endpoint: Endpoint = { id: `ep_${randomUUID().replace(/-/g, '').slice(0, 16)}`, clientId: values.client, url: values.url, secretIds: [await deps.secrets.put(secret)], eventTypes, enabled: true, createdAt: new Date().toISOString() };
      await deps.endpoints.put(endpoint);
      // The secret is shown once, to the person who registered the endpoint; it is stored encrypted.
      print({ endpoint, ...(values.secret ? {} : { secret }) });
      return 0;
    }
    case 'list': {
      if (!values.client) throw new UsageError('webhooks list needs --client.');
      print(await deps.endpoints.listForClient(values.client));
      return 0;
    }
    case 'rotate': {
      const endpoint = await requireEndpoint(deps, positionals[0]);
      if (values.finish) {
        if (endpoint.secretIds.length < 2) throw new UsageError(`Endpoint ${endpoint.id} has one secret: nothing to finish.`);
        const [old, ...kept] = endpoint.secretIds;
        await deps.endpoints.put({ ...endpoint, secretIds: kept });
        await deps.secrets.remove(old);
        print({ endpointId: endpoint.id, activeSecrets: kept.length });
        return 0;
      }
      const secret = generateSecret();
      await deps.endpoints.put({ ...endpoint, secretIds: [...endpoint.secretIds.slice(-1), await deps.secrets.put(secret)] });
      print({ endpointId: endpoint.id, secret, note: 'Deliveries are now signed with the old and the new secret; run `docpipe webhooks rotate <id> --finish` once the receiver uses the new one.' });
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
        await replayDelivery(deps, id);
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
