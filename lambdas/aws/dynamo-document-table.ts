/**
 * DocumentTable on DynamoDB. Table: partition key `documentId`; global secondary index `byClient` (partition key
 * `clientId`, sort key `createdAt`). Conditional writes: `create` with attribute_not_exists, status moves with a
 * condition on the current status, so a duplicate event cannot start or finish a second run.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DocpipeError } from '../domain/errors';
import { PIPELINE_ERRORS } from '../domain/pipeline/errors';
import { DOCUMENT_TABLE_ERRORS, type DocumentRecord, type DocumentTable, type DocumentUpdate, type UpdateConditions } from '../ports/document-table';
import { transientAwsError } from './transient';

export class DynamoDocumentTable implements DocumentTable {
  constructor(private readonly client: DynamoDBDocumentClient, private readonly tableName: string, private readonly now: () => Date = () => new Date()) {}

  async create(record: DocumentRecord): Promise<boolean> {
    try {
      await this.call(() => this.client.send(new PutCommand({ TableName: this.tableName, Item: JSON.parse(JSON.stringify(record)), ConditionExpression: 'attribute_not_exists(documentId)' })));
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async get(documentId: string): Promise<DocumentRecord | undefined> {
    const { Item } = await this.call(() => this.client.send(new GetCommand({ TableName: this.tableName, Key: { documentId }, ConsistentRead: true })));
    return Item as DocumentRecord | undefined;
  }

  async update(documentId: string, changes: DocumentUpdate, options: UpdateConditions = {}): Promise<DocumentRecord> {
    const names: Record<string, string> = { '#documentId': 'documentId' };
    const values: Record<string, unknown> = {};
    const sets: string[] = [];
    const removes: string[] = [];
    const entries = Object.entries({ ...changes, updatedAt: this.now().toISOString() });
    entries.forEach(([key, value], i) => {
      names[`#a${i}`] = key;
      if (value === undefined) removes.push(`#a${i}`);
      else {
        values[`:v${i}`] = value;
        sets.push(`#a${i} = :v${i}`);
      }
    });
    const conditions = ['attribute_exists(#documentId)'];
    if (options.expectedStatus) {
      names['#status'] = 'status';
      conditions.push(`#status IN (${options.expectedStatus.map((s, i) => `:s${i}`).join(', ')})`);
      options.expectedStatus.forEach((s, i) => (values[`:s${i}`] = s));
    }
    if (options.expectedTaskToken !== undefined) {
      names['#taskToken'] = 'taskToken';
      if (options.expectedTaskToken === null) conditions.push('attribute_not_exists(#taskToken)');
      else {
        conditions.push('#taskToken = :taskToken');
        values[':taskToken'] = options.expectedTaskToken;
      }
    }
    try {
      const { Attributes } = await this.call(() =>
        this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { documentId },
            UpdateExpression: [sets.length ? `SET ${sets.join(', ')}` : '', removes.length ? `REMOVE ${removes.join(', ')}` : ''].filter(Boolean).join(' '),
            ConditionExpression: conditions.join(' AND '),
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: Object.keys(values).length ? values : undefined,
            ReturnValues: 'ALL_NEW',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      );
      return Attributes as DocumentRecord;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const old = (error as ConditionalCheckFailedException).Item as { status?: { S?: string }; taskToken?: { S?: string } } | undefined;
      if (!old) throw new DocpipeError(DOCUMENT_TABLE_ERRORS.DOCUMENT_NOT_FOUND, `No document ${documentId}.`);
      const status = old.status?.S;
      if (status && (!options.expectedStatus || options.expectedStatus.includes(status as DocumentRecord['status']))) {
        throw new DocpipeError(DOCUMENT_TABLE_ERRORS.DOCUMENT_STATUS_CONFLICT, tokenConflict(documentId, options.expectedTaskToken), { details: { status } });
      }
      throw new DocpipeError(DOCUMENT_TABLE_ERRORS.DOCUMENT_STATUS_CONFLICT, `Document ${documentId} is ${status ?? 'in another status'}, not ${options.expectedStatus?.join(' or ')}.`, { details: { status } });
    }
  }

  async listForClient(clientId: string, limit = 100): Promise<DocumentRecord[]> {
    const { Items } = await this.call(() =>
      this.client.send(new QueryCommand({ TableName: this.tableName, IndexName: 'byClient', KeyConditionExpression: 'clientId = :c', ExpressionAttributeValues: { ':c': clientId }, ScanIndexForward: false, Limit: limit })),
    );
    return ((Items ?? []) as DocumentRecord[]).filter((r) => r.clientId === clientId);
  }

  private async call<T>(send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      if (!isConditionFailure(error) && transientAwsError(error)) throw new DocpipeError(PIPELINE_ERRORS.TABLE_UNAVAILABLE, `DynamoDB failed transiently (${(error as Error).name}).`, { retryable: true, cause: error });
      throw error;
    }
  }
}

function isConditionFailure(error: unknown): boolean {
  return error instanceof ConditionalCheckFailedException || (error as { name?: string })?.name === 'ConditionalCheckFailedException';
}

function tokenConflict(documentId: string, expected: string | null | undefined): string {
  return expected === null ? `Document ${documentId} already holds a task token.` : `Document ${documentId} no longer holds the task token expected: it was taken by another answer, or replaced by a retry.`;
}
