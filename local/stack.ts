// Boots the whole platform on one machine from the wiring manifest: DynamoDB Local and fauxqs,
// the table and queues, the handlers (imported once the environment is set, as on a cold start),
// the HTTP front door, the queue pollers and the scheduler. `npm start` and the e2e tests use it.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createDynamoClient } from '../shared/adapters/dynamodb/client.js';
import { createSqsClient } from '../shared/adapters/sqs/client.js';
import { FUNCTIONS, type FunctionDefinition } from '../shared/wiring/manifest.js';
import { QUEUES } from '../shared/wiring/resources.js';
import { type DynamoDbLocal, startDynamoDbLocal } from './dynamodb-local.js';
import { loadFunctions } from './function-invoker.js';
import { startHttpFrontDoor } from './http-front-door.js';
import { applyEnvironment, buildLocalEnvironment, LOCAL_REGION } from './local-environment.js';
import { findFreePort } from './ports.js';
import {
  type ProvisionedQueues,
  provisionQueues,
  provisionTable,
  type QueueDefinitions,
} from './provision.js';
import { startQueuePollers } from './queue-poller.js';
import { REPOSITORY_ROOT } from './repository-root.js';
import { createRunnerLog, type RunnerLog } from './runner-log.js';
import { startScheduler } from './scheduler.js';
import { loadOrCreateLocalSecrets } from './secrets.js';
import { type SeededUser, seedDemoUsers } from './seed.js';
import { startSqsEmulator } from './sqs-emulator.js';

export { REPOSITORY_ROOT };

export interface LocalStackOptions {
  /** HTTP front door port; 0 picks a free one. Default 3000. */
  readonly port?: number;
  /** `.local`-style directory for secrets and DynamoDB data; null (default) = in memory, fresh secrets. */
  readonly dataDir?: string | null;
  /** DynamoDB Local port; 0 (default) picks a free one. */
  readonly dynamoPort?: number;
  /** fauxqs port; 0 (default) picks a free one. */
  readonly sqsPort?: number;
  /** Run the scheduled functions (default true). */
  readonly scheduler?: boolean;
  /** Runner prints errors only; handlers log at WARN. */
  readonly quiet?: boolean;
  /** Runner debug lines; handlers log at DEBUG. */
  readonly verbose?: boolean;
  /** JSON of exchange id to origin: exchange calls go there (fake exchanges in tests). */
  readonly exchangeBaseUrls?: string;
  /** Seed the demo users (default true). */
  readonly seed?: boolean;
  /** Names the variables that move each port in "port in use" messages (the CLI sets them). */
  readonly portEnvVars?: { readonly http?: string; readonly dynamo?: string; readonly sqs?: string };
  // The parts below exist for the runner's own tests, which run fixture handlers.
  readonly functions?: readonly FunctionDefinition[];
  readonly queues?: QueueDefinitions;
  /** Directory the functions' entry paths are relative to (default: the repository root). */
  readonly rootDir?: string;
  readonly tableName?: string;
  readonly queuePrefix?: string;
  readonly log?: RunnerLog;
  readonly schedulerFirstFireDelayMs?: number;
  readonly pollersPerQueue?: number;
}

export interface LocalStack {
  readonly url: string;
  /** Every variable the handlers were given (secrets included: tests need the house token). */
  readonly env: Readonly<Record<string, string>>;
  readonly seededUsers: readonly SeededUser[];
  readonly queues: ProvisionedQueues;
  /** Null when the secrets live in memory only. */
  readonly houseEngineTokenFile: string | null;
  readonly secretsGenerated: boolean;
  /** Functions whose module failed to load (their invocations answer 500 / fail). */
  readonly brokenFunctions: readonly string[];
  readonly dynamoDbLocal: { readonly pid: number; readonly port: number; readonly startupMs: number };
  stop(): Promise<void>;
}

type Stopper = () => Promise<void> | void;

async function stopAll(stoppers: Stopper[], log: RunnerLog): Promise<void> {
  // Reverse start order: nothing is stopped while something started after it still uses it.
  for (const stop of stoppers.splice(0).reverse()) {
    try {
      await stop();
    } catch (error) {
      log.warn('a component failed to stop cleanly', error);
    }
  }
}

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const log =
    options.log ?? createRunnerLog({ quiet: options.quiet ?? false, verbose: options.verbose ?? false });
  const rootDir = options.rootDir ?? REPOSITORY_ROOT;
  const definitions = options.functions ?? FUNCTIONS;
  const dataDir = options.dataDir ? resolve(options.dataDir) : null;
  const stoppers: Stopper[] = [];

  try {
    const loadedSecrets = await loadOrCreateLocalSecrets(dataDir);
    for (const file of loadedSecrets.added) {
      log.info(
        `Generated ${file} in ${dataDir ?? '.'}: the directory predates that secret; later runs reuse it`,
      );
    }
    const dynamoPort = options.dynamoPort || (await findFreePort());

    // DynamoDB Local's JVM is the slow part: start it first and do everything else meanwhile.
    const dynamoStarting = startDynamoDbLocal({
      port: dynamoPort,
      dataDir: dataDir === null ? null : join(dataDir, 'dynamodb'),
      log,
      ...(options.portEnvVars?.dynamo ? { portEnvVar: options.portEnvVars.dynamo } : {}),
    });
    // Awaited later; until then a rejection must not count as unhandled (it would crash the process).
    dynamoStarting.catch(() => undefined);
    // Register its stop now, so a failure elsewhere still ends the JVM.
    stoppers.push(async () => {
      const dynamo = await dynamoStarting.catch(() => undefined);
      await dynamo?.stop();
    });

    const sqsEmulator = await startSqsEmulator({
      port: options.sqsPort ?? 0,
      ...(options.portEnvVars?.sqs ? { portEnvVar: options.portEnvVars.sqs } : {}),
    });
    stoppers.push(() => sqsEmulator.stop());
    const sqs = createSqsClient({ region: LOCAL_REGION, endpoint: sqsEmulator.endpoint });
    stoppers.push(() => sqs.destroy());
    const queues = await provisionQueues(
      sqs,
      options.queuePrefix ?? 'verzek-local',
      options.queues ?? QUEUES,
    );

    const tableName = options.tableName ?? 'verzek-local-main';
    const env = buildLocalEnvironment({
      dynamoEndpoint: `http://127.0.0.1:${dynamoPort}`,
      sqsEndpoint: sqsEmulator.endpoint,
      tableName,
      queues,
      secrets: loadedSecrets.secrets,
      paperMarketDir: join(REPOSITORY_ROOT, 'test/fixtures/market'),
      // Mails land here instead of Resend; GET /api/dev/outbox lists them.
      outboxDir: dataDir === null ? await mkdtemp(join(tmpdir(), 'verzek-outbox-')) : join(dataDir, 'outbox'),
      logLevel: options.verbose ? 'DEBUG' : options.quiet ? 'WARN' : 'INFO',
      functions: definitions,
      ...(options.exchangeBaseUrls === undefined ? {} : { exchangeBaseUrls: options.exchangeBaseUrls }),
    });
    stoppers.push(applyEnvironment(env));

    const [functions, dynamo] = await Promise.all([loadFunctions(definitions, rootDir, log), dynamoStarting]);
    const dynamoClient = createDynamoClient({ region: LOCAL_REGION, endpoint: dynamo.endpoint });
    stoppers.push(() => dynamoClient.destroy());
    await provisionTable(dynamoClient, tableName);

    const seededUsers =
      (options.seed ?? true)
        ? await seedDemoUsers({ dynamoEndpoint: dynamo.endpoint, region: LOCAL_REGION, tableName })
        : [];

    const http = await startHttpFrontDoor({
      functions,
      port: options.port ?? 3000,
      region: LOCAL_REGION,
      log,
      ...(options.portEnvVars?.http ? { portEnvVar: options.portEnvVars.http } : {}),
    });
    stoppers.push(() => http.stop());
    const pollers = startQueuePollers({
      functions,
      queues,
      sqs,
      region: LOCAL_REGION,
      log,
      ...(options.pollersPerQueue ? { pollersPerQueue: options.pollersPerQueue } : {}),
    });
    stoppers.push(() => pollers.stop());
    if (options.scheduler ?? true) {
      const scheduler = startScheduler({
        functions,
        region: LOCAL_REGION,
        log,
        ...(options.schedulerFirstFireDelayMs !== undefined
          ? { firstFireDelayMs: options.schedulerFirstFireDelayMs }
          : {}),
      });
      stoppers.push(() => scheduler.stop());
    }

    let stopping: Promise<void> | undefined;
    return {
      url: http.url,
      env,
      seededUsers,
      queues,
      houseEngineTokenFile: loadedSecrets.houseEngineTokenFile,
      secretsGenerated: loadedSecrets.generated,
      brokenFunctions: [...functions.values()].filter((f) => !f.handler).map((f) => f.definition.id),
      dynamoDbLocal: { pid: dynamo.pid, port: dynamo.port, startupMs: dynamo.startupMs },
      stop: () => {
        stopping ??= stopAll(stoppers, log);
        return stopping;
      },
    };
  } catch (error) {
    await stopAll(stoppers, log);
    throw error;
  }
}

export type { DynamoDbLocal, SeededUser };
