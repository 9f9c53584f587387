// The fake Phemex's spot endpoints: wallets, orders (POST /spot/orders, the open-order queries,
// DELETE by orderID or clOrdID), the order history ccxt's fetchOrder reads, and fills.
import { dec, floorToStep, str } from '../../../shared/core/money/decimal.js';
import type { FakeRoute } from './fake-server.js';
import {
  BAD_ARGUMENTS,
  fillsOf,
  findOrder,
  marketOf,
  NOT_FOUND,
  type PhemexFakeState,
  parseBody,
  rejection,
  routeBuilder,
  SYMBOL_INVALID,
  sideAndType,
  stale,
} from './phemex-fake-common.js';
import { spotFill, spotOrder } from './phemex-fake-orders.js';
import { nanos, ok, scaled, unscaled } from './phemex-fake-wire.js';

export function spotRoutes(state: PhemexFakeState): FakeRoute[] {
  const { ledger } = state;
  const route = routeBuilder(state);
  return [
    route(
      'GET',
      '/spot/wallets',
      (request) => {
        const only = request.query.get('currency');
        const wallets = [...ledger.balances.entries()]
          .filter(([currency]) => only === null || currency === only)
          .map(([currency, b]) => ({
            currency,
            balanceEv: scaled(b.free.plus(b.used)),
            lockedTradingBalanceEv: scaled(b.used),
            lockedWithdrawEv: 0,
            lastUpdateTimeNs: nanos(state.now()),
            walletVid: 0,
          }));
        return ok(wallets);
      },
      'read',
    ),
    route(
      'POST',
      '/spot/orders',
      (request) => {
        const body = parseBody(request);
        const instrument = marketOf(String(body.symbol ?? ''), 'spot');
        if (!instrument) return SYMBOL_INVALID();
        const market = instrument.market;
        const parsed = sideAndType(body);
        if ('refusal' in parsed) return parsed.refusal;
        const { side, type } = parsed;
        const clOrdID = typeof body.clOrdID === 'string' ? body.clOrdID : undefined;
        if (clOrdID !== undefined && clOrdID.length > 40) return BAD_ARGUMENTS();
        const price = type === 'limit' ? unscaled(body.priceEp) : undefined;
        // ByQuote (a market buy for a quote amount) is converted at the current price.
        const amount =
          body.qtyType === 'ByQuote'
            ? str(floorToStep(dec(unscaled(body.quoteQtyEv)).div(ledger.price(market.id)), market.amountStep))
            : unscaled(body.baseQtyEv);
        const placed = ledger.place({
          symbol: market.id,
          side,
          type,
          amount,
          ...(price === undefined ? {} : { price }),
          ...(clOrdID === undefined ? {} : { clientOrderId: clOrdID }),
        });
        return placed.ok
          ? ok(spotOrder(placed.order, 'ack'))
          : rejection(placed.reason, market, side, amount);
      },
      'trade',
    ),
    route(
      'DELETE',
      '/spot/orders',
      (request) => {
        const symbol = request.query.get('symbol') ?? '';
        if (!marketOf(symbol, 'spot')) return SYMBOL_INVALID();
        const order = findOrder(state, symbol, request.query);
        if (order?.status !== 'open') return NOT_FOUND();
        ledger.cancel(order);
        return ok(spotOrder(order, 'active'));
      },
      'trade',
    ),
    route(
      'GET',
      '/spot/orders',
      (request) => {
        const symbol = request.query.get('symbol') ?? '';
        if (!marketOf(symbol, 'spot')) return SYMBOL_INVALID();
        const open = ledger.openOrders(symbol);
        return open.length === 0 ? NOT_FOUND() : ok(open.map((o) => spotOrder(o, 'active')));
      },
      'read',
    ),
    route(
      'GET',
      '/spot/orders/active',
      (request) => {
        const symbol = request.query.get('symbol') ?? '';
        if (!marketOf(symbol, 'spot')) return SYMBOL_INVALID();
        const order = findOrder(state, symbol, request.query);
        if (stale(state) || !order || order.status !== 'open') return NOT_FOUND();
        return ok(spotOrder(order, 'active'));
      },
      'read',
    ),
    route(
      'GET',
      '/api-data/spots/orders/by-order-id',
      (request) => {
        const symbol = request.query.get('symbol') ?? '';
        if (!marketOf(symbol, 'spot')) return SYMBOL_INVALID();
        const order = findOrder(state, symbol, request.query);
        return ok(stale(state) || !order ? [] : [spotOrder(order, 'history')]);
      },
      'read',
    ),
    route(
      'GET',
      '/exchange/spot/order/trades',
      (request) => {
        const symbol = request.query.get('symbol') ?? '';
        const instrument = marketOf(symbol, 'spot');
        if (!instrument) return SYMBOL_INVALID();
        const from = Number(request.query.get('start') ?? 0);
        const to = Number(request.query.get('end') ?? state.now());
        const rows = fillsOf(ledger, symbol, from, to).map(({ fill, order }) =>
          spotFill(fill, order, instrument.market),
        );
        return ok({ total: rows.length, rows }, 'OK');
      },
      'read',
    ),
  ];
}
