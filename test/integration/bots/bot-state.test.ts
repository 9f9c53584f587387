// Each bot's state per symbol on DynamoDB Local: a bar is claimed once (of overlapping ticks only one
// wins), the open signal is set, kept or cleared with the claim, and marked delivered by its key.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoBotStateRepository } from '../../../shared/adapters/dynamodb/bot-state-repository.js';
import { signalSchema } from '../../../shared/core/signals/signal.js';
import type { OpenBotSignal } from '../../../shared/ports/market-data.js';
import { type LocalServices, startLocalServices } from '../../support/local-services.js';

let services: LocalServices;
let repo: DynamoBotStateRepository;
beforeAll(async () => {
  services = await startLocalServices({ setProcessEnv: false });
  repo = new DynamoBotStateRepository(services.db, services.tableName);
}, 60_000);
afterAll(async () => {
  await services?.stop();
});

const at = new Date(Date.UTC(2026, 5, 1, 12));

function openSignal(bar: number): OpenBotSignal {
  const signal = signalSchema.parse({
    signalId: `qfl-BTCUSDT-${bar}`,
    source: 'house',
    bot: 'qfl',
    symbol: 'BTC/USDT',
    side: 'long',
    entry: { type: 'market' },
    targets: [{ price: '101' }],
    stopLoss: '98',
    timeframe: '15m',
    confidence: 0.5,
    createdAt: at.toISOString(),
  });
  return {
    signalKey: `house:${signal.signalId}`,
    barOpenTime: bar,
    side: 'long',
    firstTarget: '101',
    stopLoss: '98',
    openedAt: at.toISOString(),
    delivered: false,
    signal,
  };
}

describe('bot state', () => {
  it('claims each bar once: of ten overlapping claims of the same bar exactly one wins', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, () => repo.claimBar('qfl', 'BTC/USDT', 1000, openSignal(1000), at)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await repo.claimBar('qfl', 'BTC/USDT', 999, null, at)).toBe(false);
    const state = (await repo.listForBot('qfl')).get('BTC/USDT');
    expect(state).toMatchObject({
      bot: 'qfl',
      symbol: 'BTC/USDT',
      lastEvaluatedBar: 1000,
      lastSignalAt: at.toISOString(),
      openSignal: { signalKey: 'house:qfl-BTCUSDT-1000', delivered: false, signal: { symbol: 'BTC/USDT' } },
    });
  });

  it('marks the open signal delivered by its key only', async () => {
    await repo.markDelivered('qfl', 'BTC/USDT', 'house:someone-else');
    expect((await repo.listForBot('qfl')).get('BTC/USDT')?.openSignal?.delivered).toBe(false);
    await repo.markDelivered('qfl', 'BTC/USDT', 'house:qfl-BTCUSDT-1000');
    expect((await repo.listForBot('qfl')).get('BTC/USDT')?.openSignal?.delivered).toBe(true);
  });

  it('clears the open signal when a later bar is claimed without one, and keeps the cooldown start', async () => {
    expect(await repo.claimBar('qfl', 'BTC/USDT', 2000, null, at)).toBe(true);
    const state = (await repo.listForBot('qfl')).get('BTC/USDT');
    expect(state?.openSignal).toBeUndefined();
    expect(state?.lastSignalAt).toBe(at.toISOString());
    expect(state?.lastEvaluatedBar).toBe(2000);
  });

  it("keeps each bot's symbols apart", async () => {
    await repo.claimBar('trend', 'ETH/USDT', 5, null, at);
    expect([...(await repo.listForBot('trend')).keys()]).toEqual(['ETH/USDT']);
    expect([...(await repo.listForBot('qfl')).keys()]).toEqual(['BTC/USDT']);
    expect((await repo.listForBot('ai')).size).toBe(0);
  });
});
