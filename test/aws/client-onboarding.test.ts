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
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { ApiGatewayClientOnboarding, ONBOARDING_OUTPUTS, onboardingTargets } from '../../lambdas/aws/api-gateway-client-onboarding';

const documents = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));
const dynamo = mockClient(documents);
const apiGatewayClient = new APIGatewayClient({ region: 'eu-west-1' });
const apiGateway = mockClient(apiGatewayClient);
const cloudFormation = mockClient(CloudFormationClient);

beforeEach(() => {
  dynamo.reset();
  apiGateway.reset();
  cloudFormation.reset();
});

const onboarding = new ApiGatewayClientOnboarding(apiGatewayClient, documents, { usagePlanId: 'plan1', clientsTable: 'clients', now: () => new Date('2026-11-30T10:00:00Z') });

describe('ApiGatewayClientOnboarding', () => {
  it('adds a key on the usage plan, maps it to the client, and returns its value once', async () => {
    apiGateway.on(CreateApiKeyCommand).resolves({ id: 'k1', value: 'secret-value' });
    apiGateway.on(CreateUsagePlanKeyCommand).resolves({});
    dynamo.on(PutCommand).resolves({});
    await expect(onboarding.add('acme')).resolves.toEqual({ clientId: 'acme', apiKeyId: 'k1', apiKey: 'secret-value' });
    expect(apiGateway).toHaveReceivedCommandWith(CreateApiKeyCommand, { enabled: true, tags: { 'docpipe:client': 'acme' } });
    expect(apiGateway).toHaveReceivedCommandWith(CreateUsagePlanKeyCommand, { usagePlanId: 'plan1', keyId: 'k1', keyType: 'API_KEY' });
    // The table keeps the key's id, never its value.
    expect(dynamo).toHaveReceivedCommandWith(PutCommand, { TableName: 'clients', Item: { apiKeyId: 'k1', clientId: 'acme', createdAt: '2026-11-30T10:00:00.000Z' }, ConditionExpression: 'attribute_not_exists(apiKeyId)' });
    expect(JSON.stringify(dynamo.commandCalls(PutCommand)[0].args[0].input)).not.toContain('secret-value');
  });

  it('deletes the key again when it cannot be mapped, so that no half-made client is left', async () => {
    apiGateway.on(CreateApiKeyCommand).resolves({ id: 'k1', value: 'v' });
    apiGateway.on(CreateUsagePlanKeyCommand).resolves({});
    apiGateway.on(DeleteApiKeyCommand).resolves({});
    dynamo.on(PutCommand).rejects(Object.assign(new Error('User is not authorized to perform: dynamodb:PutItem'), { name: 'AccessDeniedException' }));
    await expect(onboarding.add('acme')).rejects.toMatchObject({ code: 'CLIENT_ONBOARDING_FAILED', message: expect.stringContaining('AccessDeniedException') });
    expect(apiGateway).toHaveReceivedCommandWith(DeleteApiKeyCommand, { apiKey: 'k1' });
  });

  it('refuses a client id that cannot name a folder or a path before calling AWS', async () => {
    await expect(onboarding.add('../acme')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(apiGateway).toHaveReceivedCommandTimes(CreateApiKeyCommand, 0);
  });

  it('lists every key over every page of the table', async () => {
    dynamo
      .on(ScanCommand)
      .resolvesOnce({ Items: [{ apiKeyId: 'k2', clientId: 'globex', createdAt: '2026-01-02' }], LastEvaluatedKey: { apiKeyId: 'k2' } })
      .resolvesOnce({ Items: [{ apiKeyId: 'k1', clientId: 'acme', createdAt: '2026-01-01', disabled: true }, { junk: true }] });
    await expect(onboarding.list()).resolves.toEqual([
      { clientId: 'acme', apiKeyId: 'k1', createdAt: '2026-01-01', disabled: true },
      { clientId: 'globex', apiKeyId: 'k2', createdAt: '2026-01-02' },
    ]);
    expect(dynamo).toHaveReceivedCommandTimes(ScanCommand, 2);
  });

  it('revokes: the key disabled and off the plan, the mapping marked disabled; a key already gone is no error', async () => {
    dynamo.on(ScanCommand).resolves({ Items: [{ apiKeyId: 'k1', clientId: 'acme' }, { apiKeyId: 'k2', clientId: 'acme' }, { apiKeyId: 'k3', clientId: 'acme', disabled: true }, { apiKeyId: 'k4', clientId: 'globex' }] });
    apiGateway.on(UpdateApiKeyCommand, { apiKey: 'k1' }).resolves({});
    apiGateway.on(UpdateApiKeyCommand, { apiKey: 'k2' }).rejects(new NotFoundException({ message: 'Invalid API Key identifier specified', $metadata: {} }));
    apiGateway.on(DeleteUsagePlanKeyCommand).resolves({});
    dynamo.on(UpdateCommand).resolves({});
    await expect(onboarding.revoke('acme')).resolves.toBe(2);
    expect(apiGateway).toHaveReceivedCommandWith(UpdateApiKeyCommand, { apiKey: 'k1', patchOperations: [{ op: 'replace', path: '/enabled', value: 'false' }] });
    expect(apiGateway).toHaveReceivedCommandWith(DeleteUsagePlanKeyCommand, { usagePlanId: 'plan1', keyId: 'k1' });
    expect(dynamo.commandCalls(UpdateCommand).map((call) => call.args[0].input.Key)).toEqual([{ apiKeyId: 'k1' }, { apiKeyId: 'k2' }]);
  });

  it('revokes one key of a client for a rotation, and leaves the others', async () => {
    dynamo.on(ScanCommand).resolves({ Items: [{ apiKeyId: 'old', clientId: 'acme' }, { apiKeyId: 'new', clientId: 'acme' }] });
    apiGateway.on(UpdateApiKeyCommand).resolves({});
    apiGateway.on(DeleteUsagePlanKeyCommand).resolves({});
    dynamo.on(UpdateCommand).resolves({});
    await expect(onboarding.revoke('acme', 'old')).resolves.toBe(1);
    await expect(onboarding.revoke('globex', 'new')).resolves.toBe(0); // another client's key is not this client's to revoke
    expect(apiGateway.commandCalls(UpdateApiKeyCommand).map((call) => call.args[0].input.apiKey)).toEqual(['old']);
  });

  it('finds the usage plan and the table in the stack outputs, and says what to do when they are missing', async () => {
    cloudFormation.on(DescribeStacksCommand).resolves({ Stacks: [{ StackName: 'Docpipe', CreationTime: new Date(), StackStatus: 'UPDATE_COMPLETE', Outputs: [{ OutputKey: ONBOARDING_OUTPUTS.usagePlanId, OutputValue: 'plan9' }, { OutputKey: ONBOARDING_OUTPUTS.clientsTable, OutputValue: 'Docpipe-Clients' }] }] });
    await expect(onboardingTargets(new CloudFormationClient({ region: 'eu-west-1' }), 'Docpipe')).resolves.toEqual({ usagePlanId: 'plan9', clientsTable: 'Docpipe-Clients' });
    cloudFormation.reset();
    cloudFormation.on(DescribeStacksCommand).resolves({ Stacks: [{ StackName: 'Docpipe', CreationTime: new Date(), StackStatus: 'UPDATE_COMPLETE', Outputs: [] }] });
    await expect(onboardingTargets(new CloudFormationClient({ region: 'eu-west-1' }), 'Docpipe')).rejects.toMatchObject({ code: 'CONFIGURATION_MISSING', message: expect.stringContaining('cdk deploy') });
    cloudFormation.reset();
    cloudFormation.on(DescribeStacksCommand).rejects(Object.assign(new Error('Stack with id Nope does not exist'), { name: 'ValidationError' }));
    await expect(onboardingTargets(new CloudFormationClient({ region: 'eu-west-1' }), 'Nope')).rejects.toMatchObject({ code: 'CLIENT_ONBOARDING_FAILED', message: expect.stringContaining('does not exist') });
  });
});
