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

export type SecretName = 'HOUSE_ENGINE_TOKEN' | 'JWT_PRIVATE_KEY';

export interface FunctionAccess {
  /** What the function may do on the main table. */
  readonly table: 'none' | 'read' | 'readwrite';
  /** Queues the function sends to. */
  readonly sendTo: readonly QueueId[];
  /** Queues whose attributes (depth) the function reads, e.g. for health. */
  readonly inspect: readonly QueueId[];
  readonly secrets: readonly SecretName[];
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
    access: { ...noAccess, table: 'readwrite', sendTo: ['signals'], secrets: ['HOUSE_ENGINE_TOKEN'] },
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
    access: { ...noAccess, table: 'readwrite', sendTo: ['notifications'] },
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
