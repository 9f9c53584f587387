// `npm start`: the whole platform on this machine, with data and secrets kept in `.local/` between
// runs. Ctrl-C (or SIGTERM) stops the scheduler, pollers, HTTP server, fauxqs and DynamoDB Local, in
// that order, and exits 0.
//   npm start -- [--port 3000] [--verbose]
//   env: PORT, LOCAL_DYNAMODB_PORT (8765), LOCAL_SQS_PORT (4566)
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { JavaRuntimeError } from './dynamodb-local.js';
import { PortInUseError } from './ports.js';
import { type LocalStack, REPOSITORY_ROOT, startLocalStack } from './stack.js';

const USAGE = `Usage: npm start -- [--port <n>] [--verbose]

  --port <n>   HTTP port of the API (default: $PORT or 3000)
  --verbose    DEBUG handler logs and the runner's debug lines
Environment: PORT, LOCAL_DYNAMODB_PORT (default 8765), LOCAL_SQS_PORT (default 4566)`;

function portFrom(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`${name} must be a port number (0-65535), got "${value}"`);
  }
  return port;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function printBanner(stack: LocalStack, dataDir: string, sqsPort: number): void {
  const rel = (path: string) => relative(process.cwd(), path) || '.';
  const lines = [
    '',
    'Verzek AutoTrader: local stack',
    `  API             ${stack.url}    try: curl ${stack.url}/api/health`,
    `  Demo users      ${stack.seededUsers.length === 0 ? '(none seeded)' : stack.seededUsers.map((u) => u.email).join(', ')}`,
    `                  log in: curl -X POST ${stack.url}/api/dev/login -H 'content-type: application/json' -d '{"email":"<demo email>"}'`,
    `  House token     ${stack.houseEngineTokenFile ? rel(stack.houseEngineTokenFile) : '(in memory)'}  (send as Authorization: Bearer <token>)`,
    `                  ingest also wants an HMAC of the body: npm run signal:post -- <signal.json> signs for you`,
    `  DynamoDB Local  127.0.0.1:${stack.dynamoDbLocal.port}, data in ${rel(join(dataDir, 'dynamodb'))}, up in ${seconds(stack.dynamoDbLocal.startupMs)}`,
    `  SQS (fauxqs)    127.0.0.1:${sqsPort}, in memory: queued messages do not survive a restart`,
  ];
  if (stack.brokenFunctions.length > 0) {
    lines.push(
      `  NOT LOADED      ${stack.brokenFunctions.join(', ')} (see the errors above; they answer 500)`,
    );
  }
  console.log(lines.join('\n'));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      verbose: { type: 'boolean', short: 'v', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = portFrom(values.port ?? process.env.PORT, 3000, values.port ? '--port' : 'PORT');
  const dynamoPort = portFrom(process.env.LOCAL_DYNAMODB_PORT, 8765, 'LOCAL_DYNAMODB_PORT');
  const sqsPort = portFrom(process.env.LOCAL_SQS_PORT, 4566, 'LOCAL_SQS_PORT');
  const dataDir = join(REPOSITORY_ROOT, '.local');

  const stack = await startLocalStack({
    port,
    dataDir,
    dynamoPort,
    sqsPort,
    scheduler: true,
    seed: true,
    verbose: values.verbose,
    portEnvVars: { http: 'PORT', dynamo: 'LOCAL_DYNAMODB_PORT', sqs: 'LOCAL_SQS_PORT' },
    // Send exchange calls elsewhere (a proxy, a fake exchange): JSON of exchange id to origin.
    ...(process.env.EXCHANGE_BASE_URLS ? { exchangeBaseUrls: process.env.EXCHANGE_BASE_URLS } : {}),
  });
  if (stack.secretsGenerated) {
    console.log(
      `[local] Generated local secrets in ${relative(process.cwd(), dataDir) || '.'}/ (first run); later runs reuse them`,
    );
  }
  printBanner(stack, dataDir, Number(new URL(stack.env.SQS_ENDPOINT ?? `http://x:${sqsPort}`).port));
  // performance.now() counts from process start, so this includes loading tsx and the handlers.
  console.log(
    `\nVerzek local stack ready in ${seconds(performance.now())} at ${stack.url}  (Ctrl-C to stop)`,
  );

  let stoppingSince: number | undefined;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stoppingSince !== undefined) {
      // One Ctrl-C can arrive two or three times (from the terminal, relayed by npm, relayed by tsx):
      // only a deliberate second press, a moment later, skips the orderly stop.
      if (Date.now() - stoppingSince < 2_000) return;
      console.log(`\n[local] ${signal} again: exiting without waiting`);
      process.exit(130);
    }
    stoppingSince = Date.now();
    console.log(`\n[local] ${signal}: stopping…`);
    const forced = setTimeout(() => {
      console.error('[local] Still stopping after 30 s: exiting anyway');
      process.exit(1);
    }, 30_000);
    forced.unref();
    stack.stop().then(
      () => {
        console.log('[local] Stopped.');
        // The SDK's keep-alive sockets and handler-made timers must not hold the process open.
        process.exit(0);
      },
      (error: unknown) => {
        console.error('[local] Stop failed', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  process.on('SIGHUP', shutdown);
}

main().catch((error: unknown) => {
  if (error instanceof JavaRuntimeError || error instanceof PortInUseError) {
    console.error(`\n[local] ${error.message}`);
  } else {
    console.error('\n[local] The local stack failed to start:', error);
  }
  process.exit(1);
});
