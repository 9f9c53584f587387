import { describe, expect, it } from 'vitest';
import { dealFigures } from '../../../shared/core/dca/deal.js';
import { cancelled, DealDriver, dealConfig, placed } from './deal-fixture.js';

describe('DCA deal: races and bookkeeping', () => {
  it('books a fill that raced its cancel and resizes the exits to what is really open', () => {
    const d = new DealDriver(dealConfig({ stopLossPercent: '5' }));
    d.fill('d1-b', '100');
    d.fill('d1-s1', '99'); // tp1 and sl2 replaced by tp3 and sl4 for 3.02
    d.fill('d1-tp1', '101', { amount: '0.5', done: false }); // the old take-profit had partly filled
    expect(d.deal.events).toContainEqual(expect.objectContaining({ type: 'OrderFilled', late: true }));
    expect(dealFigures(d.deal).openAmount).toBe('2.52');
    expect(cancelled(d.commands)).toEqual(['d1-tp3', 'd1-sl4']);
    expect(placed(d.commands)).toEqual([
      expect.objectContaining({ kind: 'take-profit', amount: '2.52', price: '100.33' }),
      expect.objectContaining({ kind: 'stop-loss', amount: '2.52', triggerPrice: '94.37' }),
    ]);
  });

  it('skips a refused safety order and keeps the deal going', () => {
    const d = new DealDriver(dealConfig({ maxSafetyOrders: 2, maxActiveSafetyOrders: 1 }));
    d.fill('d1-b', '100');
    d.apply({ type: 'rejected', clientOrderId: 'd1-s1', reason: 'insufficient-funds', at: 1 });
    expect(d.commands).toEqual([]);
    expect(d.deal.status).toBe('open');
    expect(d.resting().map((o) => o.clientOrderId)).toEqual(['d1-tp1']);
  });

  it('watches a stop the exchange dropped', () => {
    const d = new DealDriver(dealConfig({ stopLossPercent: '5' }));
    d.fill('d1-b', '100');
    d.apply({ type: 'cancelled', clientOrderId: 'd1-sl2', at: 1 });
    expect(d.deal.stop).toMatchObject({ price: '95', clientOrderId: undefined, watchedBecause: 'cancelled' });
    d.price('94');
    expect(placed(d.commands)).toEqual([expect.objectContaining({ kind: 'exit', amount: '1' })]);
  });

  it('acknowledgements of its own cancels change nothing', () => {
    const d = new DealDriver(dealConfig({ stopLossPercent: '5' }));
    d.fill('d1-b', '100');
    d.fill('d1-s1', '99');
    const before = d.deal;
    expect(d.apply({ type: 'cancelled', clientOrderId: 'd1-tp1', at: 1 }).deal).toBe(before);
  });
});
