/**
 * DeliveryStore on DynamoDB. Table: partition key `id`; index `byStatus` (`status`, `updatedAt`) for the dead-letter
 * store and replays since a time; index `byEndpoint` (`endpointId`, `createdAt`) for an endpoint's delivery log.
 */
import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Delivery, DeliveryStore } from '../ports/delivery-store';

export class DynamoDeliveryStore implements DeliveryStore {
  constructor(private readonly client: DynamoDBDocumentClient, private readonly tableName: string) {}

  async get(id: string): Promise<Delivery | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { id } }));
    return Item as Delivery | undefined;
  }

  async put(delivery: Delivery): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: JSON.parse(JSON.stringify(delivery)) }));
  }

  async listDead(since?: Date): Promise<Delivery[]> {
    return this.queryAll({
      TableName: this.tableName,
      IndexName: 'byStatus',
      KeyConditionExpression: since ? '#s = :dead AND updatedAt >= :since' : '#s = :dead',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':dead': 'dead', ...(since ? { ':since': since.toISOString() } : {}) },
    });
  }

  async listForEndpoint(endpointId: string, limit = 100): Promise<Delivery[]> {
    const { Items } = await this.client.send(
      new QueryCommand({ TableName: this.tableName, IndexName: 'byEndpoint', KeyConditionExpression: 'endpointId = :e', ExpressionAttributeValues: { ':e': endpointId }, ScanIndexForward: false, Limit: limit }),
    );
    return (Items ?? []) as Delivery[];
  }

  private async queryAll(input: QueryCommandInput): Promise<Delivery[]> {
    const items: Delivery[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(new QueryCommand({ ...input, ExclusiveStartKey }));
      items.push(...((page.Items ?? []) as Delivery[]));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  }
}
