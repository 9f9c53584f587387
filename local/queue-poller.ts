// The local stand-in for Lambda's SQS event source mapping: long-polls each queue that has a
// consumer in the manifest, hands the batch to the handler as an SQSEvent, and deletes only what
// succeeded. Failed messages become visible again after the queue's visibility timeout and, after
// maxReceiveCount receives, the emulator moves them to the dead-letter queue, as SQS does.
import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { invokeFunction, type LoadedFunction } from './function-invoker.js';
import type { ProvisionedQueue, ProvisionedQueues } from './provision.js';
import type { RunnerLog } from './runner-log.js';
import { failedMessageIds, toSqsEvent } from './sqs-event.js';

export interface QueuePollers {
  stop(): Promise<void>;
}

export interface QueuePollerOptions {
  readonly functions: ReadonlyMap<string, LoadedFunction>;
  readonly queues: ProvisionedQueues;
  readonly sqs: SQSClient;
  readonly region: string;
  readonly log: RunnerLog;
  /** Concurrent receive loops per queue (Lambda starts with five pollers; two keep a laptop calm). */
  readonly pollersPerQueue?: number;
  /** Long-poll wait; short, so stop() never waits long for a receive to return. */
  readonly waitTimeSeconds?: number;
}

/** How long stop() lets a batch in progress finish before leaving it to the visibility timeout. */
const STOP_GRACE_MS = 10_000;

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });

interface Consumer {
  readonly fn: LoadedFunction;
  readonly queue: ProvisionedQueue;
  readonly batchSize: number;
  readonly windowMs: number;
}

function consumersOf(options: QueuePollerOptions): Consumer[] {
  const consumers: Consumer[] = [];
  for (const fn of options.functions.values()) {
    const { trigger } = fn.definition;
    if (trigger.kind !== 'queue') continue;
    const queue = options.queues[trigger.queue];
    if (!queue)
      throw new Error(`${fn.definition.id} consumes queue "${trigger.queue}", which was not provisioned`);
    const batchSize = queue.definition.fifo ? Math.min(trigger.batchSize, 10) : trigger.batchSize;
    consumers.push({ fn, queue, batchSize, windowMs: (trigger.maxBatchingWindowSeconds ?? 0) * 1000 });
  }
  return consumers;
}

export function startQueuePollers(options: QueuePollerOptions): QueuePollers {
  const { sqs, region, log } = options;
  const waitTimeSeconds = options.waitTimeSeconds ?? 1;
  const abort = new AbortController();
  const signal = abort.signal;

  const receive = async (consumer: Consumer, max: number, wait: number): Promise<Message[]> => {
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: consumer.queue.url,
        MaxNumberOfMessages: Math.min(max, 10),
        WaitTimeSeconds: wait,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
      { abortSignal: signal },
    );
    return Messages ?? [];
  };

  /** Like Lambda's batching window: after the first message, gather more until full or the window ends. */
  const receiveBatch = async (consumer: Consumer): Promise<Message[]> => {
    const batch = await receive(consumer, consumer.batchSize, waitTimeSeconds);
    if (batch.length === 0 || consumer.windowMs === 0) return batch;
    const deadline = Date.now() + consumer.windowMs;
    while (batch.length < consumer.batchSize && Date.now() < deadline && !signal.aborted) {
      await sleep(Math.min(100, deadline - Date.now()), signal);
      if (signal.aborted) break;
      batch.push(...(await receive(consumer, consumer.batchSize - batch.length, 0)));
    }
    return batch;
  };

  const deleteMessages = async (consumer: Consumer, messages: readonly Message[]) => {
    for (let i = 0; i < messages.length; i += 10) {
      const chunk = messages.slice(i, i + 10);
      const { Failed } = await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: consumer.queue.url,
          Entries: chunk.map((m, k) => ({ Id: String(k), ReceiptHandle: m.ReceiptHandle ?? '' })),
        }),
      );
      if (Failed && Failed.length > 0) {
        log.warn(`${consumer.fn.definition.id}: could not delete ${Failed.length} processed message(s)`);
      }
    }
  };

  const processBatch = async (consumer: Consumer, messages: Message[]) => {
    const id = consumer.fn.definition.id;
    const event = toSqsEvent(messages, consumer.queue.arn, region);
    const outcome = await invokeFunction(consumer.fn, event, region);
    const retryNote = `they return after the ${consumer.queue.definition.visibilityTimeoutSeconds} s visibility timeout`;
    if (!outcome.ok) {
      const what = outcome.timedOut ? 'timed out' : 'failed';
      log.error(`${id} ${what} on a batch of ${messages.length}; none deleted, ${retryNote}`, outcome.error);
      return;
    }
    const failed = failedMessageIds(event, outcome.result, consumer.queue.definition.fifo);
    await deleteMessages(
      consumer,
      messages.filter((m) => !failed.has(m.MessageId ?? '')),
    );
    if (failed.size > 0) {
      log.warn(`${id}: ${failed.size} of ${messages.length} message(s) failed; ${retryNote}`);
    }
    log.info(
      `${consumer.queue.definition.id} → ${id}: ${messages.length - failed.size}/${messages.length} ok ${outcome.durationMs}ms`,
    );
  };

  const loop = async (consumer: Consumer) => {
    while (!signal.aborted) {
      let messages: Message[];
      try {
        messages = await receiveBatch(consumer);
      } catch (error) {
        if (signal.aborted) break;
        log.warn(
          `${consumer.fn.definition.id}: receive from ${consumer.queue.definition.id} failed; retrying`,
          error,
        );
        await sleep(1_000, signal);
        continue;
      }
      if (messages.length === 0) continue;
      try {
        await processBatch(consumer, messages);
      } catch (error) {
        log.error(`${consumer.fn.definition.id}: batch handling failed`, error);
      }
    }
  };

  const pollers = Math.max(1, options.pollersPerQueue ?? 2);
  const loops = consumersOf(options).flatMap((consumer) =>
    Array.from({ length: pollers }, () => loop(consumer)),
  );

  return {
    stop: async () => {
      abort.abort();
      await Promise.race([
        Promise.allSettled(loops),
        new Promise((r) => setTimeout(r, STOP_GRACE_MS).unref()),
      ]);
    },
  };
}
