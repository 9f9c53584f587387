// Shared setup for the paper engine's example tests: one BTC/USDT market, a funded engine, bars on
// a minute grid, and placement/balance helpers that fail loudly.
import { PaperEngine } from '../../../shared/core/paper/engine.js';
import type {
  Candle,
  PaperEngineConfig,
  PaperMarket,
  PaperOrderRequest,
  PaperPlacement,
} from '../../../shared/core/paper/engine-types.js';

export const BTC: PaperMarket = {
  symbol: 'BTC/USDT',
  base: 'BTC',
  quote: 'USDT',
  rules: { amountStep: '0.001', minAmount: '0.001', minNotional: '5' },
  priceTick: '0.01',
};
export const fees = { takerFeeRate: '0.001', makerFeeRate: '0.0005', slippageBps: 10 };

export function engineWith(config: Partial<PaperEngineConfig> = {}): PaperEngine {
  return new PaperEngine({ markets: [BTC], fees, balances: { USDT: '10000', BTC: '1' }, ...config });
}

let minute = 0;
export function bar(open: string, high: string, low: string, close: string, volume = '1000'): Candle {
  minute += 1;
  return { openTime: Date.UTC(2026, 0, 1) + minute * 60_000, open, high, low, close, volume };
}

/** An engine whose last price is 20000 (the reference for market orders). */
export function at20000(config: Partial<PaperEngineConfig> = {}): PaperEngine {
  const engine = engineWith(config);
  engine.onCandle('BTC/USDT', bar('20000', '20000', '20000', '20000'));
  return engine;
}

export function place(engine: PaperEngine, request: Omit<PaperOrderRequest, 'symbol'>): PaperPlacement {
  const result = engine.place({ symbol: 'BTC/USDT', ...request });
  if (!result.ok) throw new Error(`refused: ${result.error.code} ${result.error.message}`);
  return result.value;
}

export function balance(engine: PaperEngine, currency: string) {
  const row = engine.balances().find((b) => b.currency === currency);
  return { free: row?.free ?? '0', used: row?.used ?? '0' };
}
