import { describe, expect, it } from 'vitest';
import { dealFigures, dealWantsPrice } from '../../../shared/core/dca/deal.js';
import { cancelled, DealDriver, dealConfig, placed } from './deal-fixture.js';

describe('DCA deal: price events', () => {
  it('reports no need for prices with a resting take-profit and safety orders, and ignores them cheaply', () => {
    const d = new DealDriver(dealConfig({ stopLossPercent: '5', maxSafetyOrders: 1 }));
    expect(dealWantsPrice(d.deal)).toBe(false); // opening
    d.fill('d1-b', '100');
    expect(dealWantsPrice(d.deal)).toBe(false);
    const before = d.deal;
    const step = d.price('50');
    expect(step.deal).toBe(before);
    expect(step.commands).toEqual([]);
  });

  it('closes with a market exit on a trailing take-profit retrace', () => {
    // Activation at 2 % above the average (102), exit on a 1 % retrace from the best price since.
    const d = new DealDriver(
      dealConfig({ trailingTakeProfit: { activationPercent: '2', deviationPercent: '1' } }),
    );
    d.fill('d1-b', '100');
    expect(placed(d.commands).map((o) => o.kind)).toEqual(['safety']); // no take-profit rests
    expect(dealWantsPrice(d.deal)).toBe(true);
    const waiting = d.deal;
    expect(d.price('101.99').deal).toBe(waiting);
    d.price('102');
    expect(d.deal.trailingTakeProfit).toMatchObject({ extreme: '102', exitPrice: '100.98' });
    d.price('103');
    expect(d.deal.trailingTakeProfit).toMatchObject({ extreme: '103', exitPrice: '101.97' });
    const trailing = d.deal;
    expect(d.price('102').deal).toBe(trailing); // a retrace short of 1 %
    d.price('101.97');
    expect(cancelled(d.commands)).toEqual(['d1-s1']);
    expect(placed(d.commands)).toEqual([
      {
        clientOrderId: 'd1-x1',
        kind: 'exit',
        side: 'sell',
        reduceOnly: true,
        orderType: 'market',
        amount: '1',
      },
    ]);
    d.fill('d1-x1', '101.95');
    expect(dealFigures(d.deal)).toMatchObject({ status: 'closed', closeReason: 'trailing-take-profit' });
  });

  it('trails a short take-profit downwards and exits on a rise', () => {
    const d = new DealDriver(
      dealConfig({
        side: 'short',
        market: 'futures',
        trailingTakeProfit: { activationPercent: '2', deviationPercent: '1' },
      }),
    );
    d.fill('d1-b', '100');
    d.price('98');
    d.price('97');
    expect(d.deal.trailingTakeProfit).toMatchObject({ extreme: '97', exitPrice: '97.97' });
    d.price('97.96');
    expect(d.commands).toEqual([]);
    d.price('97.97');
    expect(placed(d.commands)).toEqual([expect.objectContaining({ kind: 'exit', side: 'buy', amount: '1' })]);
  });

  it('stop-loss timeout exits only after the price stays beyond the stop for the whole timeout', () => {
    const d = new DealDriver(dealConfig({ stopLossPercent: '5', stopLossTimeoutSeconds: 60 }));
    d.fill('d1-b', '100');
    // The exchange cannot time a stop: none rests, the deal watches the price at 95.
    expect(placed(d.commands).map((o) => o.kind)).toEqual(['safety', 'take-profit']);
    expect(dealWantsPrice(d.deal)).toBe(true);
    d.price('94', 10_000);
    d.price('96', 40_000); // back inside: the run is broken
    d.price('95', 50_000); // at the stop counts as beyond; a new run starts
    d.price('94', 100_000);
    expect(d.deal.status).toBe('open');
    expect(d.commands).toEqual([]);
    d.price('93', 110_000); // 60 s beyond without a break
    expect(cancelled(d.commands)).toEqual(['d1-s1', 'd1-tp1']);
    expect(placed(d.commands)).toEqual([expect.objectContaining({ kind: 'exit', amount: '1' })]);
    d.fill(placed(d.commands)[0]?.clientOrderId ?? '', '93');
    expect(dealFigures(d.deal).closeReason).toBe('stop-loss-timeout');
  });
});

describe('DCA deal: refused and dropped orders', () => {
  it('fails the deal when the base order is refused', () => {
    const d = new DealDriver(dealConfig());
    d.apply({ type: 'rejected', clientOrderId: 'd1-b', reason: 'insufficient-funds', at: 1 });
    expect(d.deal.status).toBe('failed');
    expect(dealFigures(d.deal).closeReason).toBe('base-order-rejected');
  });

  it('watches a refused stop itself and exits at market when the price reaches it', () => {
    const d = new DealDriver(dealConfig({ stopLossPercent: '5' }));
    d.fill('d1-b', '100');
    d.apply({ type: 'rejected', clientOrderId: 'd1-sl2', reason: 'insufficient-funds', at: 1 });
    expect(d.deal.events).toContainEqual(
      expect.objectContaining({ type: 'StopWatched', reason: 'rejected' }),
    );
    expect(dealWantsPrice(d.deal)).toBe(true);
    d.price('95.01');
    expect(d.commands).toEqual([]);
    d.price('95');
    expect(cancelled(d.commands)).toEqual(['d1-s1', 'd1-tp1']);
    expect(placed(d.commands)).toEqual([expect.objectContaining({ kind: 'exit', amount: '1' })]);
    d.fill('d1-x3', '94.9');
    expect(dealFigures(d.deal).closeReason).toBe('stop-loss');
  });

  it('tries to rest a refused stop again when a safety fill moves it (a watched stop is never for good)', () => {
    const d = new DealDriver(dealConfig({ stopLossPercent: '5' }));
    d.fill('d1-b', '100');
    d.apply({ type: 'rejected', clientOrderId: 'd1-sl2', reason: 'insufficient-funds', at: 1 });
    expect(d.deal.stop).toMatchObject({ price: '95', clientOrderId: undefined, watchedBecause: 'rejected' });
    d.fill('d1-s1', '99');
    expect(placed(d.commands).map((o) => o.kind)).toEqual(['take-profit', 'stop-loss']);
    expect(d.deal.stop).toMatchObject({ price: '94.37', watchedBecause: undefined });
    expect(d.deal.stop?.clientOrderId).toBeDefined();
  });

  it('watches a refused take-profit, keeping the stop, and exits at market once the price reaches it', () => {
    const d = new DealDriver(dealConfig({ stopLossPercent: '5' }));
    d.fill('d1-b', '100');
    d.apply({ type: 'rejected', clientOrderId: 'd1-tp1', reason: 'invalid-order', at: 1 });
    expect(d.deal.events).toContainEqual(expect.objectContaining({ type: 'TakeProfitRejected' }));
    expect(d.commands).toEqual([]);
    expect(d.deal).toMatchObject({ status: 'open', watchedTakeProfit: '101' });
    expect(d.resting('stop-loss').map((o) => o.clientOrderId)).toEqual(['d1-sl2']);
    d.price('101');
    expect(cancelled(d.commands)).toEqual(['d1-s1', 'd1-sl2']);
    expect(placed(d.commands)).toEqual([expect.objectContaining({ kind: 'exit', amount: '1' })]);
    expect(d.deal).toMatchObject({ status: 'closing', pendingCloseReason: 'take-profit' });
  });

  it('rests a take-profit again when the exchange drops it', () => {
    const d = new DealDriver(dealConfig());
    d.fill('d1-b', '100');
    d.apply({ type: 'cancelled', clientOrderId: 'd1-tp1', at: 1 });
    expect(placed(d.commands)).toEqual([expect.objectContaining({ clientOrderId: 'd1-tp2', price: '101' })]);
  });

  it('records a refused exit and places a fresh one on the next close request', () => {
    const d = new DealDriver(dealConfig());
    d.fill('d1-b', '100');
    d.apply({ type: 'close-requested', reason: 'kill switch', at: 1 });
    d.apply({ type: 'rejected', clientOrderId: 'd1-x2', reason: 'rate limited', at: 2 });
    expect(d.deal.status).toBe('closing');
    expect(d.deal.events).toContainEqual(expect.objectContaining({ type: 'ExitRejected' }));
    d.apply({ type: 'close-requested', reason: 'kill switch', at: 3 });
    expect(placed(d.commands)).toEqual([expect.objectContaining({ clientOrderId: 'd1-x3', amount: '1' })]);
  });
});

describe('DCA deal: close requests', () => {
  it('cancels everything resting and exits the whole open amount at market', () => {
    const d = new DealDriver(dealConfig({ stopLossPercent: '5' }));
    d.fill('d1-b', '100');
    d.apply({ type: 'close-requested', reason: 'daily loss limit', at: 1 });
    expect(cancelled(d.commands)).toEqual(['d1-s1', 'd1-tp1', 'd1-sl2']);
    expect(placed(d.commands)).toEqual([expect.objectContaining({ kind: 'exit', amount: '1' })]);
    expect(d.deal.status).toBe('closing');
    const closing = d.deal;
    expect(d.apply({ type: 'close-requested', reason: 'again', at: 2 }).deal).toBe(closing);
    d.fill('d1-x3', '99.5');
    expect(dealFigures(d.deal)).toMatchObject({
      status: 'closed',
      closeReason: 'requested',
      realizedPnl: '-0.5',
    });
  });

  it('cancels a deal whose base order has not filled yet', () => {
    const d = new DealDriver(dealConfig());
    d.apply({ type: 'close-requested', reason: 'user', at: 1 });
    expect(cancelled(d.commands)).toEqual(['d1-b']);
    expect(d.deal.status).toBe('cancelled');
  });
});
