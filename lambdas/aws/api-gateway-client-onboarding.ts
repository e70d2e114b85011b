/**
 * ClientOnboarding in AWS: a client's key is an API Gateway API key on the clients' usage plan (API Gateway checks it
 * and throttles per key), mapped to the client in the Clients table (the API function reads that mapping). Run from
 * an operator's machine by `docpipe clients --aws-stack <name>`, with the operator's credentials; the usage plan and
 * the table are found through the stack's outputs.
 */
import {
  APIGatewayClient,
  CreateApiKeyCommand,
  CreateUsagePlanKeyCommand,
  DeleteApiKeyCommand,
  DeleteUsagePlanKeyCommand,
  NotFoundException,
  UpdateApiKeyCommand,
} from '@aws-sdk/client-api-gateway';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { PutCommand, ScanCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DocpipeError } from '../domain/errors';
import { CLIENT_ID } from '../domain/pipeline/identity';
import type { ClientKey, ClientOnboarding, IssuedKey } from '../ports/client-onboarding';

/** The stack outputs the onboarding needs (DocpipeStack declares them). */
export const ONBOARDING_OUTPUTS = { usagePlanId: 'ClientUsagePlanId', clientsTable: 'ClientsTableName' } as const;

export interface ApiGatewayClientOnboardingOptions {
  usagePlanId: string;
  clientsTable: string;
  now?: () => Date;
}

export class ApiGatewayClientOnboarding implements ClientOnboarding {
  private readonly now: () => Date;

  constructor(
    private readonly apiGateway: APIGatewayClient,
    private readonly dynamo: DynamoDBDocumentClient,
    private readonly options: ApiGatewayClientOnboardingOptions,
  ) {
    this.now = options.now ?? (() => new Date());
  }

  async add(clientId: string): Promise<IssuedKey> {
    if (!CLIENT_ID.test(clientId)) throw new DocpipeError('INVALID_ARGUMENT', `"${clientId}" is not a client id: letters, digits, - and _ (at most 64).`);
    const createdAt = this.now().toISOString();
    const key = await this.apiGateway.send(
      new CreateApiKeyCommand({ name: `docpipe-${clientId}-${createdAt.replace(/[:.]/g, '')}`, description: `docpipe client ${clientId}`, enabled: true, tags: { 'docpipe:client': clientId } }),
    );
    if (!key.id || !key.value) throw new DocpipeError('CLIENT_ONBOARDING_FAILED', 'API Gateway created a key without an id or value; nothing was mapped. Try again.');
    try {
      await this.apiGateway.send(new CreateUsagePlanKeyCommand({ usagePlanId: this.options.usagePlanId, keyId: key.id, keyType: 'API_KEY' }));
      await this.dynamo.send(new PutCommand({ TableName: this.options.clientsTable, Item: { apiKeyId: key.id, clientId, createdAt }, ConditionExpression: 'attribute_not_exists(apiKeyId)' }));
    } catch (error) {
      // No half-made client: a key that is not both on the plan and mapped is deleted (which also takes it off the plan).
      await this.apiGateway.send(new DeleteApiKeyCommand({ apiKey: key.id })).catch(() => undefined);
      throw onboardingError(error, `giving ${clientId} a key`);
    }
    return { clientId, apiKeyId: key.id, apiKey: key.value };
  }

  async list(): Promise<ClientKey[]> {
    const keys: ClientKey[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.dynamo.send(new ScanCommand({ TableName: this.options.clientsTable, ExclusiveStartKey: startKey }));
      for (const item of page.Items ?? []) {
        if (typeof item.apiKeyId !== 'string' || typeof item.clientId !== 'string') continue;
        keys.push({ clientId: item.clientId, apiKeyId: item.apiKeyId, ...(typeof item.createdAt === 'string' ? { createdAt: item.createdAt } : {}), ...(item.disabled === true ? { disabled: true } : {}) });
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return keys.sort((a, b) => a.clientId.localeCompare(b.clientId) || (a.createdAt ?? '').localeCompare(b.createdAt ?? ''));
  }

  /**
   * API Gateway refuses the key at once (disabled, off the plan); the Clients item is marked disabled rather than
   * deleted, so that who held the key stays on record, and the API function's cache forgets it within minutes.
   */
  async revoke(clientId: string, apiKeyId?: string): Promise<number> {
    const keys = (await this.list()).filter((key) => key.clientId === clientId && !key.disabled && (apiKeyId === undefined || key.apiKeyId === apiKeyId));
    for (const { apiKeyId: keyId } of keys) {
      try {
        await this.apiGateway.send(new UpdateApiKeyCommand({ apiKey: keyId, patchOperations: [{ op: 'replace', path: '/enabled', value: 'false' }] }));
        await this.apiGateway.send(new DeleteUsagePlanKeyCommand({ usagePlanId: this.options.usagePlanId, keyId }));
      } catch (error) {
        // A key deleted by hand in the console is already refused: only the mapping is left to mark.
        if (!(error instanceof NotFoundException)) throw onboardingError(error, `revoking ${clientId}'s key ${keyId}`);
      }
      await this.dynamo.send(new UpdateCommand({ TableName: this.options.clientsTable, Key: { apiKeyId: keyId }, UpdateExpression: 'SET disabled = :yes, disabledAt = :at', ExpressionAttributeValues: { ':yes': true, ':at': this.now().toISOString() } }));
    }
    return keys.length;
  }
}

/** The usage plan and the Clients table of a deployed docpipe stack, from its outputs. */
export async function onboardingTargets(cloudFormation: CloudFormationClient, stackName: string): Promise<ApiGatewayClientOnboardingOptions> {
  let outputs: Record<string, string>;
  try {
    const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
    outputs = Object.fromEntries((Stacks?.[0]?.Outputs ?? []).filter((o) => o.OutputKey && o.OutputValue).map((o) => [o.OutputKey as string, o.OutputValue as string]));
  } catch (error) {
    throw onboardingError(error, `reading the outputs of stack ${stackName}`);
  }
  const usagePlanId = outputs[ONBOARDING_OUTPUTS.usagePlanId];
  const clientsTable = outputs[ONBOARDING_OUTPUTS.clientsTable];
  if (!usagePlanId || !clientsTable) {
    throw new DocpipeError('CONFIGURATION_MISSING', `Stack ${stackName} has no ${ONBOARDING_OUTPUTS.usagePlanId} or ${ONBOARDING_OUTPUTS.clientsTable} output: deploy the current docpipe (npx cdk deploy Docpipe) first.`);
  }
  return { usagePlanId, clientsTable };
}

function onboardingError(error: unknown, doing: string): DocpipeError {
  if (error instanceof DocpipeError) return error;
  const { name, message } = error as Error;
  return new DocpipeError('CLIENT_ONBOARDING_FAILED', `AWS refused ${doing}: ${name}: ${message}. Check the credentials and region (AWS_PROFILE, --region).`, { cause: error });
}
