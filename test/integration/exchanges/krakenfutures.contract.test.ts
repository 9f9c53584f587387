// The gateway contract against the fake Kraken Futures: perpetuals only (Kraken Futures has no
// spot), BTC/USD:USD on PF_XBTUSD, funded in USD on the flex account.
import { fakeGateway } from '../../support/exchange-test-kit.js';
import { startKrakenFuturesFake } from '../../support/fake-exchanges/krakenfutures-fake.js';
import { describeGatewayContract } from '../../support/gateway-contract.js';

describeGatewayContract('krakenfutures (fake)', async () => {
  const fake = await startKrakenFuturesFake();
  return {
    gateway: fakeGateway('krakenfutures', fake),
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
