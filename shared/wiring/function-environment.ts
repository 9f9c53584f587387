// Which environment variables each function gets, derived from its manifest entry. The CDK app sets
// exactly these on the Lambda, the local runner supplies them, and the handler parses them with
// `readFunctionEnv`, so a function can only be configured with what its access allows.
import { ConfigError, type Env, type EnvKey, readEnv } from '../config/env.js';
import type { FunctionDefinition, SecretName } from './manifest.js';
import { MAIN_TABLE, QUEUES } from './resources.js';

/** Functions that show traders the IPs to bind their exchange keys to. */
const EGRESS_IP_FUNCTIONS = new Set(['ListExchangeAccounts', 'AddExchangeAccount']);

/** Functions that need the paper market's replayed data (demo trading and the bots). */
const PAPER_MARKET_FUNCTIONS = new Set(['ExecuteSignal', 'RunBot']);

/** What an authenticated HTTP route reads: its table and the settings that verify user tokens. */
export const USER_ROUTE_ENV = ['TABLE_NAME', 'JWT_PUBLIC_JWKS', 'JWT_ISSUER', 'JWT_AUDIENCE'] as const;

/** What a function that opens sealed secrets reads (KMS in the cloud, the master key locally). */
export const SECRET_BOX_ENV = ['KMS_KEY_ID', 'KMS_ENDPOINT', 'LOCAL_MASTER_KEY'] as const;

export function secretEnvKey(secret: SecretName, form: 'value' | 'arn'): EnvKey {
  return (form === 'value' ? secret : `${secret}_SECRET_ARN`) as EnvKey;
}

/** Plain (non-secret) environment keys the function needs, in addition to STAGE and AWS_REGION. */
export function environmentKeysFor(fn: FunctionDefinition): EnvKey[] {
  const keys = new Set<EnvKey>();
  if (fn.access.table !== 'none') keys.add(MAIN_TABLE.envVar);
  const queues = [...fn.access.sendTo, ...fn.access.inspect];
  if (fn.trigger.kind === 'queue') queues.push(fn.trigger.queue);
  for (const q of queues) keys.add(QUEUES[q].envVar as EnvKey);
  if (fn.trigger.kind === 'http') {
    keys.add('JWT_ISSUER');
    keys.add('JWT_AUDIENCE');
    keys.add('JWT_PUBLIC_JWKS');
  }
  // Where exchange calls go instead of the exchanges' hosts: fake exchanges in tests, a proxy.
  if (fn.staticEgress) keys.add('EXCHANGE_BASE_URLS');
  if (fn.sendsMail) {
    for (const key of ['MAIL_FROM', 'APP_BASE_URL', 'RESEND_BASE_URL', 'LOCAL_OUTBOX_DIR'] as const)
      keys.add(key);
  }
  if (fn.access.kms && fn.access.kms.length > 0) {
    for (const key of ['KMS_KEY_ID', 'KMS_ENDPOINT', 'LOCAL_MASTER_KEY'] as const) keys.add(key);
  }
  if (EGRESS_IP_FUNCTIONS.has(fn.id)) keys.add('EGRESS_IPS');
  if (fn.id === 'RunBot') keys.add('BOT_UNIVERSE');
  if (PAPER_MARKET_FUNCTIONS.has(fn.id)) {
    keys.add('PAPER_MARKET_DIR');
    keys.add('PAPER_REPLAY_SPEED');
  }
  return [...keys].sort();
}

/**
 * Parses the variables a handler asks for. Refuses a key the manifest does not grant the function
 * (so CDK and the handler cannot drift) and throws a ConfigError naming every missing variable.
 */
export function readFunctionEnv<K extends EnvKey>(
  fn: FunctionDefinition,
  keys: readonly K[],
  source: Record<string, string | undefined> = process.env,
) {
  const granted = new Set<EnvKey>(environmentKeysFor(fn));
  const ungranted = keys.filter((k) => !granted.has(k));
  if (ungranted.length > 0) {
    throw new ConfigError(`${fn.id} reads ${ungranted.join(', ')} but the wiring manifest does not grant it`);
  }
  const missingSecrets = fn.access.secrets.filter(
    (secret) =>
      source[secretEnvKey(secret, 'value')] === undefined &&
      source[secretEnvKey(secret, 'arn')] === undefined,
  );
  if (missingSecrets.length > 0) {
    throw new ConfigError(
      `Invalid environment:\n${missingSecrets.map((s) => `  - ${s}: missing (set ${s} or ${s}_SECRET_ARN)`).join('\n')}`,
    );
  }
  return readEnv(keys, source);
}

export type FunctionEnv<K extends EnvKey> = ReturnType<typeof readFunctionEnv<K>>;
export type { Env };
