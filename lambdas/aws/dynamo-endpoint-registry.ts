/**
 * EndpointRegistry on DynamoDB. Table: partition key `id`; global secondary index `byClient` (partition key
 * `clientId`, sort key `createdAt`), so listing a client's endpoints is one query that can only see that client.
 * The delivery's health updates are UpdateItems of their own attributes, on the condition that the item exists.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import type { EventType } from '../domain/webhooks/events';
import { listedFor, type Endpoint, type EndpointRegistry } from '../ports/endpoint-registry';

export class DynamoEndpointRegistry implements EndpointRegistry {
  constructor(private readonly client: DynamoDBDocumentClient, private readonly tableName: string) {}

  async get(id: string): Promise<Endpoint | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { id } }));
    return Item as Endpoint | undefined;
  }

  async listForClient(clientId: string, eventType?: EventType, options?: { includeDisabled?: boolean }): Promise<Endpoint[]> {
    const endpoints: Endpoint[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({ TableName: this.tableName, IndexName: 'byClient', KeyConditionExpression: 'clientId = :c', ExpressionAttributeValues: { ':c': clientId }, ExclusiveStartKey }),
      );
      endpoints.push(...((page.Items ?? []) as Endpoint[]));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return endpoints.filter((e) => listedFor(e, clientId, eventType, options)).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async put(endpoint: Endpoint): Promise<void> {
    // DynamoDB rejects undefined attributes: drop them (a cleared failingSince is simply absent).
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: JSON.parse(JSON.stringify(endpoint)) }));
  }

  async remove(id: string): Promise<void> {
    await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: { id } }));
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
      const { Attributes } = await this.client.send(
        new UpdateCommand({ TableName: this.tableName, Key: { id }, ...input, ConditionExpression: condition, ExpressionAttributeNames: { ...input.ExpressionAttributeNames, '#id': 'id' }, ReturnValues: 'ALL_NEW' }),
      );
      return Attributes as Endpoint | undefined;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException || (error as { name?: string })?.name === 'ConditionalCheckFailedException') return undefined;
      throw error;
    }
  }
}
