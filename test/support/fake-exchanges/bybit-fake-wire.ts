// Bybit v5's wire format for the fake: its reply envelope and error codes, and the order,
// execution and wallet records it returns, built from the shared ledger.
import { type DecimalString, dec, str } from '../../../shared/core/money/decimal.js';
import { type BybitCategory, splitLedgerId } from './bybit-fake-markets.js';
import type { FakeFill, FakeLedger, FakeOrder, PlaceRejection } from './fake-ledger.js';
import type { FakeResponse } from './fake-server.js';

// ---- envelope -------------------------------------------------------------------------------

/** Every Bybit v5 reply, success or failure, has this shape; failures mostly come with HTTP 200. */
export function envelope(
  now: number,
  retCode: number,
  retMsg: string,
  result: unknown = {},
): Record<string, unknown> {
  return { retCode, retMsg, result, retExtInfo: {}, time: now };
}

export function ok(now: number, result: unknown): FakeResponse {
  return { status: 200, body: envelope(now, 0, 'OK', result) };
}

export function fail(now: number, retCode: number, retMsg: string, status = 200): FakeResponse {
  return { status, body: envelope(now, retCode, retMsg) };
}

/** How /v5/order/create words each ledger refusal, per category. */
export function placeRejection(
  now: number,
  category: BybitCategory,
  reason: PlaceRejection | 'below-min-qty',
  detail: string,
): FakeResponse {
  const isSpot = category === 'spot';
  switch (reason) {
    case 'unknown-symbol':
      return fail(now, 10001, 'params error: symbol invalid');
    case 'duplicate-client-id':
      return fail(now, 110072, 'OrderLinkedID is duplicate');
    case 'insufficient-balance':
      return isSpot
        ? fail(now, 170131, 'Insufficient balance.')
        : fail(now, 110007, 'ab not enough for new order');
    case 'below-min-qty':
      return isSpot
        ? fail(now, 170136, 'Order quantity lower than the minimum.')
        : fail(now, 10001, 'The number of contracts below min limit allowed');
    case 'invalid-amount':
      return isSpot
        ? fail(now, 170137, 'Order volume decimal too long')
        : fail(now, 10001, `Qty invalid: ${detail}`);
    case 'invalid-price':
      return isSpot
        ? fail(now, 170134, 'Order price decimal too long.')
        : fail(now, 10001, `Price invalid: ${detail}`);
    case 'min-notional':
      return isSpot
        ? fail(now, 170140, 'Order value exceeded lower limit.')
        : fail(now, 110094, 'Order does not meet minimum order value 5USDT');
    case 'reduce-only':
      return fail(now, 110017, 'Reduce-only rule not satisfied');
  }
}

// ---- records --------------------------------------------------------------------------------

/** What the fake remembers of a create request beyond the ledger: how its qty was counted. */
export interface OrderWireExtras {
  readonly marketUnit?: 'baseCoin' | 'quoteCoin';
  /** The qty as sent (a quote amount when marketUnit is quoteCoin). */
  readonly qty: DecimalString;
  readonly lastPriceOnCreated: DecimalString;
}

const side = (s: 'buy' | 'sell') => (s === 'buy' ? 'Buy' : 'Sell');

function orderStatus(order: FakeOrder): string {
  if (order.status === 'filled') return 'Filled';
  if (order.status === 'cancelled') return dec(order.filled).gt(0) ? 'PartiallyFilledCanceled' : 'Cancelled';
  return dec(order.filled).gt(0) ? 'PartiallyFilled' : 'New';
}

/** One entry of /v5/order/realtime and /v5/order/history. */
export function orderRecord(order: FakeOrder, extras: OrderWireExtras | undefined): Record<string, unknown> {
  const { category, symbol } = splitLedgerId(order.symbol);
  const filled = dec(order.filled);
  const leaves = order.status === 'open' ? dec(order.amount).minus(filled) : dec(0);
  const fee = order.fills.reduce((sum, f) => sum.plus(f.fee), dec(0));
  const feeCurrency = order.fills[0]?.feeCurrency;
  const isSpot = category === 'spot';
  const record: Record<string, unknown> = {
    orderId: order.orderId,
    orderLinkId: order.clientOrderId ?? '',
    blockTradeId: '',
    symbol,
    price: order.price ?? (isSpot ? '0' : (extras?.lastPriceOnCreated ?? '0')),
    qty: extras?.marketUnit === 'quoteCoin' ? extras.qty : order.amount,
    side: side(order.side),
    isLeverage: isSpot ? '0' : '',
    positionIdx: 0,
    orderStatus: orderStatus(order),
    createType: 'CreateByUser',
    cancelType: order.status === 'cancelled' ? 'CancelByUser' : 'UNKNOWN',
    rejectReason: 'EC_NoError',
    avgPrice: filled.gt(0) ? str(dec(order.cost).div(filled)) : isSpot ? '' : '0',
    leavesQty: str(leaves),
    leavesValue: str(leaves.times(order.price ?? '0')),
    cumExecQty: str(filled),
    cumExecValue: order.cost,
    cumExecFee: str(fee),
    ...(feeCurrency && fee.gt(0) ? { cumFeeDetail: { [feeCurrency]: str(fee) } } : {}),
    timeInForce: order.type === 'market' ? 'IOC' : 'GTC',
    orderType: order.type === 'market' ? 'Market' : 'Limit',
    stopOrderType: '',
    orderIv: '',
    marketUnit: isSpot && order.type === 'market' ? (extras?.marketUnit ?? 'baseCoin') : '',
    triggerPrice: '0',
    takeProfit: '0',
    stopLoss: '0',
    tpTriggerBy: '',
    slTriggerBy: '',
    triggerDirection: 0,
    triggerBy: '',
    lastPriceOnCreated: extras?.lastPriceOnCreated ?? '',
    reduceOnly: order.reduceOnly,
    closeOnTrigger: false,
    placeType: '',
    smpType: 'None',
    smpGroup: 0,
    smpOrderId: '',
    tpLimitPrice: '',
    slLimitPrice: '',
    createdTime: String(order.createdAt),
    updatedTime: String(order.updatedAt),
  };
  // Bybit sends tpslMode on derivatives orders only (ccxt reads its presence as "a contract").
  if (!isSpot) record.tpslMode = 'UNKNOWN';
  return record;
}

/** One entry of /v5/execution/list. */
export function executionRecord(fill: FakeFill, order: FakeOrder, seq: number): Record<string, unknown> {
  const { category, symbol } = splitLedgerId(fill.symbol);
  const value = dec(fill.price).times(fill.amount);
  const record: Record<string, unknown> = {
    symbol,
    orderId: fill.orderId,
    orderLinkId: fill.clientOrderId ?? '',
    side: side(fill.side),
    orderPrice: order.price ?? '0',
    orderQty: order.amount,
    leavesQty: str(dec(order.amount).minus(order.filled)),
    orderType: order.type === 'market' ? 'Market' : 'Limit',
    stopOrderType: '',
    execFee: fill.fee,
    execId: `e${fill.tradeId}`,
    execPrice: fill.price,
    execQty: fill.amount,
    execType: 'Trade',
    execValue: str(value),
    execTime: String(fill.at),
    isMaker: fill.maker,
    feeRate: dec(fill.amount).gt(0) && dec(value).gt(0) ? str(feeRateOf(fill, value)) : '0',
    tradeIv: '',
    markIv: '',
    markPrice: fill.price,
    indexPrice: '',
    underlyingPrice: '',
    blockTradeId: '',
    closedSize: '0',
    seq,
  };
  if (category === 'spot') record.feeCurrency = fill.feeCurrency;
  else record.createType = 'CreateByUser';
  return record;
}

function feeRateOf(fill: FakeFill, value: ReturnType<typeof dec>) {
  // A base-asset fee is a share of the amount; a quote fee a share of the value.
  return fill.feeCurrency === splitBase(fill.symbol)
    ? dec(fill.fee).div(fill.amount)
    : dec(fill.fee).div(value);
}

function splitBase(ledgerSymbol: string): string {
  return splitLedgerId(ledgerSymbol).symbol.replace(/USDT$/, '');
}

/** The one account of /v5/account/wallet-balance?accountType=UNIFIED. */
export function unifiedWallet(ledger: FakeLedger): Record<string, unknown> {
  const coins: Record<string, unknown>[] = [];
  let totalWallet = dec(0);
  for (const [coin, balance] of ledger.balances) {
    const wallet = balance.free.plus(balance.used);
    if (wallet.eq(0) && balance.used.eq(0)) continue;
    const orderIm = perpetualOrderMargin(ledger, coin);
    const locked = balance.used.minus(orderIm);
    if (coin === 'USDT') totalWallet = totalWallet.plus(wallet);
    coins.push({
      coin,
      equity: str(wallet),
      usdValue: coin === 'USDT' ? str(wallet) : '',
      walletBalance: str(wallet),
      free: '',
      locked: str(locked.lt(0) ? dec(0) : locked),
      spotHedgingQty: '0',
      borrowAmount: '0',
      // Deprecated for unified accounts: Bybit now sends an empty string here.
      availableToWithdraw: '',
      accruedInterest: '0',
      totalOrderIM: str(orderIm),
      totalPositionIM: '0',
      totalPositionMM: '0',
      unrealisedPnl: '0',
      cumRealisedPnl: '0',
      bonus: '0',
      marginCollateral: true,
      collateralSwitch: true,
    });
  }
  return {
    accountType: 'UNIFIED',
    accountIMRate: '0',
    accountMMRate: '0',
    totalEquity: str(totalWallet),
    totalWalletBalance: str(totalWallet),
    totalMarginBalance: str(totalWallet),
    totalAvailableBalance: str(totalWallet),
    totalPerpUPL: '0',
    totalInitialMargin: '0',
    totalMaintenanceMargin: '0',
    accountLTV: '0',
    coin: coins,
  };
}

/** Initial margin held by open perpetual orders in `coin` (what the ledger locked for them). */
function perpetualOrderMargin(ledger: FakeLedger, coin: string) {
  let total = dec(0);
  for (const order of ledger.openOrders()) {
    const market = ledger.markets.get(order.symbol);
    if (market?.kind !== 'swap' || market.quote !== coin || order.reduceOnly) continue;
    const leverage = ledger.leverage.get(order.symbol)?.leverage ?? 1;
    const remaining = dec(order.amount).minus(order.filled);
    total = total.plus(remaining.times(order.price ?? ledger.price(order.symbol)).div(leverage));
  }
  return total;
}
