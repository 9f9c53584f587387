// The fake Phemex's USDT perpetual ("g-") endpoints: account and positions, orders (POST /g-orders,
// the open list, DELETE /g-orders/cancel), the order history, fills from both histories (the
// api-data one names its order, tradingList does not) and leverage with margin mode.
import { str } from '../../../shared/core/money/decimal.js';
import type { FakeRoute } from './fake-server.js';
import {
  BAD_ARGUMENTS,
  cancelOrder,
  fillsOf,
  marketOf,
  NOT_FOUND,
  orderHistory,
  type PhemexFakeState,
  placeOrder,
  requireMarket,
  routeBuilder,
  SYMBOL_INVALID,
  stale,
} from './phemex-fake-common.js';
import {
  perpetualFill,
  perpetualOrder,
  perpetualOrderHistory,
  tradingListRow,
} from './phemex-fake-orders.js';
import { fail, instrumentById, ok } from './phemex-fake-wire.js';

export function perpetualRoutes(state: PhemexFakeState): FakeRoute[] {
  const { ledger } = state;
  const route = routeBuilder(state);
  return [
    route(
      'GET',
      '/g-accounts/accountPositions',
      (request) => {
        const currency = request.query.get('currency');
        if (currency !== 'USDT') return fail(11028, 'TE_CURRENCY_INVALID');
        const wallet = ledger.balance('USDT');
        const positions = [...ledger.positions.entries()].map(([symbol, p]) => ({
          accountID: 9000001,
          symbol,
          currency: 'USDT',
          side: p.size.gt(0) ? 'Buy' : p.size.lt(0) ? 'Sell' : 'None',
          posSide: 'Merged',
          posMode: 'OneWay',
          size: str(p.size.abs()),
          avgEntryPriceRp: str(p.entryPrice),
          leverageRr: String(ledger.leverage.get(symbol)?.leverage ?? -10),
          positionStatus: 'Normal',
        }));
        return ok({
          account: {
            userID: 90000,
            accountId: 9000001,
            currency: 'USDT',
            accountBalanceRv: str(wallet.free.plus(wallet.used)),
            totalUsedBalanceRv: str(wallet.used),
            bonusBalanceRv: '0',
          },
          positions,
        });
      },
      'read',
    ),
    route(
      'POST',
      '/g-orders',
      placeOrder(
        state,
        'swap',
        (body, _market, type) =>
          // One-way mode: posSide must be "Merged" (hedged accounts use Long / Short).
          body.posSide !== 'Merged'
            ? { refusal: BAD_ARGUMENTS() }
            : {
                amount: String(body.orderQtyRq ?? '0'),
                ...(type === 'limit' ? { price: String(body.priceRp ?? '0') } : {}),
                reduceOnly: body.reduceOnly === true,
              },
        (order) => perpetualOrder(order, 'ack'),
      ),
      'trade',
    ),
    route(
      'DELETE',
      '/g-orders/cancel',
      cancelOrder(state, 'swap', (order) => perpetualOrder(order, 'active')),
      'trade',
    ),
    route(
      'GET',
      '/g-orders/activeList',
      (request) => {
        const symbol = request.query.get('symbol') ?? '';
        if (!marketOf(symbol, 'swap')) return SYMBOL_INVALID();
        const open = stale(state) ? [] : ledger.openOrders(symbol);
        // Phemex answers an empty list with "order not found" (ccxt turns it into []).
        return open.length === 0 ? NOT_FOUND() : ok({ rows: open.map((o) => perpetualOrder(o, 'active')) });
      },
      'read',
    ),
    route(
      'GET',
      '/api-data/g-futures/orders/by-order-id',
      orderHistory(state, 'swap', perpetualOrderHistory),
      'read',
    ),
    route(
      'GET',
      '/api-data/g-futures/trades',
      (request) => {
        const symbol = request.query.get('symbol') ?? '';
        const instrument = marketOf(symbol, 'swap');
        if (!instrument) return SYMBOL_INVALID();
        const to = Number(request.query.get('end') ?? state.now());
        // Documented default: two days back from the end.
        const from = Number(request.query.get('start') ?? to - 2 * 86_400_000);
        const offset = Number(request.query.get('offset') ?? 0);
        const limit = Math.min(Number(request.query.get('limit') ?? 20), 200);
        const rows = fillsOf(ledger, symbol, from, to)
          .slice(offset, offset + limit)
          .map(({ fill, order }) => perpetualFill(fill, order, instrument.market));
        return ok(rows, 'OK');
      },
      'read',
    ),
    route(
      'GET',
      '/exchange/order/v2/tradingList',
      (request) => {
        if (request.query.get('currency') !== 'USDT') return fail(11028, 'TE_CURRENCY_INVALID');
        const from = Number(request.query.get('start') ?? 0);
        const offset = Number(request.query.get('offset') ?? 0);
        const limit = Math.min(Number(request.query.get('limit') ?? 20), 200);
        const rows = ledger.orders
          .filter((o) => instrumentById(o.symbol)?.market.kind === 'swap')
          .flatMap((o) => o.fills.map((fill) => ({ fill, order: o })))
          .filter(({ fill }) => fill.at >= from)
          .slice(offset, offset + limit)
          .map(({ fill, order }) => tradingListRow(fill, order, requireMarket(order.symbol)));
        return ok(rows, 'OK');
      },
      'read',
    ),
    route(
      'PUT',
      '/g-positions/leverage',
      (request) => {
        const symbol = request.query.get('symbol') ?? '';
        if (!marketOf(symbol, 'swap')) return SYMBOL_INVALID();
        // One-way mode takes leverageRr: positive for isolated margin, negative for cross.
        const leverage = Number(request.query.get('leverageRr'));
        if (!Number.isFinite(leverage) || Math.abs(leverage) < 1 || Math.abs(leverage) > 100) {
          return fail(11004, 'TE_INVALID_LEVERAGE');
        }
        ledger.leverage.set(symbol, {
          leverage: Math.abs(leverage),
          marginMode: leverage < 0 ? 'cross' : 'isolated',
        });
        return ok('OK');
      },
      'trade',
    ),
  ];
}
