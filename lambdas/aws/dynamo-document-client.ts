/**
 * The one DynamoDB document client of a Lambda container, shared by every table port (documents, endpoints,
 * deliveries, secrets, clients): traced by Powertools, and undefined attributes left out rather than refused.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tracer } from '../handlers/observability';

let client: DynamoDBDocumentClient | undefined;

export function documentClient(): DynamoDBDocumentClient {
  return (client ??= DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({})), { marshallOptions: { removeUndefinedValues: true } }));
}
