// Fan-out: one execution command per eligible exchange account. Commands carry a deterministic id,
// so running the fan-out twice for a signal (an SQS redelivery) sends duplicates that the FIFO queue
// drops within its 5-minute window and that execution ignores after it.
import type { Signal } from '../core/signals/signal.js';
import type { KillSwitchRepository } from '../ports/admin.js';
import type { QueuePublisher } from '../ports/queue-publisher.js';
import type { SignalRepository, TradingAccount, TradingAccountRepository } from '../ports/repositories.js';
import type { ExecutionCommand } from './messages.js';

export interface FanOutDeps {
  readonly signals: SignalRepository;
  readonly accounts: TradingAccountRepository;
  readonly queue: QueuePublisher;
  /** The global kill switch an admin flips (shared/app/admin). */
  readonly killSwitch: Pick<KillSwitchRepository, 'get'>;
}

export class SignalNotFound extends Error {
  override readonly name = 'SignalNotFound';
}

/**
 * Whether an account takes this signal. Paper demo accounts trade spot, which cannot short.
 * Settings-based filters (whitelists, tiers, max positions) join here with the accounts issue.
 */
function accepts(account: TradingAccount, signal: Signal): boolean {
  return account.autoTrade && signal.side === 'long';
}

export async function fanOutSignal(
  deps: FanOutDeps,
  signalKey: string,
): Promise<{ commands: number; skipped?: 'kill-switch' }> {
  const stored = await deps.signals.get(signalKey);
  if (!stored) throw new SignalNotFound(`signal ${signalKey} is not stored`);
  // A redelivery after a complete fan-out must not reach accounts that turned auto-trade on since.
  if (stored.status === 'fanned-out') return { commands: 0 };
  // The global kill switch stops all trading: the signal is closed as fanned out to nobody, so it
  // is not traded later either, when the switch is off again (a stale signal is not a signal).
  if ((await deps.killSwitch.get()).on) {
    await deps.signals.markStatus(signalKey, 'fanned-out', 0);
    return { commands: 0, skipped: 'kill-switch' };
  }
  const commands: ExecutionCommand[] = [];
  for await (const account of deps.accounts.listAutoTrading()) {
    if (!accepts(account, stored.signal)) continue;
    commands.push({
      // The user is part of the id: account ids are unique only within their owner's partition.
      commandId: `${signalKey}|${account.userId}|${account.accountId}`,
      signalKey,
      userId: account.userId,
      accountId: account.accountId,
    });
  }
  await deps.queue.send(
    'execution',
    commands.map((c) => ({
      body: c,
      idempotencyKey: c.commandId,
      groupId: c.accountId,
      correlationId: signalKey,
    })),
  );
  await deps.signals.markStatus(signalKey, 'fanned-out', commands.length);
  return { commands: commands.length };
}
