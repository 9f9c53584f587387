// The gateway contract against the fake Binance: spot BTC/USDT (/api/v3, spot wallet) and the USD-M
// perpetual ETH/USDT:USDT (/fapi, futures wallet). ETH for the perpetual because the contract's
// oversized order (a million times the amount) must stay inside Binance's LOT_SIZE maxQty to reach
// the balance check, as it would on the real exchange (BTCUSDT perpetual: maxQty 1000, min notional 100).
import { fakeGateway } from '../../support/exchange-test-kit.js';
import { startBinanceFake } from '../../support/fake-exchanges/binance-fake.js';
import { describeGatewayContract } from '../../support/gateway-contract.js';

describeGatewayContract('binance (fake)', async () => {
  const fake = await startBinanceFake();
  return {
    gateway: fakeGateway('binance', fake),
    spot: { symbol: 'BTC/USDT', price: 60000, amount: '0.001' },
    swap: { symbol: 'ETH/USDT:USDT', price: 3000, amount: '0.01' },
    quote: 'USDT',
    setPrice: async (symbol, price) => fake.setPrice(symbol, String(Math.round(price))),
    orderCount: async () => fake.orderCount(),
    close: () => fake.close(),
  };
});
