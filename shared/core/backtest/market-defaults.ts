// Binance-like market rules for a replayed spot pair when the caller names none: price tick,
// amount step and minimum notional per base asset (Binance spot's USDT pairs as of 2024). Ticks
// were finer in a coin's early years (BNB traded at $1.50 in 2017), so when the data itself shows
// more decimals than the table's tick, the data's finer tick wins; unknown assets get a tick from
// the data and a step of 10^floor(log10(1 / price)) (about one unit of quote or less).
import type { DcaMarketRules } from '../dca/plan.js';
import type { DecimalString } from '../money/decimal.js';

interface KnownRules {
  readonly tick: DecimalString;
  readonly step: DecimalString;
}

const BINANCE_SPOT: Readonly<Record<string, KnownRules>> = {
  BTC: { tick: '0.01', step: '0.00001' },
  ETH: { tick: '0.01', step: '0.0001' },
  BNB: { tick: '0.01', step: '0.001' },
  SOL: { tick: '0.01', step: '0.001' },
  XRP: { tick: '0.0001', step: '0.1' },
  ADA: { tick: '0.0001', step: '0.1' },
  DOGE: { tick: '0.00001', step: '1' },
  LINK: { tick: '0.01', step: '0.01' },
  AVAX: { tick: '0.01', step: '0.01' },
  PEPE: { tick: '0.00000001', step: '1' },
};

/** Binance's spot minimum order value for USDT pairs. */
const MIN_NOTIONAL = '5';

const decimals = (text: string) => {
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
};

const powerOfTen = (places: number): DecimalString =>
  places <= 0 ? `1${'0'.repeat(-places)}` : `0.${'0'.repeat(places - 1)}1`;

/** The finest tick the prices reveal: 10^−(most decimals seen). */
export function tickFromPrices(prices: readonly DecimalString[]): DecimalString {
  let most = 0;
  for (const p of prices) most = Math.max(most, decimals(p));
  return powerOfTen(most);
}

export interface MarketRuleOverrides {
  readonly tickSize?: DecimalString;
  readonly amountStep?: DecimalString;
  readonly minNotional?: DecimalString;
}

/**
 * Rules for `base` given a sample of its prices (e.g. the first thousand closes as written) and
 * any overrides; `minAmount` is one step.
 */
export function defaultMarketRules(
  base: string,
  samplePrices: readonly DecimalString[],
  overrides: MarketRuleOverrides = {},
): DcaMarketRules {
  const known = BINANCE_SPOT[base.toUpperCase()];
  const seen = tickFromPrices(samplePrices);
  const tick = known === undefined || decimals(seen) > decimals(known.tick) ? seen : known.tick;
  const price = Number(samplePrices[0] ?? '1') || 1;
  const step = known?.step ?? powerOfTen(-Math.floor(Math.log10(1 / price)));
  const amountStep = overrides.amountStep ?? step;
  return {
    tickSize: overrides.tickSize ?? tick,
    amountStep,
    minNotional: overrides.minNotional ?? MIN_NOTIONAL,
    minAmount: amountStep,
  };
}
