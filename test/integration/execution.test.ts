// Execution against DynamoDB Local and the paper exchange: each command opens its position exactly
// once (after a lost reply, a crash, a concurrent run), refuses what it must not open, and leaves
// each position under its owner only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidCursor } from '../../shared/adapters/dynamodb/position-repository.js';
import { ingestSignal } from '../../shared/app/ingest-signal.js';
import type { ExecutionCommand } from '../../shared/app/messages.js';
import { clientOrderIdFor, openPositionForSignal, positionIdFor } from '../../shared/app/open-position.js';
import { dec } from '../../shared/core/money/decimal.js';
import { positionFigures } from '../../shared/core/positions/position.js';
import type { Signal } from '../../shared/core/signals/signal.js';
import { ExchangeError, type ExchangeGateway } from '../../shared/ports/exchange-gateway.js';
import type { TradingAccount } from '../../shared/ports/repositories.js';
import { type LocalServices, startLocalServices } from '../support/local-services.js';
import {
  clock,
  commandFor,
  gatewayWith,
  houseSignal,
  market,
  type Pipeline,
  paperAccount,
  pipelineOn,
} from '../support/pipeline-fixture.js';

let services: LocalServices;
let p: Pipeline;
const alice = paperAccount('u-a', 'acc-a');
const bob = paperAccount('u-b', 'acc-b', { baseOrderQuote: '50' });

beforeAll(async () => {
  services = await startLocalServices();
  p = pipelineOn(services);
  await p.openAccounts([alice, bob]);
});
afterAll(async () => {
  await services?.stop();
});

/** Stores the signal and runs its command for the account, as the execution queue would. */
async function execute(
  s: Signal,
  account: TradingAccount,
  options: { exchangeFor?: (a: TradingAccount) => ExchangeGateway; now?: Date } = {},
) {
  await ingestSignal({ ...p.repos(), queue: p.publisher(), clock }, s);
  const command: ExecutionCommand = commandFor(s.signalId, account);
  const runClock = { now: () => options.now ?? clock.now() };
  const outcome = await openPositionForSignal(
    { ...p.repos(), exchangeFor: options.exchangeFor ?? p.exchangeFor, clock: runClock },
    command,
  );
  const position = await p.repos().positions.get(account.userId, positionIdFor(command.commandId));
  return { command, outcome, position };
}

describe('execution', () => {
  it('opens a position with a filled base order and a resting take-profit, and a rerun changes nothing', async () => {
    const s = houseSignal('exe-1');
    const { command, outcome, position } = await execute(s, alice);
    expect(outcome).toMatchObject({ outcome: 'opened', status: 'open' });
    const again = await openPositionForSignal({ ...p.repos(), exchangeFor: p.exchangeFor, clock }, command);
    expect(again).toMatchObject({ outcome: 'already-done' });
    if (!position) throw new Error('position missing');
    expect(position.orders.map((o) => [o.kind, o.status])).toEqual([
      ['base', 'filled'],
      ['take-profit', 'open'],
    ]);
    expect(dec(positionFigures(position).openAmount).gt(0)).toBe(true);
    expect(position.takeProfitPrice).toBe(s.targets[0]?.price);
  });

  it('after a lost reply from the exchange, the retry finds the order and places exactly one', async () => {
    let sent = 0;
    // The exchange accepts the base order, then the reply is lost on the way back.
    const lossy = (account: TradingAccount) => {
      const real = p.exchangeFor(account);
      return gatewayWith(real, {
        createOrder: async (request) => {
          sent++;
          await real.createOrder(request);
          throw new Error('socket hang up');
        },
      });
    };
    await expect(execute(houseSignal('exe-2'), bob, { exchangeFor: lossy })).rejects.toThrow(
      'socket hang up',
    );
    const { command, outcome, position } = await execute(houseSignal('exe-2'), bob);
    expect(outcome).toMatchObject({ outcome: 'opened' });
    expect(sent).toBe(1);
    const base = await p
      .exchangeFor(bob)
      .fetchOrderByClientId('BTC/USDT', clientOrderIdFor(positionIdFor(command.commandId), 'b'));
    expect(base?.status).toBe('filled');
    expect(position?.fills).toHaveLength(1);
    const usdt = (await p.exchangeFor(bob).fetchBalances()).find((b) => b.currency === 'USDT');
    expect(dec(usdt?.free ?? '0').gt(900)).toBe(true); // charged for one base order of 50, not two
  });

  it('two concurrent runs of one command open one position with one base order', async () => {
    await ingestSignal({ ...p.repos(), queue: p.publisher(), clock }, houseSignal('exe-3'));
    const command = commandFor('exe-3', alice);
    const run = { ...p.repos(), exchangeFor: p.exchangeFor, clock };
    const results = await Promise.allSettled([
      openPositionForSignal(run, command),
      openPositionForSignal(run, command),
    ]);
    // One may lose the version race (it would be retried by SQS); never two positions or two fills.
    expect(results.some((r) => r.status === 'fulfilled')).toBe(true);
    await openPositionForSignal(run, command);
    const position = await p.repos().positions.get('u-a', positionIdFor(command.commandId));
    expect(position?.fills).toHaveLength(1);
    expect(position?.orders).toHaveLength(2);
  });

  it('fails the position, without retrying, when the account cannot pay for the base order', async () => {
    const poor = paperAccount('u-p', 'acc-p', { baseOrderQuote: '5000' });
    await p.openAccounts([poor], '10');
    const { outcome, position } = await execute(houseSignal('exe-4'), poor);
    expect(outcome).toMatchObject({
      outcome: 'failed',
      reason: expect.stringContaining('insufficient-funds'),
    });
    expect(position?.status).toBe('failed');
  });

  it('keeps the position open and records it unprotected when the exchange refuses its take-profit', async () => {
    const refusesLimits = (account: TradingAccount) => {
      const real = p.exchangeFor(account);
      return gatewayWith(real, {
        createOrder: async (request) => {
          if (request.type === 'limit')
            throw new ExchangeError('invalid-order', 'price outside the allowed band');
          return real.createOrder(request);
        },
      });
    };
    const { outcome, position } = await execute(houseSignal('exe-tp'), alice, { exchangeFor: refusesLimits });
    expect(outcome).toMatchObject({
      outcome: 'opened-unprotected',
      reason: 'invalid-order: price outside the allowed band',
    });
    expect(position?.status).toBe('open');
    expect(position?.orders.map((o) => [o.kind, o.status])).toEqual([
      ['base', 'filled'],
      ['take-profit', 'rejected'],
    ]);
    expect(position?.events.some((e) => e.type === 'OrderRejected')).toBe(true);
  });
});

describe('execution refuses to open what it must not', () => {
  it('skips an account whose auto-trading was switched off after fan-out, and opens nothing', async () => {
    const off = paperAccount('u-off', 'acc-off', { autoTrade: false });
    await p.openAccounts([off]);
    const { outcome, position } = await execute(houseSignal('ref-off'), off);
    expect(outcome).toEqual({ outcome: 'skipped', reason: 'auto-trading is off for this account' });
    expect(position).toBeNull();
  });

  it('skips a market signal executed more than ten minutes after it arrived', async () => {
    const late = new Date(clock.now().getTime() + 11 * 60_000);
    const { outcome, position } = await execute(houseSignal('ref-stale'), alice, { now: late });
    expect(outcome).toMatchObject({ outcome: 'skipped', reason: expect.stringContaining('660 s old') });
    expect(position).toBeNull();
  });

  it('never buys a limit entry at market', async () => {
    const price = dec(market.candleAt('BTC/USDT', clock.now()).close);
    const limit = houseSignal('ref-limit', {
      entry: { type: 'limit', price: price.times('0.98').round(2).toFixed() },
      targets: [{ price: price.toFixed() }],
      stopLoss: price.times('0.9').round(2).toFixed(),
    });
    const { outcome, position } = await execute(limit, alice);
    expect(outcome).toEqual({ outcome: 'skipped', reason: 'limit entries are not executed yet' });
    expect(position).toBeNull();
  });

  it('skips a market signal whose target is already below the market price for a long', async () => {
    const price = dec(market.candleAt('BTC/USDT', clock.now()).close);
    const behind = houseSignal('ref-behind', {
      targets: [{ price: price.times('0.99').round(2).toFixed() }],
      stopLoss: undefined,
    });
    const { outcome, position } = await execute(behind, alice);
    expect(outcome).toMatchObject({
      outcome: 'skipped',
      reason: expect.stringContaining('must be above the entry'),
    });
    expect(position).toBeNull();
  });

  it('skips a symbol the exchange does not list, without retrying', async () => {
    const { outcome, position } = await execute(houseSignal('ref-unlisted', { symbol: 'DOGE/USDT' }), alice);
    expect(outcome).toMatchObject({ outcome: 'skipped', reason: expect.stringContaining('invalid-order') });
    expect(position).toBeNull();
  });
});

describe('positions by owner', () => {
  it('lists positions only under their owner, and refuses a cursor forged from another user or malformed', async () => {
    const { positions } = p.repos();
    const mine = await positions.listForUser('u-a', { limit: 50 });
    expect(mine.items.length).toBeGreaterThan(0);
    expect(mine.items.every((x) => x.userId === 'u-a')).toBe(true);
    const cursor = (key: object) => Buffer.from(JSON.stringify(key)).toString('base64url');
    for (const bad of [
      cursor({ pk: 'USER#u-a', sk: 'POS#zzz' }),
      'abc',
      cursor({ pk: 'USER#u-b', sk: 'POS#a', x: 1 }),
    ]) {
      await expect(positions.listForUser('u-b', { limit: 50, cursor: bad })).rejects.toBeInstanceOf(
        InvalidCursor,
      );
    }
  });
});
