// The gateway contract against the fake Bybit v5 unified account: spot BTC/USDT and the USDT
// linear perpetual BTC/USDT:USDT, both funded from the one unified USDT wallet.
import { createExchangeGateway } from '../../../shared/adapters/exchanges/gateway-factory.js';
import { MarketCache } from '../../../shared/adapters/exchanges/market-cache.js';
import { startBybitFake } from '../../support/fake-exchanges/bybit-fake.js';
import { describeGatewayContract } from '../../support/gateway-contract.js';

describeGatewayContract('bybit (fake)', async () => {
  const fake = await startBybitFake();
  const gateway = createExchangeGateway(
    {
      exchange: 'bybit',
      mode: 'live',
      credentials: { apiKey: fake.apiKey, secret: fake.secret },
      baseUrl: fake.baseUrl,
    },
    { timeoutMs: 1500, sleep: async () => {}, random: () => 0.5, marketCache: new MarketCache() },
  );
  return {
    gateway,
    spot: { symbol: 'BTC/USDT', price: 60000, amount: '0.01' },
    swap: { symbol: 'BTC/USDT:USDT', price: 60000, amount: '0.01' },
    quote: 'USDT',
    setPrice: async (symbol, price) => fake.setPrice(symbol, Math.round(price)),
    orderCount: async () => fake.ledger.orders.length,
    close: () => fake.close(),
  };
});
