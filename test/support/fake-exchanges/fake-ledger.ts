// The order-book state behind every fake exchange: balances, orders, fills and (for perpetuals)
// positions of one test account. Each fake translates its exchange's wire format to and from this.
// Market orders fill in full at the current price; limit orders that cross fill at once, the rest
// rest until `setPrice` moves the market through them. Fees are charged in the quote currency, except
// on spot buys of markets whose `buyFeeAsset` is 'base' (Bybit, Binance: the fee comes off what you buy).
import type Big from 'big.js';
import { type DecimalString, dec, str } from '../../../shared/core/money/decimal.js';

export interface FakeMarket {
  /** The exchange's own symbol, e.g. "BTCUSDT" or "PF_XBTUSD". */
  readonly id: string;
  readonly base: string;
  readonly quote: string;
  readonly kind: 'spot' | 'swap';
  readonly amountStep: DecimalString;
  readonly priceStep: DecimalString;
  readonly minAmount: DecimalString;
  readonly minNotional: DecimalString;
  readonly makerFeeRate: DecimalString;
  readonly takerFeeRate: DecimalString;
  /** Spot buys: the asset the fee is taken from; default 'quote'. */
  readonly buyFeeAsset?: 'base' | 'quote';
}

export type FakeOrderStatus = 'open' | 'filled' | 'cancelled';

export interface FakeFill {
  readonly tradeId: string;
  readonly orderId: string;
  readonly clientOrderId?: string;
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly price: DecimalString;
  readonly amount: DecimalString;
  readonly fee: DecimalString;
  readonly feeCurrency: string;
  readonly maker: boolean;
  readonly at: number;
}

export interface FakeOrder {
  readonly orderId: string;
  readonly clientOrderId?: string;
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly type: 'market' | 'limit';
  readonly price?: DecimalString;
  readonly amount: DecimalString;
  filled: DecimalString;
  /** Quote value of the fills so far. */
  cost: DecimalString;
  status: FakeOrderStatus;
  readonly reduceOnly: boolean;
  readonly createdAt: number;
  updatedAt: number;
  readonly fills: FakeFill[];
}

export interface FakePosition {
  /** Signed base amount: positive long, negative short. */
  size: Big;
  entryPrice: Big;
}

export interface PlaceInput {
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly type: 'market' | 'limit';
  readonly amount: DecimalString;
  readonly price?: DecimalString;
  readonly clientOrderId?: string;
  readonly reduceOnly?: boolean;
}

/**
 * When a client order id counts as taken. Binance spot frees the id once the earlier order is no
 * longer open (it accepts the same newClientOrderId again after a fill); the others never do.
 */
export type DuplicatePolicy = 'while-open' | 'forever';

export type PlaceRejection =
  | 'unknown-symbol'
  | 'duplicate-client-id'
  | 'insufficient-balance'
  | 'invalid-amount'
  | 'invalid-price'
  | 'min-notional'
  | 'reduce-only';

export type PlaceResult =
  | { readonly ok: true; readonly order: FakeOrder }
  | { readonly ok: false; readonly reason: PlaceRejection; readonly message: string };

const isMultipleOf = (value: Big, step: DecimalString) => value.mod(step).eq(0);

export class FakeLedger {
  readonly markets = new Map<string, FakeMarket>();
  readonly prices = new Map<string, Big>();
  /** Free and locked balance per currency. */
  readonly balances = new Map<string, { free: Big; used: Big }>();
  readonly orders: FakeOrder[] = [];
  readonly positions = new Map<string, FakePosition>();
  readonly leverage = new Map<string, { leverage: number; marginMode: 'isolated' | 'cross' }>();
  private sequence = 0;

  constructor(
    markets: readonly FakeMarket[],
    private readonly now: () => number = Date.now,
    private readonly duplicatePolicy: DuplicatePolicy = 'forever',
  ) {
    for (const m of markets) this.markets.set(m.id, m);
  }

  setBalance(currency: string, free: DecimalString): void {
    this.balances.set(currency, { free: dec(free), used: dec(0) });
  }

  balance(currency: string): { free: Big; used: Big } {
    let b = this.balances.get(currency);
    if (!b) {
      b = { free: dec(0), used: dec(0) };
      this.balances.set(currency, b);
    }
    return b;
  }

  price(symbol: string): Big {
    const p = this.prices.get(symbol);
    if (!p) throw new Error(`fake ledger: no price for ${symbol}`);
    return p;
  }

  nextId(): string {
    this.sequence += 1;
    return String(1_000_000 + this.sequence);
  }

  byOrderId(orderId: string): FakeOrder | undefined {
    return this.orders.find((o) => o.orderId === orderId);
  }

  /** The latest order with this client id (Binance spot may hold several once filled). */
  byClientId(clientOrderId: string): FakeOrder | undefined {
    for (let i = this.orders.length - 1; i >= 0; i--) {
      const o = this.orders[i];
      if (o?.clientOrderId === clientOrderId) return o;
    }
    return undefined;
  }

  openOrders(symbol?: string): FakeOrder[] {
    return this.orders.filter((o) => o.status === 'open' && (symbol === undefined || o.symbol === symbol));
  }

  fillsSince(symbol: string | undefined, since: number): FakeFill[] {
    return this.orders
      .flatMap((o) => o.fills)
      .filter((f) => (symbol === undefined || f.symbol === symbol) && f.at >= since)
      .sort((a, b) => a.at - b.at);
  }

  place(input: PlaceInput): PlaceResult {
    const market = this.markets.get(input.symbol);
    if (!market) return reject('unknown-symbol', `unknown symbol ${input.symbol}`);
    if (input.clientOrderId !== undefined) {
      const earlier = this.byClientId(input.clientOrderId);
      if (earlier && (this.duplicatePolicy === 'forever' || earlier.status === 'open')) {
        return reject('duplicate-client-id', `duplicate client order id ${input.clientOrderId}`);
      }
    }
    const amount = dec(input.amount);
    if (amount.lte(0) || !isMultipleOf(amount, market.amountStep) || amount.lt(market.minAmount)) {
      return reject(
        'invalid-amount',
        `amount ${input.amount} breaks step ${market.amountStep} or minimum ${market.minAmount}`,
      );
    }
    if (input.type === 'limit') {
      if (
        input.price === undefined ||
        dec(input.price).lte(0) ||
        !isMultipleOf(dec(input.price), market.priceStep)
      ) {
        return reject('invalid-price', `price ${input.price ?? '(none)'} breaks tick ${market.priceStep}`);
      }
    }
    const market_price = this.price(input.symbol);
    const reference = input.type === 'limit' && input.price !== undefined ? dec(input.price) : market_price;
    if (amount.times(reference).lt(market.minNotional)) {
      return reject('min-notional', `order value below the minimum notional ${market.minNotional}`);
    }
    if (input.reduceOnly && market.kind === 'swap') {
      const position = this.positions.get(input.symbol);
      const closes = position && (input.side === 'sell' ? position.size.gt(0) : position.size.lt(0));
      if (!position || !closes || amount.gt(position.size.abs())) {
        return reject('reduce-only', 'reduce-only order would open or grow a position');
      }
    }
    const lock = this.lockFor(market, input.side, amount, reference, input.reduceOnly ?? false);
    const wallet = this.balance(lock.currency);
    if (wallet.free.lt(lock.amount)) {
      return reject(
        'insufficient-balance',
        `needs ${str(lock.amount)} ${lock.currency}, has ${str(wallet.free)}`,
      );
    }
    wallet.free = wallet.free.minus(lock.amount);
    wallet.used = wallet.used.plus(lock.amount);
    const at = this.now();
    const order: FakeOrder = {
      orderId: this.nextId(),
      ...(input.clientOrderId === undefined ? {} : { clientOrderId: input.clientOrderId }),
      symbol: input.symbol,
      side: input.side,
      type: input.type,
      ...(input.price === undefined ? {} : { price: input.price }),
      amount: input.amount,
      filled: '0',
      cost: '0',
      status: 'open',
      reduceOnly: input.reduceOnly ?? false,
      createdAt: at,
      updatedAt: at,
      fills: [],
    };
    this.orders.push(order);
    const crosses =
      input.type === 'market' ||
      (input.side === 'buy' ? reference.gte(market_price) : reference.lte(market_price));
    if (crosses) this.fill(order, input.type === 'market' ? market_price : reference, false);
    return { ok: true, order };
  }

  cancel(order: FakeOrder): void {
    if (order.status !== 'open') return;
    const market = this.requireMarket(order.symbol);
    const remaining = dec(order.amount).minus(order.filled);
    this.unlock(market, order, remaining);
    order.status = 'cancelled';
    order.updatedAt = this.now();
  }

  /** Moves the market; resting limit orders the new price reaches fill at their limit (as makers). */
  setPrice(symbol: string, price: DecimalString): void {
    this.prices.set(symbol, dec(price));
    for (const order of this.openOrders(symbol)) {
      if (order.type !== 'limit' || order.price === undefined) continue;
      const limit = dec(order.price);
      const reached = order.side === 'buy' ? dec(price).lte(limit) : dec(price).gte(limit);
      if (reached) this.fill(order, limit, true);
    }
  }

  private requireMarket(symbol: string): FakeMarket {
    const market = this.markets.get(symbol);
    if (!market) throw new Error(`fake ledger: unknown market ${symbol}`);
    return market;
  }

  /** What an order holds while open: spot buys hold quote, spot sells base, perpetuals margin. */
  private lockFor(market: FakeMarket, side: 'buy' | 'sell', amount: Big, price: Big, reduceOnly: boolean) {
    if (market.kind === 'spot') {
      return side === 'buy'
        ? { currency: market.quote, amount: amount.times(price).times(dec(1).plus(market.takerFeeRate)) }
        : { currency: market.base, amount };
    }
    if (reduceOnly) return { currency: market.quote, amount: dec(0) };
    const leverage = this.leverage.get(market.id)?.leverage ?? 1;
    return { currency: market.quote, amount: amount.times(price).div(leverage) };
  }

  private unlock(market: FakeMarket, order: FakeOrder, amount: Big): void {
    const reference = order.price === undefined ? this.price(order.symbol) : dec(order.price);
    const lock = this.lockFor(market, order.side, amount, reference, order.reduceOnly);
    const wallet = this.balance(lock.currency);
    const released = lock.amount.gt(wallet.used) ? wallet.used : lock.amount;
    wallet.used = wallet.used.minus(released);
    wallet.free = wallet.free.plus(released);
  }

  private fill(order: FakeOrder, price: Big, maker: boolean): void {
    const market = this.requireMarket(order.symbol);
    const amount = dec(order.amount).minus(order.filled);
    const cost = amount.times(price);
    const rate = maker ? market.makerFeeRate : market.takerFeeRate;
    const feeInBase = market.kind === 'spot' && order.side === 'buy' && market.buyFeeAsset === 'base';
    const fee = feeInBase ? amount.times(rate) : cost.times(rate);
    this.unlock(market, order, amount);
    const quote = this.balance(market.quote);
    if (market.kind === 'spot') {
      const base = this.balance(market.base);
      if (order.side === 'buy') {
        quote.free = quote.free.minus(cost).minus(feeInBase ? 0 : fee);
        base.free = base.free.plus(amount).minus(feeInBase ? fee : 0);
      } else {
        base.free = base.free.minus(amount);
        quote.free = quote.free.plus(cost).minus(fee);
      }
    } else {
      quote.free = quote.free.minus(fee).plus(this.applyToPosition(order.symbol, order.side, amount, price));
    }
    const at = this.now();
    order.fills.push({
      tradeId: this.nextId(),
      orderId: order.orderId,
      ...(order.clientOrderId === undefined ? {} : { clientOrderId: order.clientOrderId }),
      symbol: order.symbol,
      side: order.side,
      price: str(price),
      amount: str(amount),
      fee: str(fee),
      feeCurrency: feeInBase ? market.base : market.quote,
      maker,
      at,
    });
    order.filled = order.amount;
    order.cost = str(dec(order.cost).plus(cost));
    order.status = 'filled';
    order.updatedAt = at;
  }

  /** Updates the perpetual position; returns the realized PnL of the part that closed. */
  private applyToPosition(symbol: string, side: 'buy' | 'sell', amount: Big, price: Big): Big {
    const position = this.positions.get(symbol) ?? { size: dec(0), entryPrice: dec(0) };
    const signed = side === 'buy' ? amount : amount.times(-1);
    let realized = dec(0);
    const sameDirection = position.size.eq(0) || position.size.gt(0) === signed.gt(0);
    if (sameDirection) {
      const size = position.size.plus(signed);
      position.entryPrice = position.size
        .abs()
        .times(position.entryPrice)
        .plus(amount.times(price))
        .div(size.abs());
      position.size = size;
    } else {
      const closing = amount.gt(position.size.abs()) ? position.size.abs() : amount;
      const direction = position.size.gt(0) ? 1 : -1;
      realized = price.minus(position.entryPrice).times(closing).times(direction);
      position.size = position.size.plus(signed);
      if (position.size.eq(0)) position.entryPrice = dec(0);
      else if (position.size.gt(0) !== direction > 0) position.entryPrice = price;
    }
    this.positions.set(symbol, position);
    return realized;
  }
}

function reject(reason: PlaceRejection, message: string): PlaceResult {
  return { ok: false, reason, message };
}
