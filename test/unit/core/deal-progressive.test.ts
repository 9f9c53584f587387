import { describe, expect, it } from 'vitest';
import { dealFigures, dealWantsPrice, openDeal } from '../../../shared/core/dca/deal.js';
import type { ProgressiveTakeProfit, StopMoveMode } from '../../../shared/core/dca/deal-types.js';
import type { DcaParametersInput } from '../../../shared/core/dca/params.js';
import { cancelled, DealDriver, dealConfig, placed } from './deal-fixture.js';

const targets = (...prices: string[]) => prices.map((price) => ({ price }));

function progressiveDeal(
  progressive: Partial<ProgressiveTakeProfit> & { stopMove?: StopMoveMode },
  input: Partial<DcaParametersInput> = { maxSafetyOrders: 0 },
  stopLossPrice: string | null = '95',
): DealDriver {
  const d = new DealDriver(
    dealConfig(input, {
      progressive: { targets: targets('102', '104', '106', '108'), stopMove: 'none', ...progressive },
      ...(stopLossPrice === null ? {} : { stopLossPrice }),
    }),
  );
  d.fill('d1-b', '100');
  return d;
}

/** The stop-market resting now: its trigger and amount. */
const restingStop = (d: DealDriver) => {
  const stop = d.resting('stop-loss');
  expect(stop).toHaveLength(1);
  return { trigger: stop[0]?.triggerPrice, amount: stop[0]?.amount };
};

describe('progressive take-profit: the split', () => {
  it('rests one limit per target, split evenly, the last target taking the rest', () => {
    const d = progressiveDeal({ targets: targets('102', '104', '106') });
    expect(placed(d.commands)).toEqual([
      expect.objectContaining({ clientOrderId: 'd1-t1r1', level: 1, price: '102', amount: '0.333' }),
      expect.objectContaining({ clientOrderId: 'd1-t2r2', level: 2, price: '104', amount: '0.333' }),
      expect.objectContaining({ clientOrderId: 'd1-t3r3', level: 3, price: '106', amount: '0.334' }),
      expect.objectContaining({
        clientOrderId: 'd1-sl4',
        kind: 'stop-loss',
        triggerPrice: '95',
        amount: '1',
      }),
    ]);
  });

  it('splits by weight', () => {
    const d = progressiveDeal({
      targets: [{ price: '102', weight: 1 }, { price: '104', weight: 2 }, { price: '106' }],
    });
    expect(d.resting('take-profit').map((o) => o.amount)).toEqual(['0.25', '0.5', '0.25']);
  });

  it('rolls a share below the minimum notional into the next target', () => {
    // 0.12 over three targets: 0.04 × 102 = 4.08 < 5 rolls into target 2 (0.08 × 104 = 8.32);
    // target 3's 0.04 × 106 = 4.24 cannot stand alone either and joins target 2.
    const d = progressiveDeal(
      { targets: targets('102', '104', '106') },
      { maxSafetyOrders: 0, baseOrderQuote: '12' },
    );
    expect(d.resting('take-profit').map((o) => [o.level, o.amount])).toEqual([[2, '0.12']]);
  });

  it('re-splits the remaining targets over the new open amount after a safety fill', () => {
    const d = progressiveDeal({ targets: targets('102', '104') }, { maxSafetyOrders: 1 });
    d.fill('d1-t1r1', '102'); // 0.5 out, 0.5 left on target 2
    d.fill('d1-s1', '99'); // 0.5 + 2.02 = 2.52 open, all of it now on target 2
    expect(cancelled(d.commands)).toContain('d1-t2r2');
    expect(d.resting('take-profit')).toEqual([
      expect.objectContaining({ level: 2, amount: '2.52', price: '104' }),
    ]);
  });

  it('closes once the last target fills', () => {
    const d = progressiveDeal({ targets: targets('102', '104') });
    d.fill('d1-t1r1', '102');
    d.fill('d1-t2r2', '104');
    expect(cancelled(d.commands)).toEqual(['d1-sl4']);
    expect(d.resting()).toEqual([]);
    // 0.5 × 2 + 0.5 × 4 = 3
    expect(dealFigures(d.deal)).toMatchObject({ closeReason: 'progressive-complete', realizedPnl: '3' });
  });

  it('refuses targets out of order', () => {
    const config = dealConfig({}, { progressive: { targets: targets('104', '102'), stopMove: 'none' } });
    expect(() => openDeal(config, '100', 0)).toThrow(/order they are reached/);
  });
});

describe('progressive take-profit: the stop', () => {
  it('moves the stop to break-even after the first target', () => {
    const d = progressiveDeal({ stopMove: 'break-even' });
    expect(restingStop(d)).toEqual({ trigger: '95', amount: '1' });
    d.fill('d1-t1r1', '102');
    expect(d.deal.events).toContainEqual(expect.objectContaining({ type: 'TargetHit', target: 1 }));
    expect(cancelled(d.commands)).toEqual(['d1-sl5']);
    expect(restingStop(d)).toEqual({ trigger: '100', amount: '0.75' });
    d.fill('d1-t2r2', '104');
    expect(restingStop(d)).toEqual({ trigger: '100', amount: '0.5' }); // stays, shrinks
  });

  it('moving-target trails the stop to the previous target', () => {
    const d = progressiveDeal({ stopMove: 'moving-target' });
    d.fill('d1-t1r1', '102');
    expect(restingStop(d).trigger).toBe('100');
    d.fill('d1-t2r2', '104');
    expect(restingStop(d)).toEqual({ trigger: '102', amount: '0.5' });
    d.fill('d1-t3r3', '106');
    expect(restingStop(d)).toEqual({ trigger: '104', amount: '0.25' });
  });

  it('moving-2-target stays one target further behind', () => {
    const d = progressiveDeal({ stopMove: 'moving-2-target' });
    d.fill('d1-t1r1', '102');
    expect(restingStop(d)).toEqual({ trigger: '95', amount: '0.75' });
    d.fill('d1-t2r2', '104');
    expect(restingStop(d).trigger).toBe('100');
    d.fill('d1-t3r3', '106');
    expect(restingStop(d).trigger).toBe('102');
  });

  it('places a break-even stop after the first target even without an initial stop', () => {
    const d = progressiveDeal({ stopMove: 'break-even' }, { maxSafetyOrders: 0 }, null);
    expect(d.resting('stop-loss')).toEqual([]);
    d.fill('d1-t1r1', '102');
    expect(restingStop(d)).toEqual({ trigger: '100', amount: '0.75' });
  });

  it('shrinks the stop on a partial target fill', () => {
    const d = progressiveDeal({ stopMove: 'break-even' });
    d.fill('d1-t1r1', '102', { amount: '0.1', done: false });
    expect(restingStop(d)).toEqual({ trigger: '95', amount: '0.9' });
  });

  it('trails the stop behind the best price once the first target has filled, only tightening', () => {
    const d = progressiveDeal({ trailingStopPercent: '2' });
    expect(dealWantsPrice(d.deal)).toBe(false);
    d.fill('d1-t1r1', '102');
    expect(restingStop(d).trigger).toBe('99.96'); // 102 × 0.98
    expect(dealWantsPrice(d.deal)).toBe(true);
    d.price('103');
    expect(restingStop(d).trigger).toBe('100.94');
    const trailing = d.deal;
    expect(d.price('102.5').deal).toBe(trailing); // below the best: nothing moves
    d.price('105');
    expect(restingStop(d)).toEqual({ trigger: '102.9', amount: '0.75' });
    d.fill(d.resting('stop-loss')[0]?.clientOrderId ?? '', '102.9');
    expect(dealFigures(d.deal).closeReason).toBe('stop-loss');
  });

  it('mirrors a short: targets below, stops above, moved down', () => {
    const d = new DealDriver(
      dealConfig(
        { side: 'short', market: 'futures', maxSafetyOrders: 0 },
        {
          progressive: { targets: targets('98', '96', '94'), stopMove: 'moving-target' },
          stopLossPrice: '105',
        },
      ),
    );
    d.fill('d1-b', '100');
    expect(d.resting('take-profit').map((o) => [o.side, o.price, o.amount])).toEqual([
      ['buy', '98', '0.333'],
      ['buy', '96', '0.333'],
      ['buy', '94', '0.334'],
    ]);
    expect(restingStop(d)).toEqual({ trigger: '105', amount: '1' });
    d.fill('d1-t1r1', '98');
    expect(restingStop(d)).toEqual({ trigger: '100', amount: '0.667' });
    d.fill('d1-t2r2', '96');
    expect(restingStop(d)).toEqual({ trigger: '98', amount: '0.334' });
    d.fill('d1-t3r3', '94');
    // 0.333 × 2 + 0.333 × 4 + 0.334 × 6 = 0.666 + 1.332 + 2.004
    expect(dealFigures(d.deal)).toMatchObject({ closeReason: 'progressive-complete', realizedPnl: '4.002' });
  });
});
