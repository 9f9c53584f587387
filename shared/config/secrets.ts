// Secrets come from the environment: the value itself in the local run, or a Secrets Manager ARN in
// the cloud, read once per cold start and kept in memory.
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SecretName } from '../wiring/manifest.js';
import { ConfigError } from './env.js';

const cache = new Map<SecretName, Promise<string>>();
let client: SecretsManagerClient | undefined;

export function loadSecret(
  name: SecretName,
  source: Record<string, string | undefined> = process.env,
): Promise<string> {
  let pending = cache.get(name);
  if (!pending) {
    pending = resolveSecret(name, source);
    cache.set(name, pending);
    pending.catch(() => cache.delete(name));
  }
  return pending;
}

async function resolveSecret(name: SecretName, source: Record<string, string | undefined>): Promise<string> {
  const direct = source[name];
  if (direct) return direct;
  const arn = source[`${name}_SECRET_ARN`];
  if (!arn)
    throw new ConfigError(`Invalid environment:\n  - ${name}: missing (set ${name} or ${name}_SECRET_ARN)`);
  client ??= new SecretsManagerClient({});
  const out = await client.send(new GetSecretValueCommand({ SecretId: arn }));
  if (!out.SecretString) throw new ConfigError(`Secret ${name} has no string value`);
  return out.SecretString;
}
