// Bybit v5 markets for the fake: the instruments it lists (spot pairs and USDT linear perpetuals),
// their instruments-info and ticker records, and how the shared ledger names them. Bybit names a
// market by category plus symbol ("BTCUSDT" is both a spot pair and a linear perpetual), so the
// ledger keys its markets "spot:BTCUSDT" and "linear:BTCUSDT".
import { type DecimalString, dec, str } from '../../../shared/core/money/decimal.js';
import type { FakeMarket } from './fake-ledger.js';
export type BybitCategory = 'spot' | 'linear';

export interface BybitInstrument {
  readonly category: BybitCategory;
  readonly symbol: string;
  readonly base: string;
  readonly quote: string;
  /** Spot: basePrecision; linear: qtyStep. */
  readonly qtyStep: DecimalString;
  readonly tickSize: DecimalString;
  readonly minOrderQty: DecimalString;
  readonly maxOrderQty: DecimalString;
  /** Spot: minOrderAmt; linear: minNotionalValue. */
  readonly minNotional: DecimalString;
  readonly makerFeeRate: DecimalString;
  readonly takerFeeRate: DecimalString;
  readonly price: DecimalString;
}

// Steps and minimums as Bybit lists them for these pairs; fees are the non-VIP rates (spot 0.1 %,
// perpetual taker 0.055 % / maker 0.02 %). Spot buys pay the fee in the coin bought.
export const BYBIT_INSTRUMENTS: readonly BybitInstrument[] = [
  spot('BTC', '0.000001', '0.01', '0.000048', '71.73956243', '60000'),
  spot('ETH', '0.00001', '0.01', '0.00062', '1229.2336343', '3000'),
  linear('BTC', '0.001', '0.10', '0.001', '1190.000', '60000'),
  linear('ETH', '0.01', '0.01', '0.01', '7240.00', '3000'),
];

function spot(
  base: string,
  qtyStep: string,
  tickSize: string,
  minQty: string,
  maxQty: string,
  price: string,
) {
  return {
    category: 'spot',
    symbol: `${base}USDT`,
    base,
    quote: 'USDT',
    qtyStep,
    tickSize,
    minOrderQty: minQty,
    maxOrderQty: maxQty,
    minNotional: '5',
    makerFeeRate: '0.001',
    takerFeeRate: '0.001',
    price,
  } as const;
}

function linear(
  base: string,
  qtyStep: string,
  tickSize: string,
  minQty: string,
  maxQty: string,
  price: string,
) {
  return {
    category: 'linear',
    symbol: `${base}USDT`,
    base,
    quote: 'USDT',
    qtyStep,
    tickSize,
    minOrderQty: minQty,
    maxOrderQty: maxQty,
    minNotional: '5',
    makerFeeRate: '0.0002',
    takerFeeRate: '0.00055',
    price,
  } as const;
}

export const ledgerId = (category: BybitCategory, symbol: string) => `${category}:${symbol}`;

export function splitLedgerId(id: string): { category: BybitCategory; symbol: string } {
  const [category, symbol] = id.split(':');
  return { category: category === 'spot' ? 'spot' : 'linear', symbol: symbol ?? '' };
}

/** "BTC/USDT" → spot:BTCUSDT, "BTC/USDT:USDT" → linear:BTCUSDT. */
export function ledgerIdOfUnified(unified: string): string {
  const [pair, settle] = unified.split(':');
  return ledgerId(settle === undefined ? 'spot' : 'linear', (pair ?? '').replace('/', ''));
}

export function toFakeMarket(i: BybitInstrument): FakeMarket {
  return {
    id: ledgerId(i.category, i.symbol),
    base: i.base,
    quote: i.quote,
    kind: i.category === 'spot' ? 'spot' : 'swap',
    amountStep: i.qtyStep,
    priceStep: i.tickSize,
    minAmount: i.minOrderQty,
    minNotional: i.minNotional,
    makerFeeRate: i.makerFeeRate,
    takerFeeRate: i.takerFeeRate,
    ...(i.category === 'spot' ? { buyFeeAsset: 'base' as const } : {}),
  };
}

export function instrumentRecord(i: BybitInstrument): Record<string, unknown> {
  if (i.category === 'spot') {
    return {
      symbol: i.symbol,
      baseCoin: i.base,
      quoteCoin: i.quote,
      innovation: '0',
      status: 'Trading',
      marginTrading: 'utaOnly',
      stTag: '0',
      lotSizeFilter: {
        basePrecision: i.qtyStep,
        quotePrecision: '0.00000001',
        minOrderQty: i.minOrderQty,
        maxOrderQty: i.maxOrderQty,
        minOrderAmt: i.minNotional,
        maxOrderAmt: '8000000',
      },
      priceFilter: { tickSize: i.tickSize },
      riskParameters: { priceLimitRatioX: '0.05', priceLimitRatioY: '0.05' },
    };
  }
  return {
    symbol: i.symbol,
    contractType: 'LinearPerpetual',
    status: 'Trading',
    baseCoin: i.base,
    quoteCoin: i.quote,
    launchTime: '1585526400000',
    deliveryTime: '0',
    deliveryFeeRate: '',
    priceScale: String(Math.max(0, (i.tickSize.split('.')[1] ?? '').length)),
    leverageFilter: { minLeverage: '1', maxLeverage: '100.00', leverageStep: '0.01' },
    priceFilter: { minPrice: i.tickSize, maxPrice: '1999999.80', tickSize: i.tickSize },
    lotSizeFilter: {
      maxOrderQty: i.maxOrderQty,
      minOrderQty: i.minOrderQty,
      qtyStep: i.qtyStep,
      postOnlyMaxOrderQty: i.maxOrderQty,
      maxMktOrderQty: i.maxOrderQty,
      minNotionalValue: i.minNotional,
    },
    unifiedMarginTrade: true,
    fundingInterval: 480,
    settleCoin: i.quote,
    copyTrading: 'both',
    upperFundingRate: '0.00375',
    lowerFundingRate: '-0.00375',
    isPreListing: false,
    preListingInfo: null,
  };
}

export function tickerRecord(i: BybitInstrument, last: DecimalString): Record<string, unknown> {
  const common = {
    symbol: i.symbol,
    bid1Price: last,
    bid1Size: '1',
    ask1Price: last,
    ask1Size: '1',
    lastPrice: last,
    prevPrice24h: last,
    price24hPcnt: '0',
    highPrice24h: last,
    lowPrice24h: last,
    turnover24h: '1000000',
    volume24h: '100',
  };
  if (i.category === 'spot') return { ...common, usdIndexPrice: last };
  return {
    ...common,
    indexPrice: last,
    markPrice: last,
    prevPrice1h: last,
    openInterest: '50000',
    openInterestValue: str(dec(last).times(50000)),
    fundingRate: '0.0001',
    nextFundingTime: '0',
    predictedDeliveryPrice: '',
    basisRate: '',
    deliveryFeeRate: '',
    deliveryTime: '0',
    basis: '',
  };
}
