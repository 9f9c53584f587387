// The gateway contract against the fake Bybit v5 unified account: spot BTC/USDT and the USDT
// linear perpetual BTC/USDT:USDT, both funded from the one unified USDT wallet.
import { fakeGateway } from '../../support/exchange-test-kit.js';
import { startBybitFake } from '../../support/fake-exchanges/bybit-fake.js';
import { describeGatewayContract } from '../../support/gateway-contract.js';

describeGatewayContract('bybit (fake)', async () => {
  const fake = await startBybitFake();
  return {
    gateway: fakeGateway('bybit', fake),
    spot: { symbol: 'BTC/USDT', price: 60000, amount: '0.01' },
    swap: { symbol: 'BTC/USDT:USDT', price: 60000, amount: '0.01' },
    quote: 'USDT',
    setPrice: async (symbol, price) => fake.setPrice(symbol, Math.round(price)),
    orderCount: async () => fake.ledger.orders.length,
    close: () => fake.close(),
  };
});
