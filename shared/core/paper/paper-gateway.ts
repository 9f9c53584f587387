// The paper engine behind the ExchangeGateway port, for one account, so the gateway contract tests
// can run against it. The core imports only types from the port, so the caller hands in how to
// build the port's ExchangeError (e.g. `(kind, message) => new ExchangeError(kind, message)`).
import type {
  Balance,
  ExchangeErrorKind,
  ExchangeGateway,
  ExchangeOrder,
  OrderRequest,
  Ticker,
} from '../../ports/exchange-gateway.js';
import type { PaperEngine } from './engine.js';
import { isoAt } from './engine-orders.js';
import type { PaperEngineError, PaperOrder } from './engine-types.js';
import type { MarketRules } from './matching.js';

export type ExchangeErrorFactory = (kind: ExchangeErrorKind, message: string) => Error;

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

export class PaperGateway implements ExchangeGateway {
  constructor(
    private readonly engine: PaperEngine,
    private readonly toError: ExchangeErrorFactory,
  ) {}

  async marketRules(symbol: string): Promise<MarketRules> {
    const market = this.engine.market(symbol);
    if (!market) throw this.toError('invalid-order', `unknown symbol ${symbol}`);
    return market.rules;
  }

  async fetchTicker(symbol: string): Promise<Ticker> {
    if (!this.engine.market(symbol)) throw this.toError('invalid-order', `unknown symbol ${symbol}`);
    const last = this.engine.lastPrice(symbol);
    // Before its first bar the paper market has no price, like an exchange that is not up yet.
    if (last === null) throw this.toError('exchange-unavailable', `no price yet for ${symbol}`);
    return { symbol, last, at: isoAt(this.engine.time(symbol)) };
  }

  async fetchBalances(): Promise<readonly Balance[]> {
    return this.engine.balances();
  }

  async createOrder(request: OrderRequest): Promise<ExchangeOrder> {
    const result = this.engine.place(request);
    if (!result.ok) throw this.error(result.error);
    return toExchangeOrder(result.value.order);
  }

  async fetchOrderByClientId(symbol: string, clientOrderId: string): Promise<ExchangeOrder | null> {
    const order = this.engine.orderByClientId(clientOrderId);
    return order && order.symbol === symbol ? toExchangeOrder(order) : null;
  }

  /** Not in the port yet: cancels by client id; null when the account has no such order. */
  async cancelOrder(symbol: string, clientOrderId: string): Promise<ExchangeOrder | null> {
    const known = this.engine.orderByClientId(clientOrderId);
    if (!known || known.symbol !== symbol) return null;
    const result = this.engine.cancel(clientOrderId);
    if (!result.ok) throw this.error(result.error);
    return toExchangeOrder(result.value);
  }

  private error(error: PaperEngineError): Error {
    return this.toError(error.code === 'order-not-found' ? 'invalid-order' : error.code, error.message);
  }
}
