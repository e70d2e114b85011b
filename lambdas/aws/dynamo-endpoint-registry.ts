/**
 * EndpointRegistry on DynamoDB. Table: partition key `id`; global secondary index `byClient` (partition key
 * `clientId`, sort key `createdAt`), so listing a client's endpoints is one query that can only see that client.
 *
 * The per-client limit is a counter item in the same table, `{ id: "count#<clientId>", endpointCount }`: a create is
 * one transaction of the endpoint's put and the counter's increment under `endpointCount < :max`, a remove one of the
 * delete and the decrement, so concurrent creates cannot pass the limit (a count of the index would let them: the
 * index is eventually consistent, and every create would count before any put). The counter has no `clientId`, so it
 * never shows in `byClient`. A client's first create under this scheme starts the counter from the endpoints it has.
 *
 * The client's changes and the delivery's health updates are UpdateItems of their own attributes, on the condition
 * that the item exists. Throttling and other transient failures leave as AWS_UNAVAILABLE (retryable): the API answers
 * 503 API_UNAVAILABLE, the webhook state machine retries its attempt.
 */
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import { DocpipeError } from '../domain/errors';
import type { EventType } from '../domain/webhooks/events';
import { listedFor, type Endpoint, type EndpointChange, type EndpointRegistry } from '../ports/endpoint-registry';
import { AWS_UNAVAILABLE, retryableOnTransient } from './transient';

/** The id of a client's counter item. `#` cannot appear in an endpoint id (`ep_...`, nor in an API path's id). */
export const counterIdOf = (clientId: string): string => `count#${clientId}`;

/** Tries of a transaction that another one on the same counter (or throttling) cancelled, before answering 503. */
const TRANSACTION_ATTEMPTS = 5;
/** Cancellation reasons that a later try can get past. */
const RETRYABLE_REASONS = new Set(['TransactionConflict', 'ProvisionedThroughputExceeded', 'ThrottlingError']);

export class DynamoEndpointRegistry implements EndpointRegistry {
  constructor(private readonly client: DynamoDBDocumentClient, private readonly tableName: string) {}

  async get(id: string): Promise<Endpoint | undefined> {
    const { Item } = await this.call(() => this.client.send(new GetCommand({ TableName: this.tableName, Key: { id } })));
    // A counter item is not an endpoint.
    return typeof Item?.clientId === 'string' ? (Item as Endpoint) : undefined;
  }

  async listForClient(clientId: string, eventType?: EventType, options?: { includeDisabled?: boolean }): Promise<Endpoint[]> {
    const endpoints: Endpoint[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.call(() =>
        this.client.send(new QueryCommand({ TableName: this.tableName, IndexName: 'byClient', KeyConditionExpression: 'clientId = :c', ExpressionAttributeValues: { ':c': clientId }, ExclusiveStartKey })),
      );
      endpoints.push(...((page.Items ?? []) as Endpoint[]));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return endpoints.filter((e) => listedFor(e, clientId, eventType, options)).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  private transact(items: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>): Promise<unknown> {
    return this.call(() => this.client.send(new TransactWriteCommand({ TransactItems: items })));
  }

  /** A transaction's change of a client's endpoint counter by one, refused unless the count stays `than` the bound. */
  private counterChange(counterId: string, sign: '+' | '-', than: '<' | '>', bound: string) {
    return { TableName: this.tableName, Key: { id: counterId }, UpdateExpression: `SET #count = #count ${sign} :one`, ConditionExpression: `#count ${than} ${bound}`, ExpressionAttributeNames: { '#count': 'endpointCount' } };
  }

  async create(endpoint: Endpoint, max: number): Promise<boolean> {
    const counterId = counterIdOf(endpoint.clientId);
    let seeded = false;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.transact([
          { Put: { TableName: this.tableName, Item: JSON.parse(JSON.stringify(endpoint)), ConditionExpression: 'attribute_not_exists(#id)', ExpressionAttributeNames: { '#id': 'id' } } },
          // Tells a full counter (the limit) from a missing one (to be started): ALL_OLD.
          { Update: { ...this.counterChange(counterId, '+', '<', ':max'), ExpressionAttributeValues: { ':one': 1, ':max': max }, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
        ]);
        return true;
      } catch (error) {
        const reasons = cancellationReasons(error);
        if (!reasons) throw error;
        const counter = reasons[1];
        if (counter?.Code === 'ConditionalCheckFailed') {
          if (counter.Item) return false;
          if (seeded) throw error;
          await this.startCounter(endpoint.clientId);
          seeded = true;
          continue;
        }
        await this.beforeRetrying(error, reasons, attempt);
      }
    }
  }

  async put(endpoint: Endpoint): Promise<void> {
    // DynamoDB rejects undefined attributes: drop them (a cleared failingSince is simply absent).
    await this.call(() => this.client.send(new PutCommand({ TableName: this.tableName, Item: JSON.parse(JSON.stringify(endpoint)) })));
  }

  async remove(id: string): Promise<void> {
    const endpoint = await this.call(() => this.client.send(new GetCommand({ TableName: this.tableName, Key: { id }, ConsistentRead: true })));
    const clientId = endpoint.Item?.clientId;
    if (typeof clientId !== 'string') return;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.transact([
          // Only the remove that deletes the endpoint frees its place: two concurrent DELETEs count once.
          { Delete: { TableName: this.tableName, Key: { id }, ConditionExpression: 'attribute_exists(#id)', ExpressionAttributeNames: { '#id': 'id' } } },
          { Update: { ...this.counterChange(counterIdOf(clientId), '-', '>', ':zero'), ExpressionAttributeValues: { ':one': 1, ':zero': 0 } } },
        ]);
        return;
      } catch (error) {
        const reasons = cancellationReasons(error);
        if (!reasons) throw error;
        if (reasons[0]?.Code === 'ConditionalCheckFailed') return;
        if (reasons[1]?.Code === 'ConditionalCheckFailed') {
          // No counter yet (the client's endpoints predate it; the first create counts them), or one at 0 (the
          // endpoint was put outside the limit): nothing to free.
          await this.call(() => this.client.send(new DeleteCommand({ TableName: this.tableName, Key: { id } })));
          return;
        }
        await this.beforeRetrying(error, reasons, attempt);
      }
    }
  }

  async replaceSecrets(id: string, expected: readonly string[], secretIds: string[]): Promise<EndpointChange> {
    try {
      await this.call(() =>
        this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { id },
            UpdateExpression: 'SET #secretIds = :secretIds',
            // A list compares whole: equal only with the same ids in the same order.
            ConditionExpression: 'attribute_exists(#id) AND #secretIds = :expected',
            ExpressionAttributeNames: { '#id': 'id', '#secretIds': 'secretIds' },
            ExpressionAttributeValues: { ':secretIds': secretIds, ':expected': [...expected] },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      );
      return 'updated';
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return (error as ConditionalCheckFailedException).Item ? 'changed' : 'gone';
    }
  }

  async enable(id: string): Promise<Endpoint | undefined> {
    return this.update(id, {
      UpdateExpression: 'SET #enabled = :true REMOVE #disabledReason, #failingSince',
      ExpressionAttributeNames: { '#enabled': 'enabled', '#disabledReason': 'disabledReason', '#failingSince': 'failingSince' },
      ExpressionAttributeValues: { ':true': true },
    });
  }

  async markFailing(id: string, since: string): Promise<Endpoint | undefined> {
    // if_not_exists: a run of failures already under way keeps its start.
    return this.update(id, { UpdateExpression: 'SET #failingSince = if_not_exists(#failingSince, :since)', ExpressionAttributeNames: { '#failingSince': 'failingSince' }, ExpressionAttributeValues: { ':since': since } });
  }

  async markHealthy(id: string): Promise<void> {
    await this.update(id, { UpdateExpression: 'REMOVE #failingSince', ExpressionAttributeNames: { '#failingSince': 'failingSince' } });
  }

  async disable(id: string, reason: string, failingSince: string): Promise<Endpoint | undefined> {
    return this.update(id, {
      UpdateExpression: 'SET #enabled = :false, #disabledReason = :reason',
      ConditionExpression: '#enabled = :true AND #failingSince = :since',
      ExpressionAttributeNames: { '#enabled': 'enabled', '#disabledReason': 'disabledReason', '#failingSince': 'failingSince' },
      ExpressionAttributeValues: { ':false': false, ':true': true, ':reason': reason, ':since': failingSince },
    });
  }

  /** An UpdateItem of an item that exists (never creates one); the item after it, undefined when the condition failed. */
  private async update(id: string, input: Pick<UpdateCommandInput, 'UpdateExpression' | 'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'>): Promise<Endpoint | undefined> {
    const condition = ['attribute_exists(#id)', ...(input.ConditionExpression ? [input.ConditionExpression] : [])].join(' AND ');
    try {
      const { Attributes } = await this.call(() =>
        this.client.send(new UpdateCommand({ TableName: this.tableName, Key: { id }, ...input, ConditionExpression: condition, ExpressionAttributeNames: { ...input.ExpressionAttributeNames, '#id': 'id' }, ReturnValues: 'ALL_NEW' })),
      );
      return Attributes as Endpoint | undefined;
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  /** A client's first counted create: its counter starts at the endpoints it has (another create may start it first). */
  private async startCounter(clientId: string): Promise<void> {
    const count = (await this.listForClient(clientId, undefined, { includeDisabled: true })).length;
    try {
      await this.call(() => this.client.send(new PutCommand({ TableName: this.tableName, Item: { id: counterIdOf(clientId), endpointCount: count }, ConditionExpression: 'attribute_not_exists(#id)', ExpressionAttributeNames: { '#id': 'id' } })));
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  /** Waits before another try of a transaction cancelled for a reason that can pass; throws when it cannot, or tried enough. */
  private async beforeRetrying(error: unknown, reasons: { Code?: string }[], attempt: number): Promise<void> {
    if (!reasons.some((r) => RETRYABLE_REASONS.has(r.Code ?? ''))) throw error;
    if (attempt >= TRANSACTION_ATTEMPTS) {
      throw new DocpipeError(AWS_UNAVAILABLE, `DynamoDB cancelled the endpoint transaction ${attempt} times (${reasons.map((r) => r.Code).join(', ')}).`, { retryable: true, cause: error });
    }
    // Full jitter: concurrent writers of one counter spread out.
    await sleep(Math.random() * 20 * 2 ** attempt);
  }

  private call<T>(send: () => Promise<T>): Promise<T> {
    return retryableOnTransient('DynamoDB', send);
  }
}

function isConditionFailure(error: unknown): boolean {
  return error instanceof ConditionalCheckFailedException || (error as { name?: string })?.name === 'ConditionalCheckFailedException';
}

/** The per-item reasons of a cancelled transaction (in the order of its items), or undefined for any other error. */
function cancellationReasons(error: unknown): { Code?: string; Item?: unknown }[] | undefined {
  if (!(error instanceof TransactionCanceledException) && (error as { name?: string })?.name !== 'TransactionCanceledException') return undefined;
  return (error as TransactionCanceledException).CancellationReasons ?? [];
}
