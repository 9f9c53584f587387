// Loads each function's handler module and invokes it the way the Lambda runtime would: one fake
// Context per invocation, and the manifest's timeout enforced (an invocation that runs over it counts
// as failed, although, unlike Lambda, the runaway promise cannot be frozen and keeps running).
import { randomBytes, randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { runWithAccessPolicy } from '../shared/adapters/access-guard.js';
import type { FunctionDefinition } from '../shared/wiring/manifest.js';
import { accessPolicyFor } from './access-policy.js';
import type { RunnerLog } from './runner-log.js';

export const LOCAL_ACCOUNT_ID = '000000000000';

export type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

export interface LoadedFunction {
  readonly definition: FunctionDefinition;
  /** Undefined when the module failed to load; every invocation then fails with `loadError`. */
  readonly handler: LambdaHandler | undefined;
  readonly loadError?: unknown;
}

export type InvocationOutcome =
  | { readonly ok: true; readonly result: unknown; readonly durationMs: number }
  | { readonly ok: false; readonly error: unknown; readonly timedOut: boolean; readonly durationMs: number };

export class HandlerTimeoutError extends Error {
  override readonly name = 'HandlerTimeoutError';
}

export function localFunctionName(definition: FunctionDefinition): string {
  return `verzek-local-${definition.id}`;
}

export function createLambdaContext(
  definition: FunctionDefinition,
  region: string,
  deadline: number,
): Context {
  const functionName = localFunctionName(definition);
  const day = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
  const unsupported = () => {
    throw new Error('context.done/fail/succeed are not supported: return or throw from the async handler');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:${LOCAL_ACCOUNT_ID}:function:${functionName}`,
    memoryLimitInMB: String(definition.memoryMb),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `${day}/[$LATEST]${randomBytes(16).toString('hex')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}

/**
 * Imports every entry module. process.env must already hold the stack's variables: handlers parse
 * their configuration once, at module load, as they do on a Lambda cold start. A module that fails
 * to load is logged and reported, and the rest of the stack still starts.
 */
export async function loadFunctions(
  definitions: readonly FunctionDefinition[],
  rootDir: string,
  log: RunnerLog,
): Promise<Map<string, LoadedFunction>> {
  const loaded = await Promise.all(
    definitions.map(async (definition): Promise<LoadedFunction> => {
      try {
        const module = (await import(pathToFileURL(resolve(rootDir, definition.entry)).href)) as {
          handler?: unknown;
        };
        if (typeof module.handler !== 'function') {
          throw new Error(`${definition.entry} does not export a function named "handler"`);
        }
        return { definition, handler: module.handler as LambdaHandler };
      } catch (loadError) {
        log.error(`${definition.id}: cannot load ${definition.entry}; its invocations will fail`, loadError);
        return { definition, handler: undefined, loadError };
      }
    }),
  );
  return new Map(loaded.map((fn) => [fn.definition.id, fn]));
}

/** Invokes once; never throws: the outcome says whether the handler succeeded, failed or timed out. */
export async function invokeFunction(
  fn: LoadedFunction,
  event: unknown,
  region: string,
): Promise<InvocationOutcome> {
  const startedAt = Date.now();
  const timeoutMs = fn.definition.timeoutSeconds * 1000;
  const context = createLambdaContext(fn.definition, region, startedAt + timeoutMs);
  let timer: NodeJS.Timeout | undefined;
  try {
    if (!fn.handler) throw fn.loadError ?? new Error(`${fn.definition.id} has no handler`);
    const handler = fn.handler;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new HandlerTimeoutError(`${fn.definition.id} timed out after ${fn.definition.timeoutSeconds} s`),
          ),
        timeoutMs,
      );
    });
    // The function's manifest access, enforced on its AWS clients as IAM would be in the cloud.
    const policy = accessPolicyFor(fn.definition, process.env);
    const result = await Promise.race([
      runWithAccessPolicy(policy, () => Promise.resolve().then(() => handler(event, context))),
      timeout,
    ]);
    return { ok: true, result, durationMs: Date.now() - startedAt };
  } catch (error) {
    return {
      ok: false,
      error,
      timedOut: error instanceof HandlerTimeoutError,
      durationMs: Date.now() - startedAt,
    };
  } finally {
    clearTimeout(timer);
  }
}
