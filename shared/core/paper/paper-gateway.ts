// The paper engine behind the ExchangeGateway port, for one spot account, so the gateway contract
// tests (and a backtest that wants the port) can run against it. The core imports only types from
// the port, so the caller hands in how to build the port's ExchangeError (e.g.
// `(kind, message) => new ExchangeError(kind, message)`). Time is the engine's: the feed's epoch ms.
import type {
  Balance,
  ExchangeErrorKind,
  ExchangeFill,
  ExchangeGateway,
  ExchangeOrder,
  KeyPermissions,
  MarginMode,
  MarketInfo,
  OhlcvBar,
  OrderRef,
  OrderRequest,
  Ticker,
} from '../../ports/exchange-gateway.js';
import type { PaperEngine } from './engine.js';
import { barsInTimeframe, selectBars, timeframeMs } from './engine-candles.js';
import { isoAt } from './engine-orders.js';
import type { PaperEngineError, PaperMarket, PaperOrder, PaperTrade } from './engine-types.js';
import type { MarketRules } from './matching.js';

export type ExchangeErrorFactory = (kind: ExchangeErrorKind, message: string) => Error;

export interface PaperGatewayOptions {
  /**
   * The timeframe of the candles fed to the engine (e.g. "5m"): fetchOhlcv serves it and whole
   * multiples of it from the engine's kept candles (PaperEngineConfig.keepCandles). Without it the
   * gateway serves no bars.
   */
  readonly timeframe?: string;
}

/** A market without a price tick takes any price; this is the finest step it reports. */
const ANY_PRICE_STEP = '0.00000001';

/** Paper keys move no money: they may trade, never withdraw or transfer. */
export const PAPER_KEY_PERMISSIONS: KeyPermissions = {
  canRead: true,
  canTrade: true,
  canWithdraw: false,
  canTransfer: false,
  ipRestricted: 'unknown',
  ips: [],
};

/** The port knows market and limit orders; stops execute as market orders once triggered. */
export function toExchangeOrder(o: PaperOrder): ExchangeOrder {
  const price = o.price ?? o.averagePrice;
  return {
    orderId: o.orderId,
    clientOrderId: o.clientOrderId,
    symbol: o.symbol,
    side: o.side,
    type: o.type === 'limit' ? 'limit' : 'market',
    status: o.status,
    ...(price === undefined ? {} : { price }),
    amount: o.amount,
    filled: o.filled,
    trades: o.trades,
    createdAt: o.createdAt,
  };
}

export function toExchangeFill(t: PaperTrade): ExchangeFill {
  return {
    tradeId: t.tradeId,
    orderId: t.orderId,
    clientOrderId: t.clientOrderId,
    symbol: t.symbol,
    side: t.side,
    price: t.price,
    amount: t.amount,
    cost: t.cost,
    fee: t.fee,
    feeCurrency: t.feeCurrency,
    at: t.at,
  };
}

export class PaperGateway implements ExchangeGateway {
  constructor(
    private readonly engine: PaperEngine,
    private readonly toError: ExchangeErrorFactory,
    private readonly options: PaperGatewayOptions = {},
  ) {}

  async loadMarkets(): Promise<readonly MarketInfo[]> {
    const { makerFeeRate, takerFeeRate } = this.engine.fees;
    return this.engine.markets().map((m) => ({
      symbol: m.symbol,
      kind: 'spot',
      base: m.base,
      quote: m.quote,
      ...m.rules,
      priceStep: m.priceTick ?? ANY_PRICE_STEP,
      makerFeeRate,
      takerFeeRate,
    }));
  }

  async marketRules(symbol: string): Promise<MarketRules> {
    return this.market(symbol).rules;
  }

  async fetchTicker(symbol: string): Promise<Ticker> {
    this.market(symbol);
    const last = this.engine.lastPrice(symbol);
    // Before its first bar the paper market has no price, like an exchange that is not up yet.
    if (last === null) throw this.toError('exchange-unavailable', `no price yet for ${symbol}`);
    return { symbol, last, at: isoAt(this.engine.time(symbol)) };
  }

  async fetchOhlcv(
    symbol: string,
    timeframe: string,
    since?: number,
    limit?: number,
  ): Promise<readonly OhlcvBar[]> {
    this.market(symbol);
    const native = this.options.timeframe;
    const nativeMs = native === undefined ? null : timeframeMs(native);
    if (nativeMs === null) throw this.toError('invalid-order', 'this paper market keeps no bars');
    const bars = barsInTimeframe(this.engine.candles(symbol), nativeMs, timeframe);
    if (!bars.ok) throw this.error(bars.error);
    return selectBars(bars.value, since, limit);
  }

  async fetchBalances(): Promise<readonly Balance[]> {
    return this.engine.balances();
  }

  /** Spot only: `reduceOnly` has nothing to shrink here and is ignored, as the port allows. */
  async createOrder(request: OrderRequest): Promise<ExchangeOrder> {
    const { reduceOnly: _spotIgnoresIt, ...order } = request;
    const result = this.engine.place(order);
    if (!result.ok) throw this.error(result.error);
    return toExchangeOrder(result.value.order);
  }

  async fetchOrderByClientId(symbol: string, clientOrderId: string): Promise<ExchangeOrder | null> {
    return this.fetchOrder(symbol, { clientOrderId });
  }

  async fetchOrder(symbol: string, ref: OrderRef): Promise<ExchangeOrder | null> {
    const order = this.find(symbol, ref);
    return order ? toExchangeOrder(order) : null;
  }

  async cancelOrder(symbol: string, ref: OrderRef): Promise<ExchangeOrder | null> {
    const known = this.find(symbol, ref);
    if (!known) return null;
    const result = this.engine.cancel(known.clientOrderId);
    if (!result.ok) throw this.error(result.error);
    return toExchangeOrder(result.value);
  }

  async fetchOpenOrders(symbol: string): Promise<readonly ExchangeOrder[]> {
    this.market(symbol);
    return this.engine.openOrders(symbol).map(toExchangeOrder);
  }

  async fetchFillsSince(symbol: string, since: number): Promise<readonly ExchangeFill[]> {
    this.market(symbol);
    return this.engine.fillsSince(symbol, since).map(toExchangeFill);
  }

  async setLeverage(_symbol: string, _leverage: number, _marginMode: MarginMode): Promise<void> {
    throw this.toError('invalid-order', 'paper accounts trade spot only');
  }

  async keyPermissions(): Promise<KeyPermissions> {
    return PAPER_KEY_PERMISSIONS;
  }

  /** The order on `symbol`, by either id; null when the account has none (on that symbol). */
  private find(symbol: string, ref: OrderRef): PaperOrder | null {
    const order =
      'orderId' in ref ? this.engine.order(ref.orderId) : this.engine.orderByClientId(ref.clientOrderId);
    return order && order.symbol === symbol ? order : null;
  }

  private market(symbol: string): PaperMarket {
    const market = this.engine.market(symbol);
    if (!market) throw this.toError('invalid-order', `unknown symbol ${symbol}`);
    return market;
  }

  private error(error: PaperEngineError): Error {
    return this.toError(error.code === 'order-not-found' ? 'invalid-order' : error.code, error.message);
  }
}
