// Orders and fills as Phemex puts them on the wire: spot in scaled integers (Ep/Ev ×10^8), the USDT
// perpetuals in real-number strings (Rp/Rq/Rv). Each endpoint family has its own field names
// (orderID vs orderId, orderType vs ordType); the fake keeps them apart as Phemex does.
import { dec, str } from '../../../shared/core/money/decimal.js';
import type { FakeFill, FakeMarket, FakeOrder } from './fake-ledger.js';
import { nanos, scaled } from './phemex-fake-wire.js';

const capitalized = (side: 'buy' | 'sell') => (side === 'buy' ? 'Buy' : 'Sell');
const ordType = (order: FakeOrder) => (order.type === 'limit' ? 'Limit' : 'Market');

/** Phemex's ordStatus; a create reply is an acknowledgement ("Created") before matching. */
function ordStatus(order: FakeOrder): string {
  if (order.status === 'filled') return 'Filled';
  if (order.status === 'cancelled') return 'Canceled';
  return dec(order.filled).gt(0) ? 'PartiallyFilled' : 'New';
}

const orderFee = (order: FakeOrder) => order.fills.reduce((sum, f) => sum.plus(f.fee), dec(0));
const average = (order: FakeOrder) => (dec(order.filled).gt(0) ? dec(order.cost).div(order.filled) : dec(0));
const lastFillAt = (order: FakeOrder) => order.fills.at(-1)?.at ?? 0;

/**
 * A spot order. `ack` is the create reply (ordStatus "Created", nothing filled yet); `history` the
 * /api-data rows, which name cumulative amounts cumBaseValueEv / cumQuoteValueEv.
 */
export function spotOrder(order: FakeOrder, shape: 'ack' | 'active' | 'history') {
  const ack = shape === 'ack';
  const filled = ack ? dec(0) : dec(order.filled);
  const cost = ack ? dec(0) : dec(order.cost);
  const remaining = dec(order.amount).minus(filled);
  const base = {
    orderID: order.orderId,
    clOrdID: order.clientOrderId ?? '',
    symbol: order.symbol,
    side: capitalized(order.side),
    qtyType: 'ByBase',
    ...(order.price === undefined ? {} : { priceEp: scaled(order.price) }),
    baseQtyEv: scaled(order.amount),
    quoteQtyEv: 0,
    ordType: ordType(order),
    timeInForce: order.type === 'limit' ? 'GoodTillCancel' : 'ImmediateOrCancel',
    ordStatus: ack ? 'Created' : ordStatus(order),
    execStatus: ack ? 'PendingNew' : order.status === 'filled' ? 'TakerFill' : 'New',
    stopDirection: 'UNSPECIFIED',
    stopPxEp: 0,
    avgPriceEp: scaled(ack ? dec(0) : average(order)),
    cumFeeEv: scaled(ack ? dec(0) : orderFee(order)),
    feeCurrency: order.fills[0]?.feeCurrency ?? '',
    leavesBaseQtyEv: scaled(order.status === 'open' ? remaining : dec(0)),
    leavesQuoteQtyEv: 0,
    createTimeNs: nanos(order.createdAt),
  };
  if (shape === 'history') {
    return {
      ...base,
      cumBaseValueEv: scaled(filled),
      cumQuoteValueEv: scaled(cost),
      avgTransactPriceEp: base.avgPriceEp,
    };
  }
  return {
    ...base,
    action: 'New',
    trigger: 'UNSPECIFIED',
    pegPriceType: 'UNSPECIFIED',
    bizError: 0,
    cumBaseQtyEv: scaled(filled),
    cumQuoteQtyEv: scaled(cost),
    cumBaseAmountEv: scaled(filled),
    cumQuoteAmountEv: scaled(cost),
    pegOffsetValueEp: 0,
    actionTimeNs: nanos(order.updatedAt),
  };
}

/** A USDT perpetual order as the g- endpoints (create, cancel, activeList) return it. */
export function perpetualOrder(order: FakeOrder, shape: 'ack' | 'active') {
  const ack = shape === 'ack';
  const filled = ack ? dec(0) : dec(order.filled);
  const remaining = order.status === 'open' || ack ? dec(order.amount).minus(filled) : dec(0);
  const price = order.price === undefined ? undefined : dec(order.price);
  return {
    bizError: 0,
    orderID: order.orderId,
    clOrdID: order.clientOrderId ?? '',
    symbol: order.symbol,
    side: capitalized(order.side),
    actionTimeNs: nanos(order.createdAt),
    transactTimeNs: ack ? '0' : nanos(lastFillAt(order) || order.updatedAt),
    orderType: ordType(order),
    ...(price === undefined ? {} : { priceRp: str(price) }),
    orderQtyRq: order.amount,
    displayQtyRq: order.amount,
    timeInForce: order.type === 'limit' ? 'GoodTillCancel' : 'ImmediateOrCancel',
    reduceOnly: order.reduceOnly,
    closedPnlRv: '0',
    closedSizeRq: '0',
    cumQtyRq: str(filled),
    cumValueRv: str(ack ? dec(0) : dec(order.cost)),
    leavesQtyRq: str(remaining),
    leavesValueRv: str(price ? remaining.times(price) : dec(0)),
    stopDirection: 'UNSPECIFIED',
    stopPxRp: '0',
    trigger: 'UNSPECIFIED',
    pegOffsetValueRp: '0',
    pegOffsetProportionRr: '0',
    execStatus: ack ? 'PendingNew' : order.status === 'filled' ? 'TakerFill' : 'New',
    pegPriceType: 'UNSPECIFIED',
    ordStatus: ack ? 'Created' : ordStatus(order),
    execInst: order.reduceOnly ? 'ReduceOnly' : 'None',
    takeProfitRp: '0',
    stopLossRp: '0',
    posSide: 'Merged',
  };
}

/** A row of /api-data/g-futures/orders/by-order-id: note orderId, clOrdId and ordType. */
export function perpetualOrderHistory(order: FakeOrder) {
  const filled = dec(order.filled);
  const remaining = order.status === 'open' ? dec(order.amount).minus(filled) : dec(0);
  return {
    orderId: order.orderId,
    clOrdId: order.clientOrderId ?? '',
    symbol: order.symbol,
    side: capitalized(order.side),
    ordType: ordType(order),
    actionTimeNs: nanos(order.createdAt),
    ...(order.price === undefined ? {} : { priceRp: order.price }),
    orderQtyRq: order.amount,
    displayQtyRq: order.amount,
    timeInForce: order.type === 'limit' ? 'GoodTillCancel' : 'ImmediateOrCancel',
    reduceOnly: order.reduceOnly,
    takeProfitRp: '0',
    stopLossRp: '0',
    closedPnlRv: '0',
    closedSizeRq: '0',
    cumQtyRq: str(filled),
    cumValueRv: order.cost,
    leavesQtyRq: str(remaining),
    leavesValueRv: str(order.price === undefined ? dec(0) : remaining.times(order.price)),
    stopDirection: 'UNSPECIFIED',
    ordStatus: ordStatus(order),
    transactTimeNs: nanos(lastFillAt(order) || order.updatedAt),
    bizError: 0,
  };
}

// ---- fills ----------------------------------------------------------------------------------

/** A row of GET /exchange/spot/order/trades. */
export function spotFill(fill: FakeFill, order: FakeOrder, market: FakeMarket) {
  return {
    qtyType: 'ByBase',
    transactTimeNs: nanos(fill.at),
    clOrdID: fill.clientOrderId ?? '',
    orderID: fill.orderId,
    symbol: fill.symbol,
    side: capitalized(fill.side),
    priceEP: scaled(order.price ?? fill.price),
    baseQtyEv: scaled(order.amount),
    quoteQtyEv: 0,
    action: 'New',
    execStatus: fill.maker ? 'MakerFill' : 'TakerFill',
    ordStatus: ordStatus(order),
    ordType: ordType(order),
    execInst: 'None',
    timeInForce: order.type === 'limit' ? 'GoodTillCancel' : 'ImmediateOrCancel',
    stopDirection: 'UNSPECIFIED',
    tradeType: 'Trade',
    stopPxEp: 0,
    execId: `${fill.tradeId}-exec`,
    execPriceEp: scaled(fill.price),
    execBaseQtyEv: scaled(fill.amount),
    execQuoteQtyEv: scaled(dec(fill.amount).times(fill.price)),
    leavesBaseQtyEv: 0,
    leavesQuoteQtyEv: 0,
    execFeeEv: scaled(fill.fee),
    feeRateEr: scaled(fill.maker ? market.makerFeeRate : market.takerFeeRate),
    baseCurrency: market.base,
    quoteCurrency: market.quote,
    feeCurrency: fill.feeCurrency,
  };
}

/** A row of GET /api-data/g-futures/trades: it names the order (orderID, clOrdID). */
export function perpetualFill(fill: FakeFill, order: FakeOrder, market: FakeMarket) {
  return {
    action: 'New',
    clOrdID: fill.clientOrderId ?? '',
    closedPnlRv: '0',
    closedSizeRq: '0',
    currency: market.quote,
    execFeeRv: fill.fee,
    execID: `${fill.tradeId}-exec`,
    execPriceRp: fill.price,
    execQtyRq: fill.amount,
    execStatus: fill.maker ? 'MakerFill' : 'TakerFill',
    execValueRv: str(dec(fill.amount).times(fill.price)),
    feeRateRr: fill.maker ? market.makerFeeRate : market.takerFeeRate,
    orderID: fill.orderId,
    orderQtyRq: order.amount,
    ordType: ordType(order),
    ...(order.price === undefined ? {} : { priceRp: order.price }),
    side: capitalized(fill.side),
    symbol: fill.symbol,
    tradeType: 'Trade',
    transactTimeNs: nanos(fill.at),
  };
}

/**
 * A row of GET /exchange/order/v2/tradingList, the endpoint ccxt's own fetchMyTrades reads for USDT
 * perpetuals: enum codes instead of names and, as on the real exchange, no orderID.
 */
export function tradingListRow(fill: FakeFill, order: FakeOrder, market: FakeMarket) {
  return {
    createdAt: fill.at,
    symbol: fill.symbol,
    currency: market.quote,
    action: '1',
    tradeType: '1',
    execQtyRq: fill.amount,
    execPriceRp: fill.price,
    side: fill.side === 'buy' ? '1' : '2',
    orderQtyRq: order.amount,
    ...(order.price === undefined ? {} : { priceRp: order.price }),
    execValueRv: str(dec(fill.amount).times(fill.price)),
    feeRateRr: fill.maker ? market.makerFeeRate : market.takerFeeRate,
    execFeeRv: fill.fee,
    ordType: order.type === 'limit' ? '2' : '1',
    execId: `${fill.tradeId}-exec`,
    execStatus: fill.maker ? '6' : '7',
    posSide: '3',
  };
}
