import { describe, expect, it } from 'vitest';
import {
  fillLimitOrder,
  fillMarketOrder,
  limitOrderTouched,
  PaperOrderRejected,
} from '../../../shared/core/paper/matching.js';

const rules = { amountStep: '0.00001', minAmount: '0.00001', minNotional: '5' };
const fees = { takerFeeRate: '0.001', makerFeeRate: '0.0005', slippageBps: 10 };

describe('paper matching', () => {
  it('fills a market buy by quote at the slipped price, rounding the amount down to the step', () => {
    // price 50000 × (1 + 10/10000) = 50050; 100 / 50050 = 0.001998001998… → floor to 0.00001 = 0.00199
    // cost = 0.00199 × 50050 = 99.5995; fee = 99.5995 × 0.001 = 0.0995995
    const fill = fillMarketOrder({ side: 'buy', size: { quote: '100' }, marketPrice: '50000', rules, fees });
    expect(fill).toEqual({
      price: '50050',
      amount: '0.00199',
      cost: '99.5995',
      fee: '0.0995995',
      feeCurrency: 'quote',
    });
  });

  it('fills a market sell by base at a price slipped downwards', () => {
    // 2000 × (1 − 0.001) = 1998; cost = 0.5 × 1998 = 999; fee = 0.999
    const fill = fillMarketOrder({
      side: 'sell',
      size: { base: '0.5' },
      marketPrice: '2000',
      rules: { amountStep: '0.0001', minAmount: '0.0001', minNotional: '5' },
      fees,
    });
    expect(fill).toMatchObject({ price: '1998', amount: '0.5', cost: '999', fee: '0.999' });
  });

  it('refuses an order below the minimum notional', () => {
    expect(() =>
      fillMarketOrder({ side: 'buy', size: { quote: '4' }, marketPrice: '50000', rules, fees }),
    ).toThrow(PaperOrderRejected);
  });

  it('refuses an amount that rounds down to zero', () => {
    const call = () =>
      fillMarketOrder({ side: 'buy', size: { quote: '0.1' }, marketPrice: '50000', rules, fees });
    expect(call).toThrow(/below the minimum/);
  });

  it('touches a sell limit only when the candle high reaches it, and a buy limit when the low does', () => {
    expect(limitOrderTouched('sell', '101', { high: '100.99', low: '99' })).toBe(false);
    expect(limitOrderTouched('sell', '101', { high: '101', low: '99' })).toBe(true);
    expect(limitOrderTouched('buy', '99', { high: '101', low: '99.01' })).toBe(false);
    expect(limitOrderTouched('buy', '99', { high: '101', low: '98' })).toBe(true);
  });

  it('fills a touched limit order at its own price with the maker fee', () => {
    // 0.3 × 101.5 = 30.45; fee 30.45 × 0.0005 = 0.015225
    expect(fillLimitOrder({ limitPrice: '101.5', amount: '0.3', fees })).toEqual({
      price: '101.5',
      amount: '0.3',
      cost: '30.45',
      fee: '0.015225',
      feeCurrency: 'quote',
    });
  });
});
