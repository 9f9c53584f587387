// Review fixes: fees charged in the base asset, the ladder anchored at the base order's actual
// fill, and exit-side orders marked reduce-only.
import { describe, expect, it } from 'vitest';
import { dealFigures } from '../../../shared/core/dca/deal.js';
import { dealLedger } from '../../../shared/core/dca/deal-figures.js';
import type { DealFill } from '../../../shared/core/dca/deal-state.js';
import { str } from '../../../shared/core/money/decimal.js';
import { DealDriver, dealConfig, placed } from './deal-fixture.js';

/** ETH-like market: 0.1 base for 100 quote at 1000, on a 0.0001 step. */
const ethRules = { tickSize: '0.01', amountStep: '0.0001', minNotional: '5' };
const ethConfig = (input = {}) =>
  dealConfig({ maxSafetyOrders: 0, stopLossPercent: '5', ...input }, { rules: ethRules });

describe('DCA deal: fees charged in the base asset', () => {
  it('sizes the take-profit and the stop from what a base-fee entry left, not from the amount bought', () => {
    const d = new DealDriver(ethConfig(), '1000');
    d.fill('d1-b', '1000', { amount: '0.1', fee: '0.0001', feeCurrency: 'base' });
    const exits = placed(d.commands);
    expect(exits.map((o) => [o.kind, o.amount])).toEqual([
      ['take-profit', '0.0999'],
      ['stop-loss', '0.0999'],
    ]);
    // The average stays the fill's price; the fee (0.0001 × 1000) is an entry fee in quote.
    const f = dealFigures(d.deal);
    expect(f).toMatchObject({
      averageEntry: '1000',
      openAmount: '0.0999',
      entryAmount: '0.0999',
      openCost: '99.9',
      openEntryFees: '0.1',
      fees: '0.1',
      netQuoteFlow: '-100',
    });
    // The take-profit (1 % up) sells what is held: 0.0999 × 1010 = 100.899 against 100 paid.
    d.fill(exits[0]?.clientOrderId ?? '', '1010');
    const closed = dealFigures(d.deal);
    expect(closed.status).toBe('closed');
    expect(closed.openAmount).toBe('0');
    expect(closed.realizedPnl).toBe('0.899');
    expect(closed.netQuoteFlow).toBe('0.899');
  });

  it('treats a fill without a fee currency as a quote fee, as before', () => {
    const d = new DealDriver(ethConfig(), '1000');
    d.fill('d1-b', '1000', { amount: '0.1', fee: '0.1' });
    expect(placed(d.commands).map((o) => o.amount)).toEqual(['0.1', '0.1']);
    expect(dealFigures(d.deal)).toMatchObject({ openAmount: '0.1', openCost: '100', fees: '0.1' });
  });

  it("values a base fee on an exit at that fill's price, and conserves PnL", () => {
    const fill = (f: Partial<DealFill> & Pick<DealFill, 'side' | 'price' | 'amount' | 'cost'>): DealFill => ({
      clientOrderId: 'x',
      tradeId: `t${f.price}`,
      kind: f.side === 'buy' ? 'base' : 'take-profit',
      fee: '0',
      at: 0,
      ...f,
    });
    const ledger = dealLedger(
      [
        fill({ side: 'buy', price: '1000', amount: '0.2', cost: '200' }),
        fill({ side: 'sell', price: '1100', amount: '0.1', cost: '110', fee: '0.0001', feeCurrency: 'base' }),
      ],
      'long',
    );
    // The fee's 0.0001 base leaves the position too, worth 0.11 at the exit's price.
    expect(str(ledger.fees)).toBe('0.11');
    expect(str(ledger.openAmount)).toBe('0.0999');
    expect(str(ledger.exitAmount)).toBe('0.1001');
    // 0.1001 of the position (cost 100.1) went for 110 + 0.11, less the 0.11 fee.
    expect(str(ledger.realizedPnl)).toBe('9.9');
    expect(str(ledger.netQuoteFlow)).toBe('-90');
    expect(str(ledger.realizedPnl.minus(ledger.openCost).minus(ledger.openEntryFees))).toBe('-90');
  });
});

describe('DCA deal: the ladder anchors at the base order fill', () => {
  it("places the first safety order below the base order's actual fill, not the signal's price", () => {
    // 1 % deviation: basePrice 100, but the base order filled at 101 → 101 × 0.99 = 99.99.
    const d = new DealDriver(dealConfig(), '100');
    d.fill('d1-b', '101');
    const safety = placed(d.commands).find((o) => o.kind === 'safety');
    expect(safety?.price).toBe('99.99');
    expect(safety?.amount).toBe('2'); // 200 / 99.99 = 2.0002…, floored to the step
    expect(d.deal.plan.basePrice).toBe('101');
    expect(d.deal.plan.levels[1]?.price).toBe('99.99');
  });

  it('keeps the planned ladder when the base order fills at the planned price', () => {
    const d = new DealDriver(dealConfig(), '100');
    const before = d.deal.plan;
    d.fill('d1-b', '100');
    expect(d.deal.plan).toBe(before);
    expect(placed(d.commands).find((o) => o.kind === 'safety')?.price).toBe('99');
  });
});

describe('DCA deal: reduce-only exits', () => {
  it('marks every exit-side order reduce-only and leaves entry-side orders unmarked', () => {
    const d = new DealDriver(
      dealConfig(
        { stopLossPercent: '5' },
        { progressive: { targets: [{ price: '102' }, { price: '104' }], stopMove: 'break-even' } },
      ),
    );
    d.fill('d1-b', '100');
    d.fill('d1-s1', '99');
    const target = d.resting('take-profit')[0];
    d.fill(target?.clientOrderId ?? '', target?.price ?? '');
    d.apply({ type: 'close-requested', reason: 'test', at: d.tick() });
    const orders = placed(d.history);
    expect(new Set(orders.map((o) => o.kind))).toEqual(
      new Set(['base', 'safety', 'take-profit', 'stop-loss', 'exit']),
    );
    for (const o of orders) {
      expect(o.reduceOnly).toBe(o.kind === 'base' || o.kind === 'safety' ? undefined : true);
    }
  });
});
