// The fake Phemex's spot endpoints: wallets, orders (POST /spot/orders, the open-order queries,
// DELETE by orderID or clOrdID), the order history ccxt's fetchOrder reads, and fills.
import { dec, floorToStep, str } from '../../../shared/core/money/decimal.js';
import type { FakeRoute } from './fake-server.js';
import {
  byOrder,
  cancelOrder,
  fillsOf,
  marketOf,
  NOT_FOUND,
  orderHistory,
  type PhemexFakeState,
  placeOrder,
  routeBuilder,
  SYMBOL_INVALID,
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
      placeOrder(
        state,
        'spot',
        (body, market, type) => ({
          // ByQuote (a market buy for a quote amount) is converted at the current price.
          amount:
            body.qtyType === 'ByQuote'
              ? str(
                  floorToStep(dec(unscaled(body.quoteQtyEv)).div(ledger.price(market.id)), market.amountStep),
                )
              : unscaled(body.baseQtyEv),
          ...(type === 'limit' ? { price: unscaled(body.priceEp) } : {}),
        }),
        (order) => spotOrder(order, 'ack'),
      ),
      'trade',
    ),
    route(
      'DELETE',
      '/spot/orders',
      cancelOrder(state, 'spot', (order) => spotOrder(order, 'active')),
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
      byOrder(state, 'spot', (order) =>
        stale(state) || !order || order.status !== 'open' ? NOT_FOUND() : ok(spotOrder(order, 'active')),
      ),
      'read',
    ),
    route(
      'GET',
      '/api-data/spots/orders/by-order-id',
      orderHistory(state, 'spot', (order) => spotOrder(order, 'history')),
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
