// The gateway contract against the fake Kraken Futures: perpetuals only (Kraken Futures has no
// spot), BTC/USD:USD on PF_XBTUSD, funded in USD on the flex account.
import { createExchangeGateway } from '../../../shared/adapters/exchanges/gateway-factory.js';
import { MarketCache } from '../../../shared/adapters/exchanges/market-cache.js';
import { startKrakenFuturesFake } from '../../support/fake-exchanges/krakenfutures-fake.js';
import { describeGatewayContract } from '../../support/gateway-contract.js';

describeGatewayContract('krakenfutures (fake)', async () => {
  const fake = await startKrakenFuturesFake();
  const gateway = createExchangeGateway(
    {
      exchange: 'krakenfutures',
      mode: 'live',
      credentials: { apiKey: fake.apiKey, secret: fake.secret },
      baseUrl: fake.baseUrl,
    },
    { timeoutMs: 1500, sleep: async () => {}, random: () => 0.5, marketCache: new MarketCache() },
  );
  return {
    gateway,
    swap: { symbol: 'BTC/USD:USD', price: 60000, amount: '0.01' },
    quote: 'USD',
    setPrice: async (symbol, price) => {
      const id = symbol === 'BTC/USD:USD' ? 'PF_XBTUSD' : 'PF_ETHUSD';
      fake.ledger.setPrice(id, String(Math.round(price)));
    },
    orderCount: async () => fake.ledger.orders.length,
    close: () => fake.close(),
  };
});
