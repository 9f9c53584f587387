// The ExchangeGateway contract against the fake Phemex: spot BTC/USDT and the USDT perpetual
// BTC/USDT:USDT, through the real wiring (createExchangeGateway with the phemex profile).

import { EgressGate } from '../../../shared/adapters/exchanges/egress-gate.js';
import { createExchangeGateway } from '../../../shared/adapters/exchanges/gateway-factory.js';
import { MarketCache } from '../../../shared/adapters/exchanges/market-cache.js';
import { fakeAccount } from '../../support/exchange-test-kit.js';
import { startPhemexFake } from '../../support/fake-exchanges/phemex-fake.js';
import { describeGatewayContract } from '../../support/gateway-contract.js';

describeGatewayContract('phemex (fake)', async () => {
  const fake = await startPhemexFake();
  const gateway = createExchangeGateway(fakeAccount('phemex', fake), {
    timeoutMs: 1500,
    retry: { baseDelayMs: 10, maxDelayMs: 50 },
    marketCache: new MarketCache(),
    egressGate: new EgressGate(),
  });
  return {
    gateway,
    spot: { symbol: 'BTC/USDT', price: 60000, amount: '0.001' },
    swap: { symbol: 'BTC/USDT:USDT', price: 60000, amount: '0.01' },
    quote: 'USDT',
    setPrice: async (symbol, price) => fake.setPrice(symbol, price),
    orderCount: async () => fake.ledger.orders.length,
    close: () => fake.close(),
  };
});
