// Phemex's wire basics for the fake: the markets it lists and their product catalogue, the scaled
// integers of the spot API (Ep prices, Ev values, Er ratios, all ×10^8) and the reply envelopes.
// Shapes follow Phemex's API docs (Public-Spot-API, Public-Hedged-Perpetual-API) and what ccxt
// 4.5.84's phemex class parses. Orders and fills on the wire: phemex-fake-orders.ts.
import type Big from 'big.js';
import { type DecimalString, dec, str } from '../../../shared/core/money/decimal.js';
import type { FakeMarket } from './fake-ledger.js';
import type { FakeResponse } from './fake-server.js';

/** Spot's price, value and ratio scale: every spot symbol and currency uses 8. */
export const SPOT_SCALE = 8;

export interface PhemexInstrument {
  readonly market: FakeMarket;
  readonly unified: string;
  readonly price: DecimalString;
  /** Phemex's numeric product code. */
  readonly code: number;
}

const spot = (base: string, step: string, code: number, price: string): PhemexInstrument => ({
  unified: `${base}/USDT`,
  price,
  code,
  market: {
    id: `s${base}USDT`,
    base,
    quote: 'USDT',
    kind: 'spot',
    amountStep: step,
    priceStep: '0.01',
    minAmount: step,
    minNotional: '1',
    makerFeeRate: '0.001',
    takerFeeRate: '0.001',
    // Phemex spot takes a buy's fee from the coin bought.
    buyFeeAsset: 'base',
  },
});

const perpetual = (
  base: string,
  step: string,
  tick: string,
  code: number,
  price: string,
): PhemexInstrument => ({
  unified: `${base}/USDT:USDT`,
  price,
  code,
  market: {
    id: `${base}USDT`,
    base,
    quote: 'USDT',
    kind: 'swap',
    amountStep: step,
    priceStep: tick,
    minAmount: step,
    minNotional: '1',
    makerFeeRate: '0.0001',
    takerFeeRate: '0.0006',
  },
});

export const PHEMEX_INSTRUMENTS: readonly PhemexInstrument[] = [
  spot('BTC', '0.000001', 1001, '60000'),
  spot('ETH', '0.00001', 1101, '3000'),
  perpetual('BTC', '0.001', '0.1', 41541, '60000'),
  perpetual('ETH', '0.01', '0.01', 41641, '3000'),
];

export function instrumentById(id: string | null): PhemexInstrument | undefined {
  return PHEMEX_INSTRUMENTS.find((i) => i.market.id === id);
}

export function instrumentByUnified(symbol: string): PhemexInstrument {
  const found = PHEMEX_INSTRUMENTS.find((i) => i.unified === symbol);
  if (!found) throw new Error(`phemex fake: no market ${symbol}`);
  return found;
}

// ---- scaled integers ------------------------------------------------------------------------

/** A decimal as Phemex's scaled integer (×10^8), e.g. 60000 USDT → 6000000000000. */
export function scaled(value: DecimalString | Big): number {
  return Number(
    dec(value)
      .times(10 ** SPOT_SCALE)
      .round(0)
      .toFixed(0),
  );
}

export function unscaled(value: unknown): DecimalString {
  return str(dec(String(value ?? 0)).div(10 ** SPOT_SCALE));
}

const decimalsOf = (step: DecimalString) => (step.includes('.') ? (step.split('.')[1] ?? '').length : 0);

/** Nanoseconds as a digit string: they do not fit a double, and ccxt reads either form. */
export const nanos = (ms: number) => `${ms}000000`;

// ---- envelopes ------------------------------------------------------------------------------

export const ok = (data: unknown, msg = ''): FakeResponse => ({ status: 200, body: { code: 0, msg, data } });

/** Business errors: HTTP 200 with Phemex's code and its TradingErrorCode name. */
export const fail = (code: number, msg: string, status = 200): FakeResponse => ({
  status,
  body: { code, msg, data: null },
});

/** Market-data replies (/md/...) use a JSON-RPC-like envelope. */
export const mdResult = (result: unknown): FakeResponse => ({
  status: 200,
  body: { error: null, id: 0, result },
});

// ---- products -------------------------------------------------------------------------------

function spotProduct(i: PhemexInstrument) {
  const m = i.market;
  return {
    symbol: m.id,
    code: i.code,
    type: 'Spot',
    displaySymbol: `${m.base} / ${m.quote}`,
    quoteCurrency: m.quote,
    priceScale: SPOT_SCALE,
    ratioScale: SPOT_SCALE,
    pricePrecision: decimalsOf(m.priceStep),
    baseCurrency: m.base,
    baseTickSize: `${m.amountStep} ${m.base}`,
    baseTickSizeEv: scaled(m.amountStep),
    quoteTickSize: `${m.priceStep} ${m.quote}`,
    quoteTickSizeEv: scaled(m.priceStep),
    baseQtyPrecision: decimalsOf(m.amountStep),
    quoteQtyPrecision: 2,
    minOrderValue: `${m.minNotional} ${m.quote}`,
    minOrderValueEv: scaled(m.minNotional),
    maxBaseOrderSize: `1,000 ${m.base}`,
    maxBaseOrderSizeEv: scaled('1000'),
    maxOrderValue: `5,000,000 ${m.quote}`,
    maxOrderValueEv: scaled('5000000'),
    defaultTakerFee: m.takerFeeRate,
    defaultTakerFeeEr: scaled(m.takerFeeRate),
    defaultMakerFee: m.makerFeeRate,
    defaultMakerFeeEr: scaled(m.makerFeeRate),
    description: `${m.base}${m.quote} is a ${m.base}/${m.quote} spot trading pair. Minimum order value is ${m.minNotional} ${m.quote}`,
    status: 'Listed',
    tipOrderQty: 2,
    listTime: 1589338800000,
    buyPriceUpperLimitPct: 110,
    sellPriceLowerLimitPct: 90,
    leverage: 5,
  };
}

function perpetualProduct(i: PhemexInstrument) {
  const m = i.market;
  return {
    perpProductSubType: 'Normal',
    symbol: m.id,
    code: i.code,
    type: 'PerpetualV2',
    displaySymbol: `${m.base} / ${m.quote}`,
    indexSymbol: `.${m.id}`,
    markSymbol: `.M${m.id}`,
    fundingRateSymbol: `.${m.id}FR`,
    fundingRate8hSymbol: `.${m.id}FR8H`,
    contractUnderlyingAssets: m.base,
    settleCurrency: m.quote,
    quoteCurrency: m.quote,
    tickSize: m.priceStep,
    priceScale: 0,
    ratioScale: 0,
    pricePrecision: decimalsOf(m.priceStep),
    baseCurrency: m.base,
    description: `${m.base}/${m.quote} perpetual contracts are priced on the .${m.id} Index. Each contract is worth 1 ${m.base}.`,
    status: 'Listed',
    tipOrderQty: 0,
    listTime: 1668225600000,
    majorSymbol: m.base === 'BTC',
    defaultLeverage: '-10',
    fundingInterval: 28800,
    maxLeverage: 100,
    maxOrderQtyRq: '1000',
    maxPriceRp: '2000000000',
    minOrderValueRv: m.minNotional,
    minPriceRp: '1.0',
    qtyPrecision: decimalsOf(m.amountStep),
    qtyStepSize: m.amountStep,
    tipOrderQtyRq: '200',
    maxOpenPosLeverage: 100.0,
  };
}

/** GET /public/products (v2): currencies, spot products and the USDT perpetuals (perpProductsV2). */
export function productsV2() {
  const currencies = ['BTC', 'ETH', 'USDT'].map((currency, index) => ({
    currency,
    name: currency,
    code: index + 1,
    valueScale: SPOT_SCALE,
    minValueEv: 1,
    maxValueEv: 5000000000000000000,
    needAddrTag: 0,
    status: 'Listed',
    displayCurrency: currency,
    inAssetsDisplay: 1,
    perpetual: currency === 'USDT' ? 2 : 0,
    stableCoin: currency === 'USDT' ? 1 : 0,
    assetsPrecision: 8,
  }));
  const perpetuals = PHEMEX_INSTRUMENTS.filter((i) => i.market.kind === 'swap');
  return {
    currencies,
    products: PHEMEX_INSTRUMENTS.filter((i) => i.market.kind === 'spot').map(spotProduct),
    perpProductsV2: perpetuals.map(perpetualProduct),
    riskLimits: [],
    leverages: [],
    riskLimitsV2: perpetuals.map((i) => ({
      symbol: i.market.id,
      steps: '2000K',
      riskLimits: [{ limit: 2000000, initialMarginRr: '0.01', maintenanceMarginRr: '0.005' }],
    })),
    leveragesV2: [{ options: [1, 2, 3, 5, 10, 25, 50, 100], initialMarginRr: '0.01' }],
    ratioScale: SPOT_SCALE,
    md5Checksum: 'fake',
  };
}
