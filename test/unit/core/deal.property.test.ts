import type Big from 'big.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyDealEvent, type Deal, dealFigures, openDeal } from '../../../shared/core/dca/deal.js';
import type { DealCommand, DealConfig, DealEvent, DealOrder } from '../../../shared/core/dca/deal-types.js';
import { dcaParametersSchema } from '../../../shared/core/dca/params.js';
import { dec, floorToStep, str } from '../../../shared/core/money/decimal.js';
import { canTransition, TERMINAL_STATUSES } from '../../../shared/core/positions/position.js';
import { rules } from './deal-fixture.js';

const configArb: fc.Arbitrary<DealConfig> = fc
  .record({
    dealId: fc.stringMatching(/^[A-Za-z0-9-]{1,24}$/),
    side: fc.constantFrom('long' as const, 'short' as const),
    maxSafetyOrders: fc.integer({ min: 0, max: 4 }),
    maxActive: fc.integer({ min: 1, max: 3 }),
    stop: fc.option(fc.constantFrom('average-entry' as const, 'base-price' as const), { nil: undefined }),
    timeout: fc.constantFrom(0, 0, 30),
    trailing: fc.boolean(),
    targets: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
    stopMove: fc.constantFrom(
      'none' as const,
      'break-even' as const,
      'moving-target' as const,
      'moving-2-target' as const,
    ),
    trailingStop: fc.boolean(),
  })
  .map((c) => {
    const sign = c.side === 'long' ? 1 : -1;
    return {
      dealId: c.dealId,
      symbol: 'BTC/USDT',
      rules,
      params: dcaParametersSchema.parse({
        side: c.side,
        market: c.side === 'short' ? 'futures' : 'spot',
        baseOrderQuote: '100',
        safetyOrderQuote: '50',
        priceDeviationPercent: '2',
        maxSafetyOrders: c.maxSafetyOrders,
        maxActiveSafetyOrders: Math.min(c.maxActive, c.maxSafetyOrders),
        takeProfitPercent: '2',
        ...(c.trailing ? { trailingTakeProfit: { activationPercent: '2', deviationPercent: '1' } } : {}),
        ...(c.stop === undefined ? {} : { stopLossPercent: '10', stopLossFrom: c.stop }),
        stopLossTimeoutSeconds: c.stop === undefined ? 0 : c.timeout,
      }),
      ...(c.targets === undefined
        ? {}
        : {
            progressive: {
              targets: Array.from({ length: c.targets }, (_, i) => ({
                price: String(100 + sign * 2 * (i + 1)),
              })),
              stopMove: c.stopMove,
              ...(c.trailingStop ? { trailingStopPercent: '1.5' } : {}),
            },
          }),
    };
  });

/** What the exchange may do next; `pick` chooses among the orders resting on it. */
const actionArb = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.record({
      kind: fc.constant('fill' as const),
      pick: fc.nat(),
      tenths: fc.integer({ min: 1, max: 14 }),
      fee: fc.boolean(),
      // A buy's fee charged in base (Binance spot): the buyer receives the amount less the fee.
      feeInBase: fc.boolean(),
    }),
  },
  {
    weight: 8,
    arbitrary: fc.record({ kind: fc.constant('price' as const), move: fc.integer({ min: -6, max: 6 }) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reject' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('close' as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('replay' as const), pick: fc.nat() }) },
);
type Action = typeof actionArb extends fc.Arbitrary<infer T> ? T : never;

/**
 * A sequential exchange: carries out each step's commands before the next event, so it never fills
 * an order the deal cancelled; fills at the order's own price (the market price for market orders).
 */
class Exchange {
  readonly resting = new Map<string, { order: DealOrder; remaining: Big | null }>();
  readonly seen: DealEvent[] = [];
  price = dec(100);
  clock = 0;
  trades = 0;

  carryOut(commands: readonly DealCommand[]): void {
    for (const c of commands) {
      if (c.type === 'cancel') this.resting.delete(c.clientOrderId);
      else
        this.resting.set(c.order.clientOrderId, {
          order: c.order,
          remaining: c.order.amount === undefined ? null : dec(c.order.amount),
        });
    }
  }

  event(action: Action): DealEvent | undefined {
    this.clock += 20_000;
    const at = this.clock;
    const orders = [...this.resting.values()];
    const chosen = 'pick' in action && orders.length > 0 ? orders[action.pick % orders.length] : undefined;
    switch (action.kind) {
      case 'price':
        this.price = dec(Math.max(50, Math.min(150, Number(this.price) + action.move)));
        return { type: 'price', price: str(this.price), at };
      case 'close':
        return { type: 'close-requested', reason: 'test', at };
      case 'replay':
        return this.seen.length === 0 ? undefined : this.seen[action.pick % this.seen.length];
      case 'cancel':
      case 'reject':
        if (chosen === undefined) return undefined;
        this.resting.delete(chosen.order.clientOrderId);
        return action.kind === 'cancel'
          ? { type: 'cancelled', clientOrderId: chosen.order.clientOrderId, at }
          : { type: 'rejected', clientOrderId: chosen.order.clientOrderId, reason: 'test', at };
      case 'fill': {
        if (chosen === undefined) return undefined;
        const { order } = chosen;
        const price = dec(order.price ?? order.triggerPrice ?? this.price);
        const whole =
          chosen.remaining ?? floorToStep(dec(order.quoteAmount ?? '0').div(price), rules.amountStep);
        // Tenths above 10 fill the whole order, so most fills complete it.
        const part = floorToStep(whole.times(Math.min(action.tenths, 10)).div(10), rules.amountStep);
        const amount = part.gt(0) ? part : whole;
        const done = amount.eq(whole);
        if (done) this.resting.delete(order.clientOrderId);
        else chosen.remaining = whole.minus(amount);
        const cost = amount.times(price);
        const baseFee = action.fee && action.feeInBase && order.side === 'buy';
        this.trades += 1;
        const event: DealEvent = {
          type: 'filled',
          clientOrderId: order.clientOrderId,
          tradeId: `T${this.trades}`,
          price: str(price),
          amount: str(amount),
          cost: str(cost),
          fee: baseFee ? str(amount.times('0.001')) : action.fee ? str(cost.times('0.001')) : '0',
          ...(baseFee ? { feeCurrency: 'base' as const } : {}),
          at,
          orderDone: done,
        };
        this.seen.push(event);
        return event;
      }
    }
  }
}

/** Runs a deal through the exchange; `check` sees every step. */
function run(
  config: DealConfig,
  actions: readonly Action[],
  check: (deal: Deal, before: Deal, commands: readonly DealCommand[], event: DealEvent) => void,
): Deal {
  const exchange = new Exchange();
  const opened = openDeal(config, '100', 0);
  let deal = opened.deal;
  exchange.carryOut(opened.commands);
  for (const action of actions) {
    const event = exchange.event(action);
    if (event === undefined) continue;
    const step = applyDealEvent(deal, event);
    check(step.deal, deal, step.commands, event);
    deal = step.deal;
    exchange.carryOut(step.commands);
  }
  return deal;
}

const actionsArb = fc.array(actionArb, { minLength: 1, maxLength: 60 });
const RUNS = { numRuns: 300 };

describe('DCA deal properties', () => {
  it('never leaves a terminal state, and every status change is in the transition table', () => {
    fc.assert(
      fc.property(configArb, actionsArb, (config, actions) => {
        run(config, actions, (deal, before, commands) => {
          if (TERMINAL_STATUSES.includes(before.status)) {
            expect(deal).toBe(before);
            expect(commands).toEqual([]);
          }
          for (const e of deal.events.slice(before.events.length)) {
            if (e.type === 'StatusChanged') expect(canTransition(e.from, e.to)).toBe(true);
          }
        });
      }),
      RUNS,
    );
  });

  it('conserves PnL: realized − direction × open cost − open entry fees = net quote flow, exactly', () => {
    fc.assert(
      fc.property(configArb, actionsArb, (config, actions) => {
        const direction = config.params.side === 'long' ? 1 : -1;
        const entrySide = direction === 1 ? 'buy' : 'sell';
        run(config, actions, (deal) => {
          const f = dealFigures(deal);
          // The cash flow recomputed here from the fills, independently of the deal's ledger.
          // A fee charged in base moves no quote.
          const flow = deal.fills.reduce((sum, fill) => {
            const signed = fill.side === 'sell' ? dec(fill.cost) : dec(fill.cost).neg();
            return sum.plus(signed).minus(fill.feeCurrency === 'base' ? 0 : fill.fee);
          }, dec(0));
          const reconciled = dec(f.realizedPnl)
            .minus(dec(f.openCost).times(direction))
            .minus(f.openEntryFees);
          expect(str(reconciled)).toBe(str(flow));
          expect(f.netQuoteFlow).toBe(str(flow));
          // What the entries brought in: a base fee leaves a long with less, a short owing more.
          const entered = deal.fills
            .filter((x) => x.side === entrySide)
            .reduce(
              (s, x) => s.plus(x.amount).minus(x.feeCurrency === 'base' ? dec(x.fee).times(direction) : 0),
              dec(0),
            );
          expect(f.entryAmount).toBe(str(entered));
          expect(str(dec(f.entryAmount).minus(f.exitAmount))).toBe(f.openAmount);
        });
      }),
      RUNS,
    );
  });

  it('never exits more than it entered, and never asks to', () => {
    fc.assert(
      fc.property(configArb, actionsArb, (config, actions) => {
        run(config, actions, (deal, _before, commands) => {
          const f = dealFigures(deal);
          expect(dec(f.exitAmount).lte(f.entryAmount)).toBe(true);
          const open = dec(f.openAmount);
          for (const c of commands) {
            if (c.type === 'place' && c.order.kind !== 'base' && c.order.kind !== 'safety') {
              expect(dec(c.order.amount ?? '0').lte(open)).toBe(true);
            }
          }
          // Take-profit legs resting together never add up to more than is open.
          const legs = Object.values(deal.orders).filter(
            (o) => o.status === 'open' && o.order.kind === 'take-profit',
          );
          const legTotal = legs.reduce((s, o) => s.plus(o.order.amount ?? '0').minus(o.filledAmount), dec(0));
          expect(legTotal.lte(open)).toBe(true);
        });
      }),
      RUNS,
    );
  });

  it('marks every exit-side order reduce-only and no entry-side order', () => {
    fc.assert(
      fc.property(configArb, actionsArb, (config, actions) => {
        run(config, actions, (_deal, _before, commands) => {
          for (const c of commands) {
            if (c.type !== 'place') continue;
            const entry = c.order.kind === 'base' || c.order.kind === 'safety';
            expect(c.order.reduceOnly).toBe(entry ? undefined : true);
          }
        });
      }),
      RUNS,
    );
  });

  it('gives every order a client order id of its own, within 36 characters', () => {
    fc.assert(
      fc.property(configArb, actionsArb, (config, actions) => {
        const ids = new Set<string>();
        const opened = openDeal(config, '100', 0);
        for (const c of opened.commands) if (c.type === 'place') ids.add(c.order.clientOrderId);
        run(config, actions, (_deal, _before, commands) => {
          for (const c of commands) {
            if (c.type !== 'place') continue;
            expect(ids.has(c.order.clientOrderId)).toBe(false);
            expect(c.order.clientOrderId).toMatch(/^[A-Za-z0-9-]{1,36}$/);
            ids.add(c.order.clientOrderId);
          }
        });
      }),
      RUNS,
    );
  });
});
