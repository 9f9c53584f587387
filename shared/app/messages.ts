// The messages on the platform's queues: one schema each, shared by sender and consumer.
import { z } from 'zod';

/** Signal queue: one message per stored signal. */
export const signalQueuedSchema = z.object({ signalKey: z.string().min(1) });
export type SignalQueued = z.infer<typeof signalQueuedSchema>;

/** Execution queue (FIFO, grouped by account): open the signal's position on this account. */
export const executionCommandSchema = z.object({
  /** `<signalKey>|<userId>|<accountId>`: the idempotency key of the whole command. */
  commandId: z.string().min(1),
  signalKey: z.string().min(1),
  userId: z.string().min(1),
  accountId: z.string().min(1),
});
export type ExecutionCommand = z.infer<typeof executionCommandSchema>;

/** Bot tick queue: run one tick of a bot, scheduled for a given instant. */
export const botTickSchema = z.object({
  bot: z.enum(['scalping', 'trend', 'qfl', 'ai']),
  scheduledFor: z.iso.datetime(),
});
export type BotTick = z.infer<typeof botTickSchema>;
