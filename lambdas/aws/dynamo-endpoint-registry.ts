/**
 * EndpointRegistry on DynamoDB. Table: partition key `id`; global secondary index `byClient` (partition key
 * `clientId`, sort key `createdAt`), so listing a client's endpoints is one query that can only see that client.
 */
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
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
}
