/** Reading a Lambda's configuration: names of resources only, never a secret (secrets are in KMS-sealed storage). */
import { DocpipeError } from '../domain/errors';

export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new DocpipeError('CONFIGURATION_MISSING', `The environment variable ${name} is not set: the stack must pass it to this function.`);
  return value;
}
