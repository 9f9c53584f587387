import Big from 'big.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canTransition,
  type Fill,
  IllegalTransition,
  type PositionStatus,
  planPosition,
  positionFigures,
  recordFill,
  TERMINAL_STATUSES,
  transition,
} from '../../../shared/core/positions/position.js';

const at = '2026-01-01T00:00:00.000Z';
const planned = () =>
  planPosition({
    positionId: 'p1',
    userId: 'u1',
    accountId: 'a1',
    signalKey: 'house:s1',
    symbol: 'BTC/USDT',
    side: 'long',
    quoteAmount: '100',
    takeProfitPrice: '51000',
    at,
  });

function fill(
  partial: Partial<Fill> & Pick<Fill, 'tradeId' | 'side' | 'price' | 'amount' | 'cost' | 'fee'>,
): Fill {
  return { clientOrderId: 'c', feeCurrency: 'quote', at, ...partial };
}

const STATUSES: PositionStatus[] = ['planned', 'opening', 'open', 'closing', 'closed', 'cancelled', 'failed'];

describe('position state machine', () => {
  it('moves planned → opening → open → closed and records each move as an event', () => {
    let p = planned();
    p = transition(p, 'opening', at);
    p = transition(p, 'open', at);
    p = transition(p, 'closed', at);
    expect(p.status).toBe('closed');
    expect(p.events.filter((e) => e.type === 'StatusChanged').map((e) => ('to' in e ? e.to : ''))).toEqual([
      'opening',
      'open',
      'closed',
    ]);
  });

  it('refuses a move the transition table does not list', () => {
    expect(() => transition(planned(), 'closed', at)).toThrow(IllegalTransition);
  });

  it('never leaves a terminal state, whatever move is tried', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TERMINAL_STATUSES), fc.constantFrom(...STATUSES), (from, to) => {
        expect(canTransition(from, to)).toBe(false);
      }),
    );
  });

  it('applies a fill seen twice only once', () => {
    const f = fill({ tradeId: 't1', side: 'buy', price: '50000', amount: '0.002', cost: '100', fee: '0.1' });
    const p = recordFill(recordFill(planned(), f), f);
    expect(p.fills).toHaveLength(1);
  });
});

describe('position figures', () => {
  it('derives the average entry, open amount, fees and realized PnL from fills', () => {
    // Entries: 0.002 @ 50000 (cost 100, fee 0.1) and 0.002 @ 40000 (cost 80, fee 0.08)
    // average = 180 / 0.004 = 45000. Exit: 0.001 @ 50000 (cost 50, fee 0.05)
    // gross = 50 − 45000 × 0.001 = 5; closed share of entry fees = 0.18 × 0.001/0.004 = 0.045
    // realized = 5 − 0.05 − 0.045 = 4.905
    let p = planned();
    p = recordFill(
      p,
      fill({ tradeId: 't1', side: 'buy', price: '50000', amount: '0.002', cost: '100', fee: '0.1' }),
    );
    p = recordFill(
      p,
      fill({ tradeId: 't2', side: 'buy', price: '40000', amount: '0.002', cost: '80', fee: '0.08' }),
    );
    p = recordFill(
      p,
      fill({ tradeId: 't3', side: 'sell', price: '50000', amount: '0.001', cost: '50', fee: '0.05' }),
    );
    expect(positionFigures(p)).toEqual({
      openAmount: '0.003',
      averageEntry: '45000',
      fees: '0.23',
      realizedPnl: '4.905',
    });
  });

  it('conserves money: realized PnL minus what the open part carries equals the net cash flow', () => {
    // Cash flow = exit proceeds − entry cost − all fees. The open part carries avg × open plus its
    // share of the entry fee, so: realized − avg·open − entryFee·open/qty = cash flow (exactly).
    const qtyMilli = fc.integer({ min: 1, max: 10_000 });
    const price = fc.integer({ min: 1, max: 100_000 });
    fc.assert(
      fc.property(
        qtyMilli,
        price,
        price,
        fc.integer({ min: 0, max: 100 }),
        (qm, entryPrice, exitPrice, pct) => {
          const qty = new Big(qm).div(1000);
          const exitQty = new Big(Math.floor((qm * pct) / 100)).div(1000);
          const entryCost = qty.times(entryPrice);
          const exitCost = exitQty.times(exitPrice);
          const entryFee = entryCost.times('0.001');
          const exitFee = exitCost.times('0.001');
          let p = planned();
          p = recordFill(
            p,
            fill({
              tradeId: 'e',
              side: 'buy',
              price: String(entryPrice),
              amount: qty.toFixed(),
              cost: entryCost.toFixed(),
              fee: entryFee.toFixed(),
            }),
          );
          if (exitQty.gt(0)) {
            p = recordFill(
              p,
              fill({
                tradeId: 'x',
                side: 'sell',
                price: String(exitPrice),
                amount: exitQty.toFixed(),
                cost: exitCost.toFixed(),
                fee: exitFee.toFixed(),
              }),
            );
          }
          const f = positionFigures(p);
          const open = new Big(f.openAmount);
          const carried = new Big(f.averageEntry ?? '0').times(open).plus(entryFee.times(open).div(qty));
          const cashFlow = exitCost.minus(entryCost).minus(entryFee).minus(exitFee);
          expect(new Big(f.realizedPnl).minus(carried).minus(cashFlow).abs().lt('1e-8')).toBe(true);
          expect(open.eq(qty.minus(exitQty))).toBe(true);
        },
      ),
    );
  });
});

describe('fees taken in the base asset', () => {
  it('holds what was bought minus the fee, and a full exit nets what was received minus what was paid', () => {
    // Bought 0.01 BTC at 50000 (500 USDT); 0.00001 BTC fee kept by the exchange: 0.00999 held.
    let p = recordFill(
      planned(),
      fill({
        tradeId: 't1',
        side: 'buy',
        price: '50000',
        amount: '0.01',
        cost: '500',
        fee: '0.00001',
        feeCurrency: 'base',
      }),
    );
    expect(positionFigures(p).openAmount).toBe('0.00999');
    expect(positionFigures(p).averageEntry).toBe('50000');
    expect(positionFigures(p).fees).toBe('0.5');
    // Sold all 0.00999 at 51000 = 509.49, 0.50949 USDT fee: 509.49 - 0.50949 - 500 = 8.98051.
    p = recordFill(
      p,
      fill({
        tradeId: 't2',
        side: 'sell',
        price: '51000',
        amount: '0.00999',
        cost: '509.49',
        fee: '0.50949',
      }),
    );
    expect(positionFigures(p).openAmount).toBe('0');
    expect(positionFigures(p).realizedPnl).toBe('8.98051');
  });
});
