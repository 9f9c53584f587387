import { describe, expect, it } from 'vitest';
import { applyDealEvent, dealFigures, dealOrderIds, openDeal } from '../../../shared/core/dca/deal.js';
import { DcaPlanError } from '../../../shared/core/dca/plan-error.js';
import { cancelled, DealDriver, dealConfig, placed } from './deal-fixture.js';

describe('DCA deal: opening', () => {
  it('asks only for the base order on open, by quote for a spot long', () => {
    const d = new DealDriver(dealConfig({ stopLossPercent: '5' }));
    expect(d.deal.status).toBe('opening');
    expect(placed(d.commands)).toEqual([
      { clientOrderId: 'd1-b', kind: 'base', side: 'buy', orderType: 'market', quoteAmount: '100' },
    ]);
  });

  it('waits for a partial base fill to complete before placing anything', () => {
    const d = new DealDriver(dealConfig({ stopLossPercent: '5' }));
    d.fill('d1-b', '100', { amount: '0.4', done: false });
    expect(d.commands).toEqual([]);
    expect(d.deal.status).toBe('opening');
    d.fill('d1-b', '100', { amount: '0.6' });
    expect(d.deal.status).toBe('open');
    expect(placed(d.commands).map((o) => o.clientOrderId)).toEqual(['d1-s1', 'd1-tp1', 'd1-sl2']);
  });

  it('places the safety orders, the take-profit for the filled amount and the stop after the base fill', () => {
    const d = new DealDriver(dealConfig({ stopLossPercent: '5' }));
    d.fill('d1-b', '100');
    expect(placed(d.commands)).toEqual([
      {
        clientOrderId: 'd1-s1',
        kind: 'safety',
        level: 1,
        side: 'buy',
        orderType: 'limit',
        amount: '2.02',
        price: '99',
      },
      {
        clientOrderId: 'd1-tp1',
        kind: 'take-profit',
        side: 'sell',
        reduceOnly: true,
        orderType: 'limit',
        amount: '1',
        price: '101',
      },
      {
        clientOrderId: 'd1-sl2',
        kind: 'stop-loss',
        side: 'sell',
        reduceOnly: true,
        orderType: 'stop-market',
        amount: '1',
        triggerPrice: '95',
      },
    ]);
  });

  it('refuses a deal id that would not fit a client order id', () => {
    expect(() => openDeal(dealConfig({}, { dealId: 'x'.repeat(25) }), '100', 0)).toThrow(DcaPlanError);
    expect(() => openDeal(dealConfig({}, { dealId: 'has space' }), '100', 0)).toThrow(/dealId|deal id/);
  });

  it('keeps client order ids within 36 characters of [A-Za-z0-9-] for a 24-character deal id', () => {
    const id = 'a'.repeat(24);
    for (const suffix of [
      dealOrderIds.base(id),
      dealOrderIds.safety(id, 200),
      dealOrderIds.takeProfit(id, 2 ** 31 - 1),
      dealOrderIds.target(id, 20, 2 ** 31 - 1),
      dealOrderIds.stop(id, 2 ** 31 - 1),
      dealOrderIds.exit(id, 2 ** 31 - 1),
    ]) {
      expect(suffix).toMatch(/^[A-Za-z0-9-]{1,36}$/);
    }
  });
});

describe('DCA deal: safety orders', () => {
  it('recomputes and replaces the take-profit after each safety fill', () => {
    // BO 100 quote @ 100 → 1; SO 200 quote @ 99 → 2.02 (floored to 0.001), cost 199.98.
    // Average = 299.98 / 3.02 = 99.3311258…; TP = average × 1.01 = 100.3244… → 100.33 (tick, up).
    // Stop 5 % from the average = 94.3645… → 94.37 (tick, up: never risks more than 5 %).
    const d = new DealDriver(dealConfig({ stopLossPercent: '5' }));
    d.fill('d1-b', '100');
    d.fill('d1-s1', '99');
    expect(cancelled(d.commands)).toEqual(['d1-tp1', 'd1-sl2']);
    expect(placed(d.commands)).toEqual([
      expect.objectContaining({
        clientOrderId: 'd1-tp3',
        kind: 'take-profit',
        amount: '3.02',
        price: '100.33',
      }),
      expect.objectContaining({
        clientOrderId: 'd1-sl4',
        kind: 'stop-loss',
        amount: '3.02',
        triggerPrice: '94.37',
      }),
    ]);
    const figures = dealFigures(d.deal);
    expect(figures.averageEntry).toBe('99.331125827815');
    expect(figures.openAmount).toBe('3.02');
    expect(figures.safetyOrdersFilled).toBe(1);
    expect(d.deal.events).toContainEqual(
      expect.objectContaining({ type: 'TakeProfitReplaced', from: 'd1-tp1', to: 'd1-tp3', price: '100.33' }),
    );
  });

  it('keeps maxActive safety orders resting', () => {
    const d = new DealDriver(dealConfig({ maxSafetyOrders: 4, maxActiveSafetyOrders: 2 }));
    d.fill('d1-b', '100');
    expect(d.resting('safety').map((o) => o.price)).toEqual(['99', '98']);
    d.fill('d1-s1', '99');
    expect(d.resting('safety').map((o) => o.clientOrderId)).toEqual(['d1-s2', 'd1-s3']);
    d.fill('d1-s2', '98');
    expect(d.resting('safety').map((o) => o.clientOrderId)).toEqual(['d1-s3', 'd1-s4']);
    d.fill('d1-s3', '97');
    expect(d.resting('safety').map((o) => o.clientOrderId)).toEqual(['d1-s4']);
  });

  it('waits for a safety order to complete before moving the take-profit', () => {
    const d = new DealDriver(dealConfig());
    d.fill('d1-b', '100');
    d.fill('d1-s1', '99', { amount: '1', done: false });
    expect(d.commands).toEqual([]);
    d.fill('d1-s1', '99', { amount: '1.02' });
    expect(placed(d.commands)).toEqual([expect.objectContaining({ amount: '3.02', price: '100.33' })]);
  });

  it('keeps a stop measured from the base price where it is and resizes it to the open amount', () => {
    const d = new DealDriver(dealConfig({ stopLossPercent: '5', stopLossFrom: 'base-price' }));
    d.fill('d1-b', '100');
    d.fill('d1-s1', '99');
    expect(placed(d.commands)).toContainEqual(
      expect.objectContaining({ kind: 'stop-loss', amount: '3.02', triggerPrice: '95' }),
    );
  });
});

describe('DCA deal: exits', () => {
  it('closes on the take-profit and cancels the safety orders and the stop', () => {
    const d = new DealDriver(dealConfig({ stopLossPercent: '5' }));
    d.fill('d1-b', '100');
    d.fill('d1-tp1', '101');
    expect(cancelled(d.commands)).toEqual(['d1-s1', 'd1-sl2']);
    expect(d.deal.status).toBe('closed');
    const figures = dealFigures(d.deal);
    expect(figures).toMatchObject({ closeReason: 'take-profit', openAmount: '0', realizedPnl: '1' });
    expect(figures.dust).toBeUndefined();
  });

  it('re-places the take-profit remainder and the stop as a new pair after a partial take-profit fill', () => {
    // An exchange OCO drops the stop on the take-profit's first (partial) fill: both legs go again.
    const d = new DealDriver(dealConfig({ stopLossPercent: '5' }));
    d.fill('d1-b', '100');
    d.fill('d1-tp1', '101', { amount: '0.4', done: false });
    expect(cancelled(d.commands)).toEqual(['d1-tp1', 'd1-sl2']);
    expect(placed(d.commands)).toEqual([
      expect.objectContaining({ clientOrderId: 'd1-tp3', amount: '0.6', price: '101' }),
      expect.objectContaining({ clientOrderId: 'd1-sl4', amount: '0.6', triggerPrice: '95' }),
    ]);
    expect(d.resting('take-profit').map((o) => o.clientOrderId)).toEqual(['d1-tp3']);
    d.fill('d1-tp3', '101', { amount: '0.6' });
    expect(d.deal.status).toBe('closed');
  });

  it('closes on the stop-loss', () => {
    const d = new DealDriver(dealConfig({ stopLossPercent: '5' }));
    d.fill('d1-b', '100');
    d.fill('d1-sl2', '95');
    expect(cancelled(d.commands)).toEqual(['d1-s1', 'd1-tp1']);
    expect(dealFigures(d.deal)).toMatchObject({
      status: 'closed',
      closeReason: 'stop-loss',
      realizedPnl: '-5',
    });
  });

  it('the last exit sells the whole remaining amount and reports dust', () => {
    const d = new DealDriver(dealConfig());
    // The exchange filled a little more than a whole step, then half a safety order filled.
    d.fill('d1-b', '100', { amount: '1.0004' });
    expect(placed(d.commands)).toContainEqual(expect.objectContaining({ kind: 'take-profit', amount: '1' }));
    d.fill('d1-s1', '99', { amount: '0.5', done: false });
    d.fill('d1-tp1', '101');
    // What the take-profit did not cover leaves with one market exit, floored to the step.
    expect(cancelled(d.commands)).toEqual(['d1-s1']);
    expect(placed(d.commands)).toEqual([
      {
        clientOrderId: 'd1-x2',
        kind: 'exit',
        side: 'sell',
        reduceOnly: true,
        orderType: 'market',
        amount: '0.5',
      },
    ]);
    expect(d.deal.status).toBe('closing');
    d.fill('d1-x2', '100.5');
    const figures = dealFigures(d.deal);
    expect(figures).toMatchObject({ status: 'closed', closeReason: 'take-profit', dust: '0.0004' });
    expect(figures.openAmount).toBe('0.0004');
    expect(d.deal.events).toContainEqual(expect.objectContaining({ type: 'DustRecorded', amount: '0.0004' }));
  });

  it('ignores a fill seen twice', () => {
    const d = new DealDriver(dealConfig());
    d.fill('d1-b', '100', { tradeId: 'T1', amount: '0.5', done: false });
    const before = d.deal;
    const again = d.fill('d1-b', '100', { tradeId: 'T1', amount: '0.5', done: false });
    expect(again.deal).toBe(before);
    expect(again.commands).toEqual([]);
    expect(dealFigures(d.deal).openAmount).toBe('0.5');
  });

  it('events after closing change nothing', () => {
    const d = new DealDriver(dealConfig({ stopLossPercent: '5' }));
    d.fill('d1-b', '100');
    d.fill('d1-tp1', '101');
    const closed = d.deal;
    for (const event of [
      { type: 'price', price: '50', at: 10_000 },
      { type: 'close-requested', reason: 'kill switch', at: 10_000 },
      { type: 'rejected', clientOrderId: 'd1-sl2', reason: 'late', at: 10_000 },
      { type: 'cancelled', clientOrderId: 'd1-s1', at: 10_000 },
      {
        type: 'filled',
        clientOrderId: 'd1-s1',
        tradeId: 'late',
        price: '99',
        amount: '2.02',
        cost: '199.98',
        fee: '0',
        at: 10_000,
        orderDone: true,
      },
    ] as const) {
      const step = applyDealEvent(closed, event);
      expect(step.deal).toBe(closed);
      expect(step.commands).toEqual([]);
    }
  });

  it('ignores events for orders it never placed', () => {
    const d = new DealDriver(dealConfig());
    const before = d.deal;
    expect(d.apply({ type: 'cancelled', clientOrderId: 'other-b', at: 1 }).deal).toBe(before);
    expect(d.apply({ type: 'cancelled', clientOrderId: 'constructor', at: 1 }).deal).toBe(before);
  });
});

describe('DCA deal: shorts mirror longs', () => {
  it('sells to enter, buys to exit, and moves the take-profit down after a safety fill above', () => {
    // Base: sell 1 @ 100. SO 200 quote @ 101 → 1.98 (floored), cost 199.98.
    // Average = 299.98 / 2.98 = 100.6644…; TP = average × 0.99 = 99.6577… → 99.65 (tick, down);
    // stop = average × 1.05 = 105.6976… → 105.69 (tick, down).
    const d = new DealDriver(dealConfig({ side: 'short', market: 'futures', stopLossPercent: '5' }));
    expect(placed(d.commands)).toEqual([
      { clientOrderId: 'd1-b', kind: 'base', side: 'sell', orderType: 'market', amount: '1' },
    ]);
    d.fill('d1-b', '100');
    expect(placed(d.commands)).toEqual([
      expect.objectContaining({ kind: 'safety', side: 'sell', price: '101', amount: '1.98' }),
      expect.objectContaining({ kind: 'take-profit', side: 'buy', price: '99', amount: '1' }),
      expect.objectContaining({ kind: 'stop-loss', side: 'buy', triggerPrice: '105', amount: '1' }),
    ]);
    d.fill('d1-s1', '101');
    expect(placed(d.commands)).toEqual([
      expect.objectContaining({ kind: 'take-profit', side: 'buy', price: '99.65', amount: '2.98' }),
      expect.objectContaining({ kind: 'stop-loss', side: 'buy', triggerPrice: '105.69', amount: '2.98' }),
    ]);
    d.fill('d1-tp3', '99.65');
    // (100 + 199.98) − 2.98 × 99.65 = 299.98 − 296.957 = 3.023
    expect(dealFigures(d.deal)).toMatchObject({
      status: 'closed',
      closeReason: 'take-profit',
      realizedPnl: '3.023',
    });
  });
});
