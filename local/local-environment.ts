// The environment every handler sees in the local run: the variables of shared/config/env.ts with
// local values (engine endpoints, generated secrets, the replay market). The defaults for a local
// run live here and nowhere in production code paths.
import { createHmac } from 'node:crypto';
import type { FunctionDefinition } from '../shared/wiring/manifest.js';
import { MAIN_TABLE, type QueueId } from '../shared/wiring/resources.js';
import type { ProvisionedQueues } from './provision.js';
import type { LocalSecrets } from './secrets.js';

export const LOCAL_REGION = 'us-east-1';
export const LOCAL_JWT_ISSUER = 'verzek-local';
export const LOCAL_JWT_AUDIENCE = 'verzek-api';

export interface LocalEnvironmentInput {
  readonly dynamoEndpoint: string;
  readonly sqsEndpoint: string;
  readonly tableName: string;
  readonly queues: ProvisionedQueues;
  readonly secrets: LocalSecrets;
  readonly paperMarketDir: string;
  /** Where mails are written instead of sent. */
  readonly outboxDir: string;
  /** Handler log level: DEBUG with --verbose, WARN for quiet runs (tests), INFO otherwise. */
  readonly logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /** JSON of exchange id to origin (fake exchanges); unset, exchange calls go to the real hosts. */
  readonly exchangeBaseUrls?: string;
  /** Functions whose extra `environment` entries are merged in. */
  readonly functions?: readonly FunctionDefinition[];
}

export function buildLocalEnvironment(input: LocalEnvironmentInput): Record<string, string> {
  const queueUrls: Record<string, string> = {};
  for (const id of Object.keys(input.queues) as QueueId[]) {
    const queue = input.queues[id];
    queueUrls[queue.definition.envVar] = queue.url;
  }
  const env: Record<string, string> = {
    STAGE: 'local',
    AWS_REGION: LOCAL_REGION,
    // Static credentials, so the SDK never probes the instance metadata service.
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    LOG_LEVEL: input.logLevel ?? 'INFO',
    DYNAMODB_ENDPOINT: input.dynamoEndpoint,
    SQS_ENDPOINT: input.sqsEndpoint,
    [MAIN_TABLE.envVar]: input.tableName,
    ...queueUrls,
    HOUSE_ENGINE_TOKEN: input.secrets.houseEngineToken,
    HOUSE_SIGNING_SECRET: input.secrets.houseSigningSecret,
    JWT_PRIVATE_KEY: input.secrets.jwtPrivateKey,
    JWT_PUBLIC_JWKS: input.secrets.jwtPublicJwks,
    JWT_ISSUER: LOCAL_JWT_ISSUER,
    JWT_AUDIENCE: LOCAL_JWT_AUDIENCE,
    LOCAL_MASTER_KEY: input.secrets.masterKey,
    // Derived from the master key: one secret file fewer, and stable across restarts.
    ALTCHA_HMAC_KEY: createHmac('sha256', Buffer.from(input.secrets.masterKey, 'base64'))
      .update('altcha')
      .digest('hex'),
    RESEND_API_KEY: 'local-outbox-no-key',
    LOCAL_OUTBOX_DIR: input.outboxDir,
    EGRESS_IPS: '',
    PAPER_MARKET_DIR: input.paperMarketDir,
    PAPER_REPLAY_SPEED: '60',
    ...(input.exchangeBaseUrls === undefined ? {} : { EXCHANGE_BASE_URLS: input.exchangeBaseUrls }),
  };
  // All handlers share one process here, so per-function extras must not disagree.
  for (const fn of input.functions ?? []) {
    for (const [name, value] of Object.entries(fn.environment ?? {})) {
      if (env[name] !== undefined && env[name] !== value) {
        throw new Error(`${fn.id} sets ${name}, which another function or the runner sets differently`);
      }
      env[name] = value;
    }
  }
  return env;
}

/** Sets the variables on process.env; returns a function that restores what was there before. */
export function applyEnvironment(env: Readonly<Record<string, string>>): () => void {
  const previous = new Map(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  return () => {
    for (const [name, value] of previous) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}
