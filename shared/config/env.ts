// One zod schema over the environment. Each function parses the part it needs once, at cold start,
// and a missing or malformed variable stops start-up with a message that names it.
import { z } from 'zod';

const url = z.url({ protocol: /^https?$/ });
const nonEmpty = z.string().trim().min(1);

export const envSchema = z.object({
  STAGE: z.enum(['local', 'dev', 'prod']),
  AWS_REGION: nonEmpty,
  LOG_LEVEL: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']).default('INFO'),
  /** Local engines only (DynamoDB Local, fauxqs); unset in the cloud. */
  DYNAMODB_ENDPOINT: url.optional(),
  SQS_ENDPOINT: url.optional(),

  TABLE_NAME: nonEmpty,
  SIGNAL_QUEUE_URL: url,
  EXECUTION_QUEUE_URL: url,
  NOTIFICATION_QUEUE_URL: url,
  BOT_TICK_QUEUE_URL: url,

  /** A secret is given either as its value (local run) or as a Secrets Manager ARN (cloud). */
  HOUSE_ENGINE_TOKEN: z.string().min(32, 'must be at least 32 characters').optional(),
  HOUSE_ENGINE_TOKEN_SECRET_ARN: nonEmpty.optional(),
  /** Signs house request bodies (shared/http/request-signature.ts); never sent, unlike the token. */
  HOUSE_SIGNING_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  HOUSE_SIGNING_SECRET_SECRET_ARN: nonEmpty.optional(),
  JWT_PRIVATE_KEY: nonEmpty.optional(),
  JWT_PRIVATE_KEY_SECRET_ARN: nonEmpty.optional(),

  JWT_ISSUER: nonEmpty,
  JWT_AUDIENCE: nonEmpty,
  /** Public verification keys as a JSON Web Key Set (public, so plain configuration). */
  JWT_PUBLIC_JWKS: z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be a JSON Web Key Set' });
        return z.NEVER;
      }
    })
    .pipe(z.object({ keys: z.array(z.record(z.string(), z.unknown())).min(1) })),

  /**
   * Tests and the local run only: JSON {"binance": "http://127.0.0.1:4100", ...} sends each
   * exchange's API calls to that origin (a fake exchange, a proxy) instead of the exchange's hosts.
   */
  EXCHANGE_BASE_URLS: z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be a JSON object of exchange id to URL' });
        return z.NEVER;
      }
    })
    .pipe(z.partialRecord(z.enum(['binance', 'bybit', 'phemex', 'krakenfutures']), url))
    .optional(),

  /** Proof-of-work CAPTCHA (ALTCHA) signing key. */
  ALTCHA_HMAC_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  ALTCHA_HMAC_KEY_SECRET_ARN: nonEmpty.optional(),
  /** Resend API key; unused where LOCAL_OUTBOX_DIR is set. */
  RESEND_API_KEY: nonEmpty.optional(),
  RESEND_API_KEY_SECRET_ARN: nonEmpty.optional(),
  /** Tests only: where the Resend client sends (a fake Resend on loopback). */
  RESEND_BASE_URL: url.optional(),
  /** Local run only: mails are written here (and read by GET /api/dev/outbox) instead of sent. */
  LOCAL_OUTBOX_DIR: nonEmpty.optional(),
  MAIL_FROM: nonEmpty.default('Verzek AutoTrader <no-reply@verzek.app>'),
  /** The web app's origin, for links in mails (verification, password reset). */
  APP_BASE_URL: url.default('http://127.0.0.1:3000'),
  /** The stage's KMS key for envelope encryption of exchange keys (cloud). */
  KMS_KEY_ID: nonEmpty.optional(),
  /** Tests only: a KMS endpoint on loopback. */
  KMS_ENDPOINT: url.optional(),
  /** The static egress IPs traders bind their exchange keys to, comma-separated ("" locally). */
  EGRESS_IPS: z.string().default(''),

  /** Local run only: base64 of 32 random bytes, the master key for envelope encryption of exchange keys. */
  LOCAL_MASTER_KEY: z.base64().optional(),

  /**
   * CSV files (timestamp_ms,open,high,low,close,volume) the paper market replays, one per symbol.
   * Set in the local run; unset in the cloud, where replay data may not ship (paper trading there
   * waits for a live public price feed).
   */
  PAPER_MARKET_DIR: nonEmpty.optional(),
  /** Market-time seconds per wall-clock second in the replay. */
  PAPER_REPLAY_SPEED: z.coerce.number().positive().default(60),

  /**
   * The symbols the house bots scan in the cloud, comma-separated ("BTC/USDT,ETH/USDT"); unset, the
   * bot configuration's default list. The local run scans the replay's symbols instead.
   */
  BOT_UNIVERSE: z
    .string()
    .regex(
      /^[A-Z0-9]{2,15}\/[A-Z0-9]{2,10}(,[A-Z0-9]{2,15}\/[A-Z0-9]{2,10}){0,99}$/,
      'must be 1-100 comma-separated symbols like BTC/USDT,ETH/USDT',
    )
    .transform((list) => list.split(','))
    .optional(),
});

export type Env = z.infer<typeof envSchema>;
export type EnvKey = keyof typeof envSchema.shape;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Parses the named variables (and the ones every function needs) from `source`. Throws a
 * ConfigError listing every missing or malformed variable, never the values themselves.
 */
export function readEnv<K extends EnvKey>(
  keys: readonly K[],
  source: Record<string, string | undefined> = process.env,
): Pick<Env, K | 'STAGE' | 'AWS_REGION' | 'LOG_LEVEL' | 'DYNAMODB_ENDPOINT' | 'SQS_ENDPOINT'> {
  const always = ['STAGE', 'AWS_REGION', 'LOG_LEVEL', 'DYNAMODB_ENDPOINT', 'SQS_ENDPOINT'] as const;
  const mask = Object.fromEntries([...always, ...keys].map((k) => [k, true])) as Record<EnvKey, true>;
  const parsed = envSchema.pick(mask).safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? '?');
      const missing = source[name] === undefined;
      return `  - ${name}: ${missing ? 'missing' : issue.message}`;
    });
    throw new ConfigError(`Invalid environment:\n${problems.join('\n')}`);
  }
  return parsed.data as Pick<Env, K | (typeof always)[number]>;
}
