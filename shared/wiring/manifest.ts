// The one declaration of the wiring: every function, its handler and its trigger. The CDK app
// (cdk/lib) and the local runner (local/) are both generated from this list.
import type { QueueId } from './resources.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type Trigger =
  | { readonly kind: 'http'; readonly method: HttpMethod; readonly path: string }
  /** EventBridge rate rules, in whole minutes (EventBridge's floor is one minute), each with its input. */
  | { readonly kind: 'schedule'; readonly rules: readonly ScheduleRule[] }
  | {
      readonly kind: 'queue';
      readonly queue: QueueId;
      /** At most 10 for FIFO queues. */
      readonly batchSize: number;
      /** Standard queues only: how long Lambda gathers a batch. */
      readonly maxBatchingWindowSeconds?: number;
    };

/** Secrets a function reads; in the cloud each comes from Secrets Manager, locally from `.local/`. */
export interface ScheduleRule {
  /** Unique within the function; names the EventBridge rule and the heartbeat. */
  readonly name: string;
  readonly everyMinutes: number;
  /** JSON delivered as the event's `detail`, as an EventBridge rule's target input would be. */
  readonly detail: Readonly<Record<string, string>>;
}

export type SecretName =
  | 'HOUSE_ENGINE_TOKEN'
  | 'HOUSE_SIGNING_SECRET'
  | 'JWT_PRIVATE_KEY'
  | 'ALTCHA_HMAC_KEY'
  | 'RESEND_API_KEY';

export interface FunctionAccess {
  /** What the function may do on the main table. */
  readonly table: 'none' | 'read' | 'readwrite';
  /** Queues the function sends to. */
  readonly sendTo: readonly QueueId[];
  /** Queues whose attributes (depth) the function reads, e.g. for health. */
  readonly inspect: readonly QueueId[];
  readonly secrets: readonly SecretName[];
  /** Envelope encryption with the stage's KMS key: make data keys (seal), decrypt them (open). */
  readonly kms?: readonly ('generate-data-key' | 'decrypt')[];
}

export interface FunctionDefinition {
  /** Stable id; the Lambda's logical name and the local runner's label. */
  readonly id: string;
  /** Path of the entry file from the repository root; it exports `handler`. */
  readonly entry: string;
  readonly description: string;
  readonly trigger: Trigger;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  /** Calls exchanges: runs in the VPC's private subnets behind the NAT gateway's Elastic IPs. */
  readonly staticEgress: boolean;
  readonly access: FunctionAccess;
  /** Exists only in the local run (dev helpers); never deployed. */
  readonly localOnly?: boolean;
  /** Extra plain (non-secret) environment for this function. */
  readonly environment?: Readonly<Record<string, string>>;
  /** Scheduled and tick-driven functions record a heartbeat that `GET /api/health` reports. */
  readonly heartbeat?: boolean;
  /** Sends mail (Resend in the cloud, the outbox locally). */
  readonly sendsMail?: boolean;
}

const noAccess: FunctionAccess = { table: 'none', sendTo: [], inspect: [], secrets: [] };

export interface BotDefinition {
  readonly name: 'scalping' | 'trend' | 'qfl' | 'ai';
  /** Cadence in seconds; below 60 the tick dispatcher makes it real with delayed SQS ticks. */
  readonly cadenceSeconds: number;
}

export const BOTS: readonly BotDefinition[] = [
  { name: 'scalping', cadenceSeconds: 15 },
  { name: 'trend', cadenceSeconds: 300 },
  { name: 'qfl', cadenceSeconds: 20 },
  { name: 'ai', cadenceSeconds: 30 },
];

export const FUNCTIONS: readonly FunctionDefinition[] = [
  {
    id: 'IngestHouseSignal',
    entry: 'functions/api/ingest-house-signal.ts',
    description: 'POST /api/house-signals/ingest: validates, stores (once) and enqueues a house signal',
    trigger: { kind: 'http', method: 'POST', path: '/api/house-signals/ingest' },
    timeoutSeconds: 10,
    memoryMb: 512,
    staticEgress: false,
    access: {
      ...noAccess,
      table: 'readwrite',
      sendTo: ['signals'],
      secrets: ['HOUSE_ENGINE_TOKEN', 'HOUSE_SIGNING_SECRET'],
    },
  },
  {
    id: 'ListPositions',
    entry: 'functions/api/list-positions.ts',
    description: "GET /api/positions: the caller's positions",
    trigger: { kind: 'http', method: 'GET', path: '/api/positions' },
    timeoutSeconds: 10,
    memoryMb: 512,
    staticEgress: false,
    access: { ...noAccess, table: 'read' },
  },
  {
    id: 'ListSignals',
    entry: 'functions/api/list-signals.ts',
    description: 'GET /api/signals: the latest signals, newest first',
    trigger: { kind: 'http', method: 'GET', path: '/api/signals' },
    timeoutSeconds: 10,
    memoryMb: 512,
    staticEgress: false,
    access: { ...noAccess, table: 'read' },
  },
  {
    id: 'Health',
    entry: 'functions/api/health.ts',
    description: 'GET /api/health: table, queues and the heartbeat of each scheduled function',
    trigger: { kind: 'http', method: 'GET', path: '/api/health' },
    timeoutSeconds: 10,
    memoryMb: 256,
    staticEgress: false,
    access: { ...noAccess, table: 'read', inspect: ['signals', 'execution', 'notifications', 'botTicks'] },
  },
  {
    id: 'DevLogin',
    entry: 'functions/api/dev-login.ts',
    description: 'POST /api/dev/login: local-only token for a seeded demo user (until the accounts issue)',
    trigger: { kind: 'http', method: 'POST', path: '/api/dev/login' },
    timeoutSeconds: 10,
    memoryMb: 256,
    staticEgress: false,
    access: { ...noAccess, table: 'read', secrets: ['JWT_PRIVATE_KEY'] },
    localOnly: true,
  },
  {
    id: 'CheckExchangeKey',
    entry: 'functions/api/check-exchange-key.ts',
    description:
      'POST /api/exchange-keys/check: does the key work, may it trade, is it free of withdrawal rights and IP-bound',
    trigger: { kind: 'http', method: 'POST', path: '/api/exchange-keys/check' },
    timeoutSeconds: 30,
    memoryMb: 512,
    // The exchange sees the platform's egress IPs, the ones the trader binds the key to.
    staticEgress: true,
    access: noAccess,
  },
  // Accounts and security (issue 5): sign-up, email verification, sessions.
  {
    id: 'AuthCaptcha',
    entry: 'functions/api/auth/captcha.ts',
    description: 'GET /api/auth/captcha: a proof-of-work challenge for register and login',
    trigger: { kind: 'http', method: 'GET', path: '/api/auth/captcha' },
    timeoutSeconds: 10,
    memoryMb: 256,
    staticEgress: false,
    access: { ...noAccess, secrets: ['ALTCHA_HMAC_KEY'] },
  },
  {
    id: 'Register',
    entry: 'functions/api/auth/register.ts',
    description: 'POST /api/auth/register: creates an unverified user and mails the verification link',
    trigger: { kind: 'http', method: 'POST', path: '/api/auth/register' },
    timeoutSeconds: 15,
    // scrypt at OWASP cost needs the memory and the CPU that comes with it.
    memoryMb: 1024,
    staticEgress: false,
    access: { ...noAccess, table: 'readwrite', secrets: ['ALTCHA_HMAC_KEY', 'RESEND_API_KEY'] },
    sendsMail: true,
  },
  {
    id: 'VerifyEmail',
    entry: 'functions/api/auth/verify-email.ts',
    description: 'POST /api/auth/verify-email: consumes a single-use verification token',
    trigger: { kind: 'http', method: 'POST', path: '/api/auth/verify-email' },
    timeoutSeconds: 10,
    memoryMb: 256,
    staticEgress: false,
    access: { ...noAccess, table: 'readwrite' },
  },
  {
    id: 'ResendVerification',
    entry: 'functions/api/auth/resend-verification.ts',
    description: 'POST /api/auth/resend-verification: mails a new verification link, rate limited',
    trigger: { kind: 'http', method: 'POST', path: '/api/auth/resend-verification' },
    timeoutSeconds: 10,
    memoryMb: 256,
    staticEgress: false,
    access: { ...noAccess, table: 'readwrite', secrets: ['RESEND_API_KEY'] },
    sendsMail: true,
  },
  {
    id: 'Login',
    entry: 'functions/api/auth/login.ts',
    description: 'POST /api/auth/login: password (+ CAPTCHA) → access token and refresh token',
    trigger: { kind: 'http', method: 'POST', path: '/api/auth/login' },
    timeoutSeconds: 15,
    memoryMb: 1024,
    staticEgress: false,
    // decrypt: with 2FA on, the sealed TOTP secret is opened to check the code.
    access: {
      ...noAccess,
      table: 'readwrite',
      secrets: ['ALTCHA_HMAC_KEY', 'JWT_PRIVATE_KEY'],
      kms: ['decrypt'],
    },
  },
  {
    id: 'RefreshSession',
    entry: 'functions/api/auth/refresh.ts',
    description: 'POST /api/auth/refresh: rotates the refresh token; a reused one revokes its family',
    trigger: { kind: 'http', method: 'POST', path: '/api/auth/refresh' },
    timeoutSeconds: 10,
    memoryMb: 256,
    staticEgress: false,
    access: { ...noAccess, table: 'readwrite', secrets: ['JWT_PRIVATE_KEY'] },
  },
  {
    id: 'Logout',
    entry: 'functions/api/auth/logout.ts',
    description: 'POST /api/auth/logout: revokes the session of the given refresh token',
    trigger: { kind: 'http', method: 'POST', path: '/api/auth/logout' },
    timeoutSeconds: 10,
    memoryMb: 256,
    staticEgress: false,
    access: { ...noAccess, table: 'readwrite' },
  },
  {
    id: 'LogoutEverywhere',
    entry: 'functions/api/auth/logout-everywhere.ts',
    description: "POST /api/auth/logout-all: revokes every one of the caller's sessions",
    trigger: { kind: 'http', method: 'POST', path: '/api/auth/logout-all' },
    timeoutSeconds: 10,
    memoryMb: 256,
    staticEgress: false,
    access: { ...noAccess, table: 'readwrite' },
  },
  {
    id: 'ChangePassword',
    entry: 'functions/api/auth/change-password.ts',
    description:
      'POST /api/auth/password: current password (and 2FA when on) → new password; every session revoked',
    trigger: { kind: 'http', method: 'POST', path: '/api/auth/password' },
    timeoutSeconds: 15,
    memoryMb: 1024,
    staticEgress: false,
    access: { ...noAccess, table: 'readwrite', kms: ['decrypt'] },
  },
  {
    id: 'RequestPasswordReset',
    entry: 'functions/api/auth/request-password-reset.ts',
    description:
      'POST /api/auth/password-reset/request: mails a single-use reset link; same answer for any email',
    trigger: { kind: 'http', method: 'POST', path: '/api/auth/password-reset/request' },
    timeoutSeconds: 10,
    memoryMb: 256,
    staticEgress: false,
    access: { ...noAccess, table: 'readwrite', secrets: ['ALTCHA_HMAC_KEY', 'RESEND_API_KEY'] },
    sendsMail: true,
  },
  {
    id: 'ResetPassword',
    entry: 'functions/api/auth/reset-password.ts',
    description: 'POST /api/auth/password-reset/confirm: reset token + new password; every session revoked',
    trigger: { kind: 'http', method: 'POST', path: '/api/auth/password-reset/confirm' },
    timeoutSeconds: 15,
    memoryMb: 1024,
    staticEgress: false,
    access: { ...noAccess, table: 'readwrite' },
  },
  {
    id: 'TotpEnroll',
    entry: 'functions/api/auth/totp-enroll.ts',
    description:
      'POST /api/auth/2fa/enroll: a new TOTP secret (sealed) as an otpauth URI and QR code, pending confirmation',
    trigger: { kind: 'http', method: 'POST', path: '/api/auth/2fa/enroll' },
    timeoutSeconds: 10,
    memoryMb: 256,
    staticEgress: false,
    access: { ...noAccess, table: 'readwrite', kms: ['generate-data-key'] },
  },
  {
    id: 'TotpConfirm',
    entry: 'functions/api/auth/totp-confirm.ts',
    description:
      'POST /api/auth/2fa/confirm: a first valid code turns 2FA on and returns single-use recovery codes',
    trigger: { kind: 'http', method: 'POST', path: '/api/auth/2fa/confirm' },
    timeoutSeconds: 10,
    memoryMb: 256,
    staticEgress: false,
    access: { ...noAccess, table: 'readwrite', kms: ['decrypt'] },
  },
  {
    id: 'TotpDisable',
    entry: 'functions/api/auth/totp-disable.ts',
    description:
      'POST /api/auth/2fa/disable: a current code (or a recovery code) and the password turn 2FA off',
    trigger: { kind: 'http', method: 'POST', path: '/api/auth/2fa/disable' },
    timeoutSeconds: 15,
    memoryMb: 1024,
    staticEgress: false,
    access: { ...noAccess, table: 'readwrite', kms: ['decrypt'] },
  },
  {
    id: 'ApiDocs',
    entry: 'functions/api/api-docs.ts',
    description: 'GET /api/docs: local-only, the OpenAPI document of this API',
    trigger: { kind: 'http', method: 'GET', path: '/api/docs' },
    timeoutSeconds: 10,
    memoryMb: 256,
    staticEgress: false,
    access: noAccess,
    localOnly: true,
  },
  {
    id: 'DevOutbox',
    entry: 'functions/api/dev-outbox.ts',
    description: 'GET /api/dev/outbox: local-only, the mails the platform would have sent',
    trigger: { kind: 'http', method: 'GET', path: '/api/dev/outbox' },
    timeoutSeconds: 10,
    memoryMb: 256,
    staticEgress: false,
    access: noAccess,
    localOnly: true,
    sendsMail: true,
  },
  {
    id: 'GetSettings',
    entry: 'functions/api/settings/get.ts',
    description: "GET /api/settings: the caller's settings and their version",
    trigger: { kind: 'http', method: 'GET', path: '/api/settings' },
    timeoutSeconds: 10,
    memoryMb: 256,
    staticEgress: false,
    access: { ...noAccess, table: 'read' },
  },
  {
    id: 'UpdateSettings',
    entry: 'functions/api/settings/update.ts',
    description:
      "PUT /api/settings: replaces the caller's settings if still at the version edited (2FA when raising risk); audited",
    trigger: { kind: 'http', method: 'PUT', path: '/api/settings' },
    timeoutSeconds: 10,
    memoryMb: 256,
    staticEgress: false,
    // decrypt: with 2FA on, a risk-raising save opens the sealed TOTP secret to check the code.
    access: { ...noAccess, table: 'readwrite', kms: ['decrypt'] },
  },
  // Exchange accounts (issue 5): keys checked through the gateway, sealed with envelope encryption.
  {
    id: 'ListExchangeAccounts',
    entry: 'functions/api/exchange-accounts/list.ts',
    description: "GET /api/exchange-accounts: the caller's accounts, keys masked, and the IPs to whitelist",
    trigger: { kind: 'http', method: 'GET', path: '/api/exchange-accounts' },
    timeoutSeconds: 10,
    memoryMb: 256,
    staticEgress: false,
    access: { ...noAccess, table: 'read' },
  },
  {
    id: 'AddExchangeAccount',
    entry: 'functions/api/exchange-accounts/add.ts',
    description: 'POST /api/exchange-accounts: checks the key on the exchange, seals it, stores the account',
    trigger: { kind: 'http', method: 'POST', path: '/api/exchange-accounts' },
    timeoutSeconds: 30,
    memoryMb: 512,
    // The key check runs from the egress IPs the trader bound the key to.
    staticEgress: true,
    // decrypt: with 2FA on, the sealed TOTP secret is opened to check the code.
    access: { ...noAccess, table: 'readwrite', kms: ['generate-data-key', 'decrypt'] },
  },
  {
    id: 'RemoveExchangeAccount',
    entry: 'functions/api/exchange-accounts/remove.ts',
    description: 'DELETE /api/exchange-accounts/{accountId}: deletes the account and its sealed key',
    trigger: { kind: 'http', method: 'DELETE', path: '/api/exchange-accounts/{accountId}' },
    timeoutSeconds: 10,
    memoryMb: 256,
    staticEgress: false,
    access: { ...noAccess, table: 'readwrite' },
  },
  // Admin routes (issue 5 item 8): admin role and 2FA; the mutating ones also a fresh TOTP code.
  {
    id: 'AdminListUsers',
    entry: 'functions/api/admin/list-users.ts',
    description: 'GET /api/admin/users: admins only, a page of users (status, role, 2FA); never hashes',
    trigger: { kind: 'http', method: 'GET', path: '/api/admin/users' },
    timeoutSeconds: 10,
    memoryMb: 256,
    staticEgress: false,
    access: { ...noAccess, table: 'read' },
  },
  {
    id: 'AdminDisableUser',
    entry: 'functions/api/admin/disable-user.ts',
    description:
      'POST /api/admin/users/{userId}/disable: admins only (fresh TOTP code); revokes every session',
    trigger: { kind: 'http', method: 'POST', path: '/api/admin/users/{userId}/disable' },
    timeoutSeconds: 10,
    memoryMb: 256,
    staticEgress: false,
    // decrypt: the admin's sealed TOTP secret is opened to check the code.
    access: { ...noAccess, table: 'readwrite', kms: ['decrypt'] },
  },
  {
    id: 'AdminKillSwitch',
    entry: 'functions/api/admin/kill-switch.ts',
    description:
      'POST /api/admin/kill-switch: admins only (fresh TOTP code); while on, no signal is fanned out',
    trigger: { kind: 'http', method: 'POST', path: '/api/admin/kill-switch' },
    timeoutSeconds: 10,
    memoryMb: 256,
    staticEgress: false,
    access: { ...noAccess, table: 'readwrite', kms: ['decrypt'] },
  },
  {
    id: 'FanOutSignal',
    entry: 'functions/pipeline/fan-out-signal.ts',
    description: 'Signal queue → one execution command per eligible user exchange account',
    trigger: { kind: 'queue', queue: 'signals', batchSize: 10, maxBatchingWindowSeconds: 1 },
    timeoutSeconds: 30,
    memoryMb: 512,
    staticEgress: false,
    // readwrite: it marks the signal fanned-out once the commands are sent.
    access: { ...noAccess, table: 'readwrite', sendTo: ['execution'] },
  },
  {
    id: 'ExecuteSignal',
    entry: 'functions/pipeline/execute-signal.ts',
    description: 'Execution queue (FIFO per account) → opens the position on the exchange and stores it',
    trigger: { kind: 'queue', queue: 'execution', batchSize: 10 },
    timeoutSeconds: 60,
    memoryMb: 1024,
    staticEgress: true,
    // decrypt: exchange accounts trade with their sealed API key, opened per command.
    access: { ...noAccess, table: 'readwrite', sendTo: ['notifications'], kms: ['decrypt'] },
  },
  {
    id: 'DispatchBotTicks',
    entry: 'functions/bots/dispatch-bot-ticks.ts',
    description: 'One rule per bot: enqueues delayed ticks so sub-minute bots run at their real cadence',
    trigger: {
      kind: 'schedule',
      rules: BOTS.map((bot) => ({
        name: `bot-${bot.name}`,
        everyMinutes: Math.max(1, Math.round(bot.cadenceSeconds / 60)),
        detail: { bot: bot.name },
      })),
    },
    timeoutSeconds: 10,
    memoryMb: 256,
    staticEgress: false,
    access: { ...noAccess, table: 'readwrite', sendTo: ['botTicks'] },
    heartbeat: true,
  },
  {
    id: 'RunBot',
    entry: 'functions/bots/run-bot.ts',
    description: 'Bot tick queue → runs one tick of the named signal bot',
    trigger: { kind: 'queue', queue: 'botTicks', batchSize: 1 },
    timeoutSeconds: 60,
    memoryMb: 1024,
    staticEgress: true,
    access: { ...noAccess, table: 'readwrite', sendTo: ['signals'] },
    heartbeat: true,
  },
];

export function functionById(id: string): FunctionDefinition {
  const fn = FUNCTIONS.find((f) => f.id === id);
  if (!fn) throw new Error(`No function "${id}" in the wiring manifest`);
  return fn;
}

export function deployedFunctions(): readonly FunctionDefinition[] {
  return FUNCTIONS.filter((f) => !f.localOnly);
}
