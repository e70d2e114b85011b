/**
 * `docpipe clients <add|list|revoke>`: who may call the client API, and with which key.
 *
 *   add <client-id>        a new API key for the client, shown once (a client may hold several, for rotation)
 *   list                   every key with its client (no key values: they are never kept)
 *   revoke <client-id> [--key <api-key-id>]
 *                          the key (or every key of the client) refused from now on
 *
 * Locally (the default) the keys are those of `docpipe serve`, in its workspace (`--workspace DIR`, else
 * DOCPIPE_HOME or .docpipe). With `--aws-stack <name> [--region R]` they are the deployed stack's: API Gateway keys
 * on its usage plan, mapped in its Clients table, made with the operator's AWS credentials.
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ClientOnboarding } from '../../ports/client-onboarding';
import { LocalClientDirectory } from '../local-client-directory';
import { workspaceDir } from '../workspace';
import { UsageError } from './io';

export const usage = 'docpipe clients add <client-id> | list | revoke <client-id> [--key ID]  [--workspace DIR | --aws-stack NAME [--region R]]';

const print = (value: unknown): void => void process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

export async function run(args: string[], onboarding?: ClientOnboarding): Promise<number> {
  const [action, ...rest] = args;
  const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { workspace: { type: 'string' }, 'aws-stack': { type: 'string' }, region: { type: 'string' }, key: { type: 'string' } } });
  if (!['add', 'list', 'revoke'].includes(action)) throw new UsageError(`Unknown clients action "${action ?? ''}". Usage: ${usage}`);
  const clients = onboarding ?? (await onboardingFor(values));
  switch (action) {
    case 'add': {
      const clientId = single(positionals, 'clients add needs the client id.');
      const issued = await clients.add(clientId);
      print({ ...issued, note: 'The key is shown this once: give it to the client for the x-api-key header. `docpipe clients revoke` takes it away.' });
      return 0;
    }
    case 'list':
      print(await clients.list());
      return 0;
    case 'revoke': {
      const clientId = single(positionals, 'clients revoke needs the client id.');
      const revoked = await clients.revoke(clientId, values.key);
      print({ clientId, ...(values.key ? { apiKeyId: values.key } : {}), revoked });
      if (revoked === 0) process.stderr.write(`warning: ${clientId} held no active key${values.key ? ` ${values.key}` : ''}.\n`);
      return revoked === 0 ? 1 : 0;
    }
    default:
      throw new UsageError(`Unknown clients action "${action}". Usage: ${usage}`);
  }
}

function single(positionals: string[], message: string): string {
  if (positionals.length !== 1) throw new UsageError(`${message} Usage: ${usage}`);
  return positionals[0];
}

async function onboardingFor(values: { workspace?: string; 'aws-stack'?: string; region?: string }): Promise<ClientOnboarding> {
  const stackName = values['aws-stack'];
  if (!stackName) {
    if (values.region) throw new UsageError('--region goes with --aws-stack.');
    return new LocalClientDirectory(join(values.workspace ? resolve(values.workspace) : workspaceDir(), 'api-keys'));
  }
  if (values.workspace) throw new UsageError('--workspace and --aws-stack exclude each other.');
  // Loaded only here: the local verbs never pay for the AWS clients.
  const { APIGatewayClient } = await import('@aws-sdk/client-api-gateway');
  const { CloudFormationClient } = await import('@aws-sdk/client-cloudformation');
  const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
  const { DynamoDBDocumentClient } = await import('@aws-sdk/lib-dynamodb');
  const { ApiGatewayClientOnboarding, onboardingTargets } = await import('../../aws/api-gateway-client-onboarding');
  const config = values.region ? { region: values.region } : {};
  const targets = await onboardingTargets(new CloudFormationClient(config), stackName);
  return new ApiGatewayClientOnboarding(new APIGatewayClient(config), DynamoDBDocumentClient.from(new DynamoDBClient(config)), targets);
}
