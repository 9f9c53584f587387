import Big from 'big.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PaperEngine } from '../../../shared/core/paper/engine.js';
import type { PaperOrderRequest, PaperTrade } from '../../../shared/core/paper/engine-types.js';
import type { PaperFeeModel } from '../../../shared/core/paper/matching.js';

const SYMBOL = 'BTC/USDT';
const INITIAL = { USDT: '30000', BTC: '1' } as const;

/** Integer cents → decimal string, so every generated price is an exact decimal. */
const cents = (c: number) => `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`;

const side = fc.constantFrom('buy' as const, 'sell' as const);
const milli = fc.integer({ min: 1, max: 400 }); // amounts 0.001 … 0.4 BTC
const group = fc.constantFrom(undefined, 'g1', 'g2');
const action = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('bar' as const),
      gap: fc.integer({ min: -20_000, max: 20_000 }),
      move: fc.integer({ min: -60_000, max: 60_000 }),
      up: fc.nat({ max: 40_000 }),
      down: fc.nat({ max: 40_000 }),
      volume: fc.integer({ min: 0, max: 5_000 }),
    }),
  },
  fc.record({ kind: fc.constant('market' as const), side, size: milli, byQuote: fc.boolean() }),
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('resting' as const),
      type: fc.constantFrom('limit' as const, 'stop-market' as const, 'take-profit-market' as const),
      side,
      offset: fc.integer({ min: -40_000, max: 40_000 }),
      size: milli,
      group,
    }),
  },
  fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }),
);
type Action = typeof action extends fc.Arbitrary<infer A> ? A : never;

const feeModel: fc.Arbitrary<PaperFeeModel> = fc.record({
  takerFeeRate: fc.constantFrom('0', '0.001', '0.0075'),
  makerFeeRate: fc.constantFrom('0', '0.0002', '0.001'),
  slippageBps: fc.constantFrom(0, 5, 30),
});

function run(actions: readonly Action[], fees: PaperFeeModel) {
  const engine = new PaperEngine({
    markets: [
      {
        symbol: SYMBOL,
        base: 'BTC',
        quote: 'USDT',
        rules: { amountStep: '0.001', minAmount: '0.001', minNotional: '5' },
        priceTick: '0.01',
      },
    ],
    fees,
    balances: INITIAL,
  });
  const trades: PaperTrade[] = [];
  const placed: string[] = [];
  const negatives: string[] = [];
  let close = 2_000_000; // 20000.00
  let time = 0;
  for (const [i, a] of actions.entries()) {
    if (a.kind === 'bar') {
      const open = Math.max(100, close + a.gap);
      close = Math.max(100, open + a.move);
      const high = Math.max(open, close) + a.up;
      const low = Math.max(1, Math.min(open, close) - a.down);
      time += 60_000;
      const bar = {
        openTime: time,
        open: cents(open),
        high: cents(high),
        low: cents(low),
        close: cents(close),
      };
      trades.push(...engine.onCandle(SYMBOL, { ...bar, volume: String(a.volume / 1000) }));
    } else if (a.kind === 'cancel') {
      const id = placed[a.pick % Math.max(1, placed.length)];
      if (id !== undefined) engine.cancel(id);
    } else {
      const clientOrderId = `c${i}`;
      const amount = String(a.size / 1000);
      const request: PaperOrderRequest =
        a.kind === 'market'
          ? a.byQuote
            ? {
                symbol: SYMBOL,
                side: a.side,
                type: 'market',
                clientOrderId,
                quoteAmount: String(a.size * 20),
              }
            : { symbol: SYMBOL, side: a.side, type: 'market', clientOrderId, amount }
          : {
              symbol: SYMBOL,
              side: a.side,
              type: a.type,
              clientOrderId,
              amount,
              ...(a.type === 'limit'
                ? { price: cents(Math.max(1, close + a.offset)) }
                : { triggerPrice: cents(Math.max(1, close + a.offset)) }),
              ...(a.group === undefined ? {} : { ocoGroup: a.group }),
            };
      const result = engine.place(request);
      if (result.ok) {
        placed.push(clientOrderId);
        trades.push(...result.value.trades);
      }
    }
    for (const b of engine.balances()) {
      if (new Big(b.free).lt(0) || new Big(b.used).lt(0)) negatives.push(`${b.currency} after action ${i}`);
    }
  }
  return { engine, trades, placed, negatives };
}

const total = (engine: PaperEngine, currency: string) => {
  const row = engine.balances().find((b) => b.currency === currency);
  return row ? new Big(row.free).plus(row.used) : new Big(0);
};

const scenario = fc.tuple(fc.array(action, { minLength: 5, maxLength: 80, size: 'medium' }), feeModel);

describe('paper engine properties', () => {
  it('never lets a free or reserved balance go negative', () => {
    fc.assert(
      fc.property(scenario, ([actions, fees]) => {
        expect(run(actions, fees).negatives).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('changes each currency exactly by the fills: quote by cost and fee, base by amount', () => {
    fc.assert(
      fc.property(scenario, ([actions, fees]) => {
        const { engine, trades } = run(actions, fees);
        let quote = new Big(INITIAL.USDT);
        let base = new Big(INITIAL.BTC);
        for (const t of trades) {
          const sign = t.side === 'buy' ? 1 : -1;
          quote = quote.minus(new Big(t.cost).times(sign)).minus(t.fee);
          base = base.plus(new Big(t.amount).times(sign));
        }
        expect(total(engine, 'USDT').eq(quote), `USDT ${total(engine, 'USDT')} ≠ ${quote}`).toBe(true);
        expect(total(engine, 'BTC').eq(base), `BTC ${total(engine, 'BTC')} ≠ ${base}`).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps each order within its amount, its trades summing to its filled amount', () => {
    fc.assert(
      fc.property(scenario, ([actions, fees]) => {
        const { engine, trades, placed } = run(actions, fees);
        for (const id of placed) {
          const order = engine.orderByClientId(id);
          if (!order) throw new Error(`lost order ${id}`);
          const own = trades.filter((t) => t.clientOrderId === id);
          const sum = own.reduce((s, t) => s.plus(t.amount), new Big(0));
          expect(new Big(order.filled).lte(order.amount)).toBe(true);
          expect(sum.eq(order.filled)).toBe(true);
          expect(order.trades.map((t) => t.tradeId)).toEqual(own.map((t) => t.tradeId));
          if (order.status === 'filled') expect(order.filled).toBe(order.amount);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('releases every reservation once all open orders are cancelled', () => {
    fc.assert(
      fc.property(scenario, ([actions, fees]) => {
        const { engine } = run(actions, fees);
        for (const o of engine.openOrders()) engine.cancel(o.clientOrderId);
        expect(engine.balances().filter((b) => b.used !== '0')).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('is deterministic: the same inputs give the same fills and balances', () => {
    fc.assert(
      fc.property(scenario, ([actions, fees]) => {
        const a = run(actions, fees);
        const b = run(actions, fees);
        expect(b.trades).toEqual(a.trades);
        expect(b.engine.balances()).toEqual(a.engine.balances());
      }),
      { numRuns: 100 },
    );
  });
});
