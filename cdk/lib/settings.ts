// What a deployment varies by: the stage and the JWT verification settings, read from CDK context
// (cdk.json, or `-c key=value`) and checked at synth time so a bad value never reaches a Lambda.
import { RemovalPolicy } from 'aws-cdk-lib';
import type { Node } from 'constructs';
import { DEFAULT_CLOUD_UNIVERSE } from '../../shared/app/bots/bot-config.js';
import { envSchema } from '../../shared/config/env.js';

/** Stages the cloud knows; `local` belongs to the local runner only. */
export const CLOUD_STAGES = ['dev', 'prod'] as const;
export type CloudStage = (typeof CLOUD_STAGES)[number];

export const CONTEXT_KEYS = {
  stage: 'stage',
  jwtIssuer: 'verzek:jwtIssuer',
  jwtAudience: 'verzek:jwtAudience',
  jwtPublicJwks: 'verzek:jwtPublicJwks',
  mailFrom: 'verzek:mailFrom',
  appBaseUrl: 'verzek:appBaseUrl',
  botUniverse: 'verzek:botUniverse',
} as const;

export interface DeploymentSettings {
  readonly stage: CloudStage;
  /** Prefix of every physical name (queues, secrets), so two stages can share an account. */
  readonly namePrefix: string;
  /** Stateful resources survive a stack deletion in prod; dev stacks clean up after themselves. */
  readonly removalPolicy: RemovalPolicy;
  readonly jwtIssuer: string;
  readonly jwtAudience: string;
  /** The public JWKS as the JSON text the functions parse. */
  readonly jwtPublicJwks: string;
  /** Sender of the platform's mails, on a domain verified with Resend. */
  readonly mailFrom: string;
  /** The web app's origin, for links in mails. */
  readonly appBaseUrl: string;
  /** The symbols the house bots scan, comma-separated (BOT_UNIVERSE). */
  readonly botUniverse: string;
}

export function readDeploymentSettings(node: Node, stageOverride?: string): DeploymentSettings {
  const stage = stageOverride ?? String(node.tryGetContext(CONTEXT_KEYS.stage) ?? 'dev');
  if (!(CLOUD_STAGES as readonly string[]).includes(stage)) {
    throw new Error(`Context "stage" must be one of ${CLOUD_STAGES.join(', ')} (got "${stage}")`);
  }
  const cloudStage = stage as CloudStage;

  // `{stage}` lets one cdk.json entry name a different issuer per stage.
  const jwtIssuer = requiredString(node, CONTEXT_KEYS.jwtIssuer).replaceAll('{stage}', cloudStage);
  const jwtAudience = requiredString(node, CONTEXT_KEYS.jwtAudience);

  const rawJwks: unknown = node.tryGetContext(CONTEXT_KEYS.jwtPublicJwks);
  if (rawJwks === undefined) throw missing(CONTEXT_KEYS.jwtPublicJwks);
  const jwtPublicJwks = typeof rawJwks === 'string' ? rawJwks : JSON.stringify(rawJwks);
  // The same check the functions apply at cold start, moved forward to synth time.
  const parsed = envSchema.shape.JWT_PUBLIC_JWKS.safeParse(jwtPublicJwks);
  if (!parsed.success) {
    throw new Error(
      `Context "${CONTEXT_KEYS.jwtPublicJwks}" must be a JSON Web Key Set with at least one key`,
    );
  }

  const mailFrom = requiredString(node, CONTEXT_KEYS.mailFrom);
  const appBaseUrl = requiredString(node, CONTEXT_KEYS.appBaseUrl).replaceAll('{stage}', cloudStage);
  if (!envSchema.shape.APP_BASE_URL.safeParse(appBaseUrl).success) {
    throw new Error(`Context "${CONTEXT_KEYS.appBaseUrl}" must be an http(s) URL (got "${appBaseUrl}")`);
  }

  const rawUniverse: unknown = node.tryGetContext(CONTEXT_KEYS.botUniverse);
  const botUniverse =
    rawUniverse === undefined
      ? DEFAULT_CLOUD_UNIVERSE.join(',')
      : Array.isArray(rawUniverse)
        ? rawUniverse.join(',')
        : String(rawUniverse);
  if (!envSchema.shape.BOT_UNIVERSE.safeParse(botUniverse).success) {
    throw new Error(
      `Context "${CONTEXT_KEYS.botUniverse}" must list 1-100 symbols like BTC/USDT (got "${botUniverse}")`,
    );
  }

  return {
    stage: cloudStage,
    namePrefix: `verzek-${cloudStage}`,
    removalPolicy: cloudStage === 'prod' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    jwtIssuer,
    jwtAudience,
    jwtPublicJwks,
    mailFrom,
    appBaseUrl,
    botUniverse,
  };
}

function requiredString(node: Node, key: string): string {
  const value: unknown = node.tryGetContext(key);
  if (typeof value !== 'string' || value.trim() === '') throw missing(key);
  return value;
}

function missing(key: string): Error {
  return new Error(`Context "${key}" is missing: set it in cdk.json or pass -c ${key}=...`);
}
