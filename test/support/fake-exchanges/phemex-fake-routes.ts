// The Phemex endpoints ccxt 4.5.84 (and the phemex profile) call, on their real paths: products,
// server time, tickers and klines (public) here; spot and USDT perpetual trading in their own files.
// Each handler turns the wire request into a FakeLedger call and back.
import { dec, str } from '../../../shared/core/money/decimal.js';
import type { FakeRequest, FakeRoute } from './fake-server.js';
import { marketOf, type PhemexFakeState, routeBuilder } from './phemex-fake-common.js';
import { perpetualRoutes } from './phemex-fake-perpetual-routes.js';
import { spotRoutes } from './phemex-fake-spot-routes.js';
import { fail, mdResult, nanos, ok, productsV2, scaled } from './phemex-fake-wire.js';

export type { PhemexFakeState, PhemexKeyPermissions } from './phemex-fake-common.js';

export function phemexRoutes(state: PhemexFakeState): FakeRoute[] {
  return [...publicRoutes(state), ...spotRoutes(state), ...perpetualRoutes(state)];
}

function publicRoutes(state: PhemexFakeState): FakeRoute[] {
  const { ledger } = state;
  const route = routeBuilder(state);
  const klines = (request: FakeRequest, kind: 'spot' | 'swap') => {
    const instrument = marketOf(request.query.get('symbol'), kind);
    if (!instrument) return fail(39997, `Symbol not listed ${request.query.get('symbol') ?? ''}`);
    const resolution = Number(request.query.get('resolution') ?? 60);
    const count = Math.min(Number(request.query.get('limit') ?? 100), 1000);
    const last = Math.floor(state.now() / 1000 / resolution) * resolution;
    const price = ledger.price(instrument.market.id);
    const p = kind === 'spot' ? scaled(price) : str(price);
    const volume = kind === 'spot' ? scaled('1') : '1';
    const rows = Array.from({ length: count }, (_, k) => {
      const at = last - (count - 1 - k) * resolution;
      return [at, resolution, p, p, p, p, p, volume, kind === 'spot' ? scaled(price) : str(price)];
    });
    return ok({ total: -1, rows }, 'OK');
  };

  return [
    route('GET', '/public/products', () => ok(productsV2())),
    // Legacy contract products (coin-margined, USD): none of them are offered by this fake.
    route('GET', '/v1/exchange/public/products', () => ok([], 'OK')),
    route('GET', '/public/time', () => ok({ serverTime: state.now() })),
    route('GET', '/v1/md/spot/ticker/24hr', (request) => {
      const instrument = marketOf(request.query.get('symbol'), 'spot');
      if (!instrument)
        return {
          status: 200,
          body: { error: { code: 6001, message: 'invalid argument' }, id: null, result: null },
        };
      const price = ledger.price(instrument.market.id);
      return mdResult({
        askEp: scaled(price.plus(instrument.market.priceStep)),
        bidEp: scaled(price),
        highEp: scaled(price),
        lastEp: scaled(price),
        lowEp: scaled(price),
        openEp: scaled(price),
        symbol: instrument.market.id,
        timestamp: nanos(state.now()),
        turnoverEv: scaled(price.times(10)),
        volumeEv: scaled('10'),
      });
    }),
    route('GET', '/md/v2/ticker/24hr', (request) => {
      const instrument = marketOf(request.query.get('symbol'), 'swap');
      if (!instrument)
        return {
          status: 200,
          body: { error: { code: 6001, message: 'invalid argument' }, id: null, result: null },
        };
      const price = str(ledger.price(instrument.market.id));
      return mdResult({
        closeRp: price,
        fundingRateRr: '0.0001',
        highRp: price,
        indexPriceRp: price,
        lowRp: price,
        markPriceRp: price,
        openInterestRv: '0',
        openRp: price,
        predFundingRateRr: '0.0001',
        symbol: instrument.market.id,
        timestamp: nanos(state.now()),
        turnoverRv: str(dec(price).times(10)),
        volumeRq: '10',
      });
    }),
    route('GET', '/exchange/public/md/v2/kline', (request) => klines(request, 'spot')),
    route('GET', '/exchange/public/md/v2/kline/last', (request) => klines(request, 'swap')),
    route('GET', '/exchange/public/md/v2/kline/list', (request) => klines(request, 'swap')),
  ];
}
