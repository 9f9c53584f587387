// The fake Binance's markets: BTC and ETH against USDT on spot and as USD-M perpetuals, with the
// steps, minimums, maximums and fees Binance publishes for them, and the exchangeInfo replies
// (/api/v3/exchangeInfo, /fapi/v1/exchangeInfo) that carry them as Binance's filters.
import { type DecimalString, dec } from '../../../shared/core/money/decimal.js';
import type { FakeMarket } from './fake-ledger.js';

export type BinanceVenue = 'spot' | 'futures';

/** A ledger market plus the filter values Binance publishes for it. */
export interface BinanceMarketSpec extends FakeMarket {
  readonly maxQty: DecimalString;
  /** MARKET_LOT_SIZE maxQty: market orders may be smaller than limit ones. */
  readonly marketMaxQty: DecimalString;
  readonly minPrice: DecimalString;
  readonly maxPrice: DecimalString;
  /** Where the market starts. */
  readonly initialPrice: DecimalString;
}

export function decimals(step: DecimalString): number {
  const dot = step.indexOf('.');
  return dot < 0 ? 0 : step.replace(/0+$/, '').length - dot - 1;
}

const spot8 = (value: DecimalString) => dec(value).toFixed(8);

/** Steps, minimums and fees as Binance publishes them for these markets (prices are the fake's). */
export const BINANCE_SPOT_MARKETS: readonly BinanceMarketSpec[] = [
  {
    id: 'BTCUSDT',
    base: 'BTC',
    quote: 'USDT',
    kind: 'spot',
    amountStep: '0.00001',
    priceStep: '0.01',
    minAmount: '0.00001',
    minNotional: '5',
    makerFeeRate: '0.001',
    takerFeeRate: '0.001',
    buyFeeAsset: 'base',
    maxQty: '9000',
    marketMaxQty: '100',
    minPrice: '0.01',
    maxPrice: '1000000',
    initialPrice: '60000',
  },
  {
    id: 'ETHUSDT',
    base: 'ETH',
    quote: 'USDT',
    kind: 'spot',
    amountStep: '0.0001',
    priceStep: '0.01',
    minAmount: '0.0001',
    minNotional: '5',
    makerFeeRate: '0.001',
    takerFeeRate: '0.001',
    buyFeeAsset: 'base',
    maxQty: '9000',
    marketMaxQty: '2000',
    minPrice: '0.01',
    maxPrice: '1000000',
    initialPrice: '3000',
  },
];

export const BINANCE_FUTURES_MARKETS: readonly BinanceMarketSpec[] = [
  {
    id: 'BTCUSDT',
    base: 'BTC',
    quote: 'USDT',
    kind: 'swap',
    amountStep: '0.001',
    priceStep: '0.1',
    minAmount: '0.001',
    minNotional: '100',
    makerFeeRate: '0.0002',
    takerFeeRate: '0.0005',
    maxQty: '1000',
    marketMaxQty: '120',
    minPrice: '556.8',
    maxPrice: '4529764',
    initialPrice: '60000',
  },
  {
    id: 'ETHUSDT',
    base: 'ETH',
    quote: 'USDT',
    kind: 'swap',
    amountStep: '0.001',
    priceStep: '0.01',
    minAmount: '0.001',
    minNotional: '20',
    makerFeeRate: '0.0002',
    takerFeeRate: '0.0005',
    maxQty: '10000',
    marketMaxQty: '2000',
    minPrice: '39.86',
    maxPrice: '306177',
    initialPrice: '3000',
  },
];

const SPOT_ORDER_TYPES = [
  'LIMIT',
  'LIMIT_MAKER',
  'MARKET',
  'STOP_LOSS',
  'STOP_LOSS_LIMIT',
  'TAKE_PROFIT',
  'TAKE_PROFIT_LIMIT',
];
const FUTURES_ORDER_TYPES = [
  'LIMIT',
  'MARKET',
  'STOP',
  'STOP_MARKET',
  'TAKE_PROFIT',
  'TAKE_PROFIT_MARKET',
  'TRAILING_STOP_MARKET',
];

/** Spot PERCENT_PRICE_BY_SIDE and futures PERCENT_PRICE multipliers, as Binance sets them for majors. */
export const SPOT_PRICE_BAND = { down: '0.2', up: '5' } as const;
export const FUTURES_PRICE_BAND = { down: '0.95', up: '1.05' } as const;

export function spotExchangeInfo(markets: readonly BinanceMarketSpec[], serverTime: number) {
  return {
    timezone: 'UTC',
    serverTime,
    rateLimits: [
      { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000 },
      { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 100 },
      { rateLimitType: 'ORDERS', interval: 'DAY', intervalNum: 1, limit: 200000 },
      { rateLimitType: 'RAW_REQUESTS', interval: 'MINUTE', intervalNum: 5, limit: 61000 },
    ],
    exchangeFilters: [],
    symbols: markets.map((m) => ({
      symbol: m.id,
      status: 'TRADING',
      baseAsset: m.base,
      baseAssetPrecision: 8,
      quoteAsset: m.quote,
      quotePrecision: 8,
      quoteAssetPrecision: 8,
      baseCommissionPrecision: 8,
      quoteCommissionPrecision: 8,
      orderTypes: SPOT_ORDER_TYPES,
      icebergAllowed: true,
      ocoAllowed: true,
      otoAllowed: true,
      quoteOrderQtyMarketAllowed: true,
      allowTrailingStop: true,
      cancelReplaceAllowed: true,
      amendAllowed: true,
      isSpotTradingAllowed: true,
      isMarginTradingAllowed: true,
      filters: [
        {
          filterType: 'PRICE_FILTER',
          minPrice: spot8(m.minPrice),
          maxPrice: spot8(m.maxPrice),
          tickSize: spot8(m.priceStep),
        },
        {
          filterType: 'LOT_SIZE',
          minQty: spot8(m.minAmount),
          maxQty: spot8(m.maxQty),
          stepSize: spot8(m.amountStep),
        },
        { filterType: 'ICEBERG_PARTS', limit: 10 },
        {
          filterType: 'MARKET_LOT_SIZE',
          minQty: spot8('0'),
          maxQty: spot8(m.marketMaxQty),
          stepSize: spot8('0'),
        },
        {
          filterType: 'PERCENT_PRICE_BY_SIDE',
          bidMultiplierUp: SPOT_PRICE_BAND.up,
          bidMultiplierDown: SPOT_PRICE_BAND.down,
          askMultiplierUp: SPOT_PRICE_BAND.up,
          askMultiplierDown: SPOT_PRICE_BAND.down,
          avgPriceMins: 5,
        },
        {
          filterType: 'NOTIONAL',
          minNotional: spot8(m.minNotional),
          applyMinToMarket: true,
          maxNotional: spot8('9000000'),
          applyMaxToMarket: false,
          avgPriceMins: 5,
        },
        { filterType: 'MAX_NUM_ORDERS', maxNumOrders: 200 },
        { filterType: 'MAX_NUM_ALGO_ORDERS', maxNumAlgoOrders: 5 },
      ],
      permissions: [],
      permissionSets: [['SPOT', 'MARGIN']],
      defaultSelfTradePreventionMode: 'EXPIRE_MAKER',
      allowedSelfTradePreventionModes: ['EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH'],
    })),
  };
}

export function futuresExchangeInfo(markets: readonly BinanceMarketSpec[], serverTime: number) {
  return {
    timezone: 'UTC',
    serverTime,
    futuresType: 'U_MARGINED',
    rateLimits: [
      { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 2400 },
      { rateLimitType: 'ORDERS', interval: 'MINUTE', intervalNum: 1, limit: 1200 },
      { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 300 },
    ],
    exchangeFilters: [],
    assets: [{ asset: 'USDT', marginAvailable: true, autoAssetExchange: '-10000' }],
    symbols: markets.map((m) => ({
      symbol: m.id,
      pair: m.id,
      contractType: 'PERPETUAL',
      deliveryDate: 4133404800000,
      onboardDate: 1569398400000,
      status: 'TRADING',
      maintMarginPercent: '2.5000',
      requiredMarginPercent: '5.0000',
      baseAsset: m.base,
      quoteAsset: m.quote,
      marginAsset: m.quote,
      pricePrecision: decimals(m.priceStep),
      quantityPrecision: decimals(m.amountStep),
      baseAssetPrecision: 8,
      quotePrecision: 8,
      underlyingType: 'COIN',
      underlyingSubType: [],
      triggerProtect: '0.0500',
      liquidationFee: '0.012500',
      marketTakeBound: '0.05',
      maxMoveOrderLimit: 10000,
      filters: [
        { filterType: 'PRICE_FILTER', minPrice: m.minPrice, maxPrice: m.maxPrice, tickSize: m.priceStep },
        { filterType: 'LOT_SIZE', stepSize: m.amountStep, maxQty: m.maxQty, minQty: m.minAmount },
        {
          filterType: 'MARKET_LOT_SIZE',
          stepSize: m.amountStep,
          maxQty: m.marketMaxQty,
          minQty: m.minAmount,
        },
        { filterType: 'MAX_NUM_ORDERS', limit: 200 },
        { filterType: 'MAX_NUM_ALGO_ORDERS', limit: 10 },
        { filterType: 'MIN_NOTIONAL', notional: m.minNotional },
        {
          filterType: 'PERCENT_PRICE',
          multiplierUp: dec(FUTURES_PRICE_BAND.up).toFixed(4),
          multiplierDown: dec(FUTURES_PRICE_BAND.down).toFixed(4),
          multiplierDecimal: '4',
        },
      ],
      orderTypes: FUTURES_ORDER_TYPES,
      timeInForce: ['GTC', 'IOC', 'FOK', 'GTX', 'GTD'],
      permissionSets: ['GRID', 'COPY'],
    })),
  };
}
