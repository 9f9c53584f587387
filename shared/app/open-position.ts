// Execution of one command: open the signal's position on one account. Each step is resumable: the
// position is created once (deterministic id), each order has a deterministic client order id and is
// looked up before it is ever sent, and every stored change is conditional on the version read.
// A function that dies at any line is retried by SQS and finishes the work without doubling it.
import { createHash } from 'node:crypto';
import { type DecimalString, dec, floorToStep, str } from '../core/money/decimal.js';
import {
  type Fill,
  type Position,
  planPosition,
  positionFigures,
  recordFill,
  recordOrderPlaced,
  TERMINAL_STATUSES,
  transition,
} from '../core/positions/position.js';
import { signalConsistencyErrors } from '../core/signals/signal.js';
import type { Clock } from '../ports/clock.js';
import { ExchangeError, type ExchangeGateway, type ExchangeOrder } from '../ports/exchange-gateway.js';
import type {
  PositionRepository,
  SignalRepository,
  StoredSignal,
  TradingAccount,
  TradingAccountRepository,
} from '../ports/repositories.js';
import type { ExecutionCommand } from './messages.js';

export interface ExecutionDeps {
  readonly signals: SignalRepository;
  readonly accounts: TradingAccountRepository;
  readonly positions: PositionRepository;
  /** Async where the account's key must be opened first (exchange accounts). */
  readonly exchangeFor: (account: TradingAccount) => ExchangeGateway | Promise<ExchangeGateway>;
  readonly clock: Clock;
}

export type ExecutionOutcome =
  | {
      readonly outcome: 'opened' | 'already-done';
      readonly positionId: string;
      readonly status: Position['status'];
    }
  | {
      readonly outcome: 'failed' | 'opened-unprotected';
      readonly positionId: string;
      readonly reason: string;
    }
  | { readonly outcome: 'skipped'; readonly reason: string };

export class SignalMissing extends Error {
  override readonly name = 'SignalMissing';
}

function digest(text: string, length: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

export function positionIdFor(commandId: string): string {
  return `pos_${digest(commandId, 24)}`;
}

/** ≤ 36 characters of [a-z0-9-]: fits Binance, Bybit, Phemex and Kraken Futures client id rules. */
export function clientOrderIdFor(positionId: string, step: 'b' | 'tp1'): string {
  return `vz-${digest(positionId, 20)}-${step}`;
}

/**
 * The order's trades as position fills. A fee in the base asset (Binance and Bybit spot buys) is
 * recorded as such, so the take-profit sells what is held, not what was bought. A fee in a third
 * currency (BNB) touches neither side of the pair and has no quote price here: it is left out.
 */
function fillsOf(order: ExchangeOrder, symbol: string): Fill[] {
  const [base = '', quoteAndSettle = ''] = symbol.split('/');
  const quote = quoteAndSettle.split(':')[0] ?? '';
  return order.trades.map((t) => {
    const inBase = t.feeCurrency === base && base !== '';
    const inQuote = t.feeCurrency === quote || t.feeCurrency === 'quote' || t.feeCurrency === '';
    return {
      tradeId: t.tradeId,
      clientOrderId: order.clientOrderId,
      side: order.side,
      price: t.price,
      amount: t.amount,
      cost: t.cost,
      fee: inBase || inQuote ? t.fee : '0',
      feeCurrency: inBase ? 'base' : 'quote',
      at: t.at,
    };
  });
}

/** A market entry this much later than its signal arrived is stale: the price it was meant for is gone. */
export const MAX_SIGNAL_AGE_MS = 10 * 60_000;

/**
 * Why a new position must not be opened for this command, or null. Checked only before the position
 * exists: once it does, an order may already be on the exchange and the work must be finished.
 */
async function refusalBeforeOpening(
  deps: ExecutionDeps,
  account: TradingAccount,
  stored: StoredSignal,
): Promise<string | null> {
  const { signal } = stored;
  if (!account.autoTrade) return 'auto-trading is off for this account';
  const ageMs = deps.clock.now().getTime() - Date.parse(stored.receivedAt);
  if (ageMs > MAX_SIGNAL_AGE_MS) return `the signal is ${Math.round(ageMs / 1000)} s old`;
  // Limit entries need the DCA deal engine on this path (next step); never buy them at market.
  if (signal.entry.type !== 'market') return 'limit entries are not executed yet';
  const ticker = await (await deps.exchangeFor(account)).fetchTicker(signal.symbol);
  const inconsistent = signalConsistencyErrors(signal, ticker.last);
  if (inconsistent.length > 0) return `at the market price ${ticker.last}: ${inconsistent.join('; ')}`;
  return null;
}

export async function openPositionForSignal(
  deps: ExecutionDeps,
  command: ExecutionCommand,
): Promise<ExecutionOutcome> {
  const account = await deps.accounts.get(command.userId, command.accountId);
  if (!account) return { outcome: 'skipped', reason: 'the exchange account no longer exists' };
  const stored = await deps.signals.get(command.signalKey);
  if (!stored) throw new SignalMissing(`signal ${command.signalKey} is not stored`);
  const { signal } = stored;
  const target = signal.targets[0];
  if (!target) return { outcome: 'skipped', reason: 'the signal has no target' };
  const at = () => deps.clock.now().toISOString();
  const positionId = positionIdFor(command.commandId);

  if (!(await deps.positions.get(account.userId, positionId))) {
    let refusal: string | null;
    try {
      refusal = await refusalBeforeOpening(deps, account, stored);
    } catch (error) {
      if (!(error instanceof ExchangeError) || error.retryable) throw error;
      refusal = `${error.kind}: ${error.message}`;
    }
    if (refusal) return { outcome: 'skipped', reason: refusal };
  }

  let position = await deps.positions.createIfAbsent(
    planPosition({
      positionId,
      userId: account.userId,
      accountId: account.accountId,
      signalKey: command.signalKey,
      symbol: signal.symbol,
      side: signal.side,
      quoteAmount: account.baseOrderQuote,
      takeProfitPrice: target.price,
      stopLossPrice: signal.stopLoss,
      at: at(),
    }),
  );
  if (TERMINAL_STATUSES.includes(position.status) || position.orders.some((o) => o.kind === 'take-profit')) {
    return { outcome: 'already-done', positionId: position.positionId, status: position.status };
  }
  const save = async (next: Position) => {
    position = await deps.positions.update(next, position.version);
  };
  const fail = async (clientOrderId: string, error: ExchangeError): Promise<ExecutionOutcome> => {
    const failed = transition(position, 'failed', at());
    const reason = `${error.kind}: ${error.message}`;
    await save({
      ...failed,
      events: [...failed.events, { type: 'OrderRejected', at: at(), clientOrderId, reason }],
    });
    return { outcome: 'failed', positionId: position.positionId, reason };
  };
  let exchange: ExchangeGateway;
  try {
    exchange = await deps.exchangeFor(account);
  } catch (error) {
    if (error instanceof ExchangeError && !error.retryable && position.status === 'planned') {
      return fail(clientOrderIdFor(position.positionId, 'b'), error);
    }
    throw error;
  }

  // Step 1: the market base order.
  const baseId = clientOrderIdFor(position.positionId, 'b');
  if (position.status === 'planned') {
    await save(
      recordOrderPlaced(
        transition(position, 'opening', at()),
        {
          clientOrderId: baseId,
          kind: 'base',
          side: 'buy',
          type: 'market',
          quoteAmount: position.quoteAmount,
          status: 'placing',
        },
        at(),
      ),
    );
  }
  if (position.status === 'opening') {
    let order: ExchangeOrder;
    try {
      // The gateway looks the id up before sending: a redelivered command gets the same order back.
      order = await exchange.createOrder({
        symbol: signal.symbol,
        side: 'buy',
        type: 'market',
        clientOrderId: baseId,
        quoteAmount: position.quoteAmount,
        notBefore: Date.parse(position.createdAt),
      });
    } catch (error) {
      if (error instanceof ExchangeError && !error.retryable) return fail(baseId, error);
      throw error;
    }
    let next = position;
    for (const fill of fillsOf(order, signal.symbol)) next = recordFill(next, fill);
    await save(transition(next, 'open', at()));
  }

  // Step 2: one take-profit limit order for the whole amount.
  const tpId = clientOrderIdFor(position.positionId, 'tp1');
  const rules = await exchange.marketRules(signal.symbol);
  const amount: DecimalString = str(floorToStep(dec(positionFigures(position).openAmount), rules.amountStep));
  let tpOrder: ExchangeOrder;
  try {
    tpOrder = await exchange.createOrder({
      symbol: signal.symbol,
      side: 'sell',
      type: 'limit',
      clientOrderId: tpId,
      amount,
      price: position.takeProfitPrice,
      notBefore: Date.parse(position.createdAt),
    });
  } catch (error) {
    if (!(error instanceof ExchangeError) || error.retryable) throw error;
    // Retrying cannot help; the position stays open, recorded as unprotected, for a person or the monitor.
    const reason = `${error.kind}: ${error.message}`;
    await save(
      recordOrderPlaced(
        {
          ...position,
          events: [...position.events, { type: 'OrderRejected', at: at(), clientOrderId: tpId, reason }],
        },
        {
          clientOrderId: tpId,
          kind: 'take-profit',
          side: 'sell',
          type: 'limit',
          price: position.takeProfitPrice,
          amount,
          status: 'rejected',
        },
        at(),
      ),
    );
    return { outcome: 'opened-unprotected', positionId: position.positionId, reason };
  }
  await save(
    recordOrderPlaced(
      position,
      {
        clientOrderId: tpId,
        kind: 'take-profit',
        side: 'sell',
        type: 'limit',
        price: position.takeProfitPrice,
        amount: tpOrder.amount,
        status: 'open',
      },
      at(),
    ),
  );
  return { outcome: 'opened', positionId: position.positionId, status: position.status };
}
