// Paper matching rules: how a simulated order fills against a market price or candle. Pure and
// deterministic. Model: market orders fill in full at the reference price moved against the taker by
// `slippageBps`; limit orders fill at their own limit price once a candle trades through it (no
// price improvement, the conservative choice); fees are charged in the quote currency.
import type Big from 'big.js';
import { type DecimalString, dec, floorToStep, str } from '../money/decimal.js';

export type OrderSide = 'buy' | 'sell';

export interface PaperFeeModel {
  /** Taker fee rate, e.g. "0.001" for 0.1 %. */
  readonly takerFeeRate: DecimalString;
  readonly makerFeeRate: DecimalString;
  readonly slippageBps: number;
}

export interface MarketRules {
  /** Smallest amount increment, e.g. "0.00001". */
  readonly amountStep: DecimalString;
  readonly minAmount: DecimalString;
  /** Smallest order value in quote, e.g. "5". */
  readonly minNotional: DecimalString;
}

export interface PaperFill {
  readonly price: DecimalString;
  readonly amount: DecimalString;
  /** price × amount, in quote. */
  readonly cost: DecimalString;
  readonly fee: DecimalString;
  readonly feeCurrency: 'quote';
}

export class PaperOrderRejected extends Error {
  override readonly name = 'PaperOrderRejected';
  constructor(
    readonly code: 'MIN_NOTIONAL' | 'MIN_AMOUNT' | 'INSUFFICIENT_FUNDS',
    message: string,
  ) {
    super(message);
  }
}

function slipped(price: Big, side: OrderSide, bps: number): Big {
  const factor = dec(bps).div(10_000);
  return side === 'buy' ? price.times(dec(1).plus(factor)) : price.times(dec(1).minus(factor));
}

function checkMinimums(amount: Big, price: Big, rules: MarketRules): void {
  if (amount.lt(rules.minAmount) || amount.lte(0)) {
    throw new PaperOrderRejected(
      'MIN_AMOUNT',
      `amount ${str(amount)} is below the minimum ${rules.minAmount}`,
    );
  }
  if (amount.times(price).lt(rules.minNotional)) {
    throw new PaperOrderRejected(
      'MIN_NOTIONAL',
      `order value ${str(amount.times(price))} is below the minimum notional ${rules.minNotional}`,
    );
  }
}

/** Fills a market order in full. `size` is in quote for a buy by cost, in base otherwise. */
export function fillMarketOrder(input: {
  readonly side: OrderSide;
  readonly size: { readonly quote: DecimalString } | { readonly base: DecimalString };
  readonly marketPrice: DecimalString;
  readonly rules: MarketRules;
  readonly fees: PaperFeeModel;
}): PaperFill {
  const price = slipped(dec(input.marketPrice), input.side, input.fees.slippageBps);
  const rawAmount = 'quote' in input.size ? dec(input.size.quote).div(price) : dec(input.size.base);
  const amount = floorToStep(rawAmount, input.rules.amountStep);
  checkMinimums(amount, price, input.rules);
  const cost = amount.times(price);
  return {
    price: str(price),
    amount: str(amount),
    cost: str(cost),
    fee: str(cost.times(input.fees.takerFeeRate)),
    feeCurrency: 'quote',
  };
}

export interface CandleRange {
  readonly high: DecimalString;
  readonly low: DecimalString;
}

/** True when the candle traded through the limit price (a sell needs high ≥ price, a buy low ≤ price). */
export function limitOrderTouched(side: OrderSide, limitPrice: DecimalString, candle: CandleRange): boolean {
  return side === 'sell' ? dec(candle.high).gte(limitPrice) : dec(candle.low).lte(limitPrice);
}

/** Fills a touched limit order in full at its limit price, with the maker fee. */
export function fillLimitOrder(input: {
  readonly limitPrice: DecimalString;
  readonly amount: DecimalString;
  readonly fees: PaperFeeModel;
}): PaperFill {
  const cost = dec(input.limitPrice).times(input.amount);
  return {
    price: input.limitPrice,
    amount: input.amount,
    cost: str(cost),
    fee: str(cost.times(input.fees.makerFeeRate)),
    feeCurrency: 'quote',
  };
}
