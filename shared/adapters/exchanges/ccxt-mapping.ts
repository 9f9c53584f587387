// ccxt's unified structures to the port's. ccxt hands numbers as JS floats; they become decimal
// strings here, trimmed to 15 significant digits so float noise (0.30000000000000004) never leaks.
// Perpetual amounts arrive in contracts and leave in base units.
import Big from 'big.js';
import type { DecimalString } from '../../core/money/decimal.js';
import type {
  Balance,
  ExchangeFill,
  ExchangeOrder,
  ExchangeTrade,
  MarketInfo,
  MarketKind,
  OhlcvBar,
} from '../../ports/exchange-gateway.js';
import { ExchangeError } from '../../ports/exchange-gateway.js';
import type { CcxtBalances, CcxtMarket, CcxtOhlcv, CcxtOrder, CcxtTrade } from './ccxt.js';

const TICK_SIZE = 4;
const DECIMAL_PLACES = 2;

export function decimal(
  value: number | string | undefined | null,
  fallback: DecimalString = '0',
): DecimalString {
  if (value === undefined || value === null || value === '') return fallback;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) return fallback;
  return new Big(n.toPrecision(15)).toFixed();
}

/** Base units per contract: 1 for spot and for the linear perpetuals ccxt normalises. */
export function contractSize(market: CcxtMarket): Big {
  return market?.contract && market.contractSize ? new Big(decimal(market.contractSize, '1')) : new Big(1);
}

/** A precision as an increment, whichever way the exchange's ccxt class counts it. */
export function stepOf(precision: number | undefined, precisionMode: number): DecimalString {
  if (precision === undefined) return '0.00000001';
  if (precisionMode === TICK_SIZE) return decimal(precision);
  if (precisionMode === DECIMAL_PLACES) return new Big(1).div(new Big(10).pow(precision)).toFixed();
  throw new Error(`unsupported ccxt precision mode ${precisionMode}`);
}

export function toMarketInfo(market: NonNullable<CcxtMarket>, precisionMode: number): MarketInfo {
  const size = contractSize(market);
  const amountStep = new Big(stepOf(market.precision.amount, precisionMode)).times(size).toFixed();
  const minAmount = market.limits.amount?.min ?? 0;
  return {
    symbol: market.symbol,
    kind: market.spot ? 'spot' : 'swap',
    base: market.base,
    quote: market.quote,
    amountStep,
    minAmount: new Big(decimal(minAmount)).times(size).toFixed(),
    minNotional: decimal(market.limits.cost?.min ?? 0),
    priceStep: stepOf(market.precision.price, precisionMode),
    makerFeeRate: decimal(market.maker ?? 0),
    takerFeeRate: decimal(market.taker ?? 0),
  };
}

const STATUS: Readonly<Record<string, ExchangeOrder['status']>> = {
  open: 'open',
  closed: 'filled',
  canceled: 'cancelled',
  cancelled: 'cancelled',
  expired: 'cancelled',
  rejected: 'rejected',
};

/**
 * ccxt says `closed` for an order that will not trade again, filled or not (Bybit's
 * PartiallyFilledCanceled): only a full fill is `filled`, the rest is `cancelled` with its `filled`
 * part. A status ccxt does not know is an error, not a guess: an order reported open when it has
 * filled would be managed wrongly.
 */
function statusOf(order: CcxtOrder, amount: Big, filled: Big): ExchangeOrder['status'] {
  if (order.status === undefined || order.status === null) {
    return amount.gt(0) && filled.gte(amount) ? 'filled' : 'open';
  }
  const status = STATUS[order.status];
  if (!status) throw new ExchangeError('unknown', `unknown order status "${order.status}"`);
  if (status === 'filled' && filled.lt(amount)) return 'cancelled';
  return status;
}

function iso(timestamp: number | undefined, fallback: number): string {
  return new Date(timestamp ?? fallback).toISOString();
}

export function toTrade(trade: CcxtTrade, market: CcxtMarket, now: number): ExchangeTrade {
  const amount = new Big(decimal(trade.amount)).times(contractSize(market));
  const price = decimal(trade.price);
  return {
    tradeId: String(trade.id ?? `${trade.order ?? 'order'}-${trade.timestamp ?? now}`),
    price,
    amount: amount.toFixed(),
    cost: decimal(trade.cost ?? Number(amount.times(price).toFixed())),
    fee: decimal(trade.fee?.cost ?? 0),
    feeCurrency: trade.fee?.currency ?? market?.quote ?? '',
    at: iso(trade.timestamp, now),
  };
}

export function toFill(trade: CcxtTrade, market: CcxtMarket, now: number): ExchangeFill {
  const info = (trade.info ?? {}) as Record<string, unknown>;
  const clientOrderId = [
    info.clientOrderId,
    info.orderLinkId,
    info.clOrdID,
    info.cliOrdId,
    info.cli_ord_id,
  ].find((v): v is string => typeof v === 'string' && v !== '');
  return {
    ...toTrade(trade, market, now),
    orderId: String(trade.order ?? ''),
    ...(clientOrderId === undefined ? {} : { clientOrderId }),
    symbol: trade.symbol ?? market?.symbol ?? '',
    side: trade.side === 'sell' ? 'sell' : 'buy',
  };
}

/** `clientOrderId` is ours: some replies (a cancel, a bare create ack) do not echo it back. */
export function toExchangeOrder(
  order: CcxtOrder,
  market: CcxtMarket,
  clientOrderId: string | undefined,
  now: number,
): ExchangeOrder {
  const size = contractSize(market);
  const amount = new Big(decimal(order.amount)).times(size);
  const filled = new Big(decimal(order.filled)).times(size);
  // A market order's `price` may be the exchange's slippage guard (Bybit); what it filled at is `average`.
  const isLimit = order.type?.toLowerCase() === 'limit';
  const price = isLimit ? (order.price ?? order.average) : (order.average ?? order.price);
  const status = statusOf(order, amount, filled);
  if (order.id === undefined || order.id === null || order.id === '') {
    throw new ExchangeError(
      'unknown',
      `${market?.symbol ?? ''}: the exchange reported an order without an id`,
    );
  }
  return {
    orderId: String(order.id),
    clientOrderId: order.clientOrderId ?? clientOrderId ?? '',
    symbol: order.symbol ?? market?.symbol ?? '',
    side: order.side === 'sell' ? 'sell' : 'buy',
    type: isLimit ? 'limit' : 'market',
    status,
    ...(price === undefined || price === null ? {} : { price: decimal(price) }),
    amount: amount.toFixed(),
    filled: filled.toFixed(),
    trades: (order.trades ?? []).map((t) => toTrade(t, market, now)),
    createdAt: iso(order.timestamp, now),
  };
}

export function toBalances(balances: CcxtBalances, wallet: MarketKind): Balance[] {
  const out: Balance[] = [];
  const free = (balances.free ?? {}) as unknown as Record<string, number | undefined>;
  const used = (balances.used ?? {}) as unknown as Record<string, number | undefined>;
  for (const currency of Object.keys(free)) {
    out.push({ wallet, currency, free: decimal(free[currency]), used: decimal(used[currency]) });
  }
  return out;
}

export function toBar(row: CcxtOhlcv): OhlcvBar {
  return {
    openTime: Number(row[0]),
    open: decimal(row[1]),
    high: decimal(row[2]),
    low: decimal(row[3]),
    close: decimal(row[4]),
    volume: decimal(row[5]),
  };
}
