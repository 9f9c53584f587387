import { describe, expect, it } from 'vitest';
import { runBotTick } from '../../../../shared/app/bot-ticks.js';
import { runBotStrategy } from '../../../../shared/app/bots/run-bot-strategy.js';
import { TIMEFRAME_MS } from '../../../../shared/core/bots/bot-types.js';
import { ExchangeError } from '../../../../shared/ports/exchange-gateway.js';
import type { Heartbeat } from '../../../../shared/ports/repositories.js';
import { FakeMarket, fakeStrategy, runnerDeps, StepClock } from './bot-fakes.js';

const M5 = TIMEFRAME_MS['5m'];
const MINUTE = 60_000;
/** 10 s into a 5m bar, well after the market's first bars. */
const START = Date.UTC(2026, 0, 2, 12, 0, 10);
const SYMBOLS = ['BTC/USDT', 'ETH/USDT', 'SOL/USDT'];

function setup(options: Parameters<typeof fakeStrategy>[1] = {}) {
  const clock = new StepClock(START);
  const market = new FakeMarket(SYMBOLS);
  const { strategy, seen } = fakeStrategy('scalping', options);
  const r = runnerDeps(market, clock);
  return {
    clock,
    market,
    strategy,
    seen,
    ...r,
    run: () => runBotStrategy(r.deps, strategy, SYMBOLS, 15_000),
  };
}

describe('bot runner', () => {
  it('turns an idea into a house signal of the bot, through ingest, with a deterministic id and rounded prices', async () => {
    const t = setup();
    const result = await t.run();
    expect(result.signals).toBe(3);
    const lastBar = Date.UTC(2026, 0, 2, 11, 55);
    const stored = t.signals.stored.get(`house:scalping-BTCUSDT-${lastBar}`);
    expect(stored?.signal).toMatchObject({
      source: 'house',
      bot: 'scalping',
      symbol: 'BTC/USDT',
      side: 'long',
      entry: { type: 'market' },
      targets: [{ price: '101.000' }, { price: '102.000' }],
      stopLoss: '98.0000',
      timeframe: '5m',
      confidence: 0.7,
      createdAt: new Date(lastBar + M5).toISOString(),
    });
    expect(t.queue.sent.map((m) => m.correlationId).sort()).toEqual(
      SYMBOLS.map((s) => `house:scalping-${s.replace('/', '')}-${lastBar}`).sort(),
    );
    const signalLogs = t.logs.filter((l) => l.message === 'bot signal');
    expect(signalLogs.map((l) => l.attributes.correlationId).sort()).toEqual(
      [...t.signals.stored.keys()].sort(),
    );
  });

  it('never hands the strategy a bar still in progress', async () => {
    const t = setup();
    for (let i = 0; i < 40; i++) {
      await t.run();
      t.clock.advance(7_000 + i * 1_000);
    }
    expect(t.seen.length).toBeGreaterThan(0);
    for (const s of t.seen) expect(s.lastOpen + M5).toBeLessThanOrEqual(t.clock.ms);
  });

  it('does nothing when no new bar has closed since the last evaluation', async () => {
    const t = setup({ fire: () => false });
    await t.run();
    const evaluations = t.seen.length;
    const fetches = t.market.requests.length;
    t.clock.advance(15_000);
    const again = await t.run();
    expect(t.seen.length).toBe(evaluations);
    expect(t.market.requests.length).toBe(fetches);
    expect(Object.values(again.outcomes)).toEqual(['no-new-bar', 'no-new-bar', 'no-new-bar']);
    t.clock.advance(M5);
    await t.run();
    expect(t.seen.length).toBe(evaluations + 3);
  });

  it('is idempotent: the same tick run twice emits one signal per symbol', async () => {
    const t = setup();
    const first = await t.run();
    const second = await t.run();
    expect(first.signals).toBe(3);
    expect(second.signals).toBe(0);
    expect(t.signals.stored.size).toBe(3);
    expect(t.queue.sent).toHaveLength(3);
  });

  it('lets only one of two overlapping ticks claim a bar and emit for it', async () => {
    const t = setup();
    const [a, b] = await Promise.all([t.run(), t.run()]);
    expect(a.signals + b.signals).toBe(3);
    expect(t.queue.sent).toHaveLength(3);
  });

  it('keeps quiet on a symbol through the cooldown after a signal, then evaluates it again', async () => {
    const t = setup();
    await t.run();
    // Move the price away so the open signal is closed by its stop: only the cooldown holds now.
    const next = Date.UTC(2026, 0, 2, 12, 0);
    t.market.extremes.set(next, { low: 50 });
    t.clock.advance(10 * MINUTE);
    const during = await t.run();
    expect(Object.values(during.outcomes)).toEqual(['cooldown', 'cooldown', 'cooldown']);
    t.clock.advance(6 * MINUTE);
    const after = await t.run();
    expect(after.signals).toBe(3);
  });

  it('does not signal a symbol again while its last signal is open, and does once its first target is hit', async () => {
    const t = setup();
    await t.run();
    t.clock.advance(20 * MINUTE); // past the 15 min cooldown; the price stayed between stop and target
    const open = await t.run();
    expect(Object.values(open.outcomes)).toEqual(['open-signal', 'open-signal', 'open-signal']);
    const barAfter = Date.UTC(2026, 0, 2, 12, 20);
    t.market.extremes.set(barAfter, { high: 101.5 });
    t.clock.advance(M5);
    const reopened = await t.run();
    expect(reopened.signals).toBe(3);
  });

  it('stops counting a signal as open after the max age', async () => {
    const t = setup();
    await t.run();
    t.clock.advance(23 * 60 * MINUTE);
    expect(Object.values((await t.run()).outcomes)).toEqual(['open-signal', 'open-signal', 'open-signal']);
    t.clock.advance(61 * MINUTE);
    expect((await t.run()).signals).toBe(3);
  });

  it('logs and skips a symbol whose market data fails, and runs the others', async () => {
    const t = setup();
    t.market.failing.set('ETH/USDT', new ExchangeError('exchange-unavailable', 'binance is down'));
    const result = await t.run();
    expect(result.outcomes).toEqual({ 'BTC/USDT': 'signal', 'ETH/USDT': 'failed', 'SOL/USDT': 'signal' });
    expect(result.rateLimited).toBe(false);
    expect(t.logs.some((l) => l.level === 'warn' && l.attributes.symbol === 'ETH/USDT')).toBe(true);
  });

  it('ends the tick early on an exchange rate limit', async () => {
    const t = setup();
    t.market.failing.set('BTC/USDT', new ExchangeError('rate-limited', 'slow down', 1000));
    const result = await runBotStrategy(
      { ...t.deps, config: { ...t.deps.config, concurrency: 1 } },
      t.strategy,
      SYMBOLS,
      15_000,
    );
    expect(result.rateLimited).toBe(true);
    expect(result.outcomes).toEqual({ 'BTC/USDT': 'failed', 'ETH/USDT': 'not-run', 'SOL/USDT': 'not-run' });
  });

  it('delivers again a signal claimed but not accepted by ingest (the function died in between)', async () => {
    const t = setup();
    const failingQueue = { send: async () => Promise.reject(new Error('sqs down')) };
    const broken = await runBotStrategy(
      { ...t.deps, ingest: { ...t.deps.ingest, queue: failingQueue } },
      t.strategy,
      SYMBOLS,
      15_000,
    );
    expect(broken.signals).toBe(0);
    expect(t.queue.sent).toHaveLength(0);
    t.clock.advance(5_000);
    await t.run();
    expect(t.queue.sent).toHaveLength(3);
    expect([...t.state.items.values()].every((s) => s.openSignal?.delivered === true)).toBe(true);
  });

  it('hands the strategy its higher timeframe, closed bars only', async () => {
    const t = setup({ higherTimeframe: '1h' });
    await t.run();
    expect(t.seen.every((s) => s.higherLength === 10)).toBe(true);
    expect(t.market.requests.some((r) => r.timeframe === '1h' && r.count >= 10)).toBe(true);
  });

  it('decides on the last closed bar only by default, even when several closed since the previous tick', async () => {
    const t = setup({ fire: () => false });
    await runBotStrategy(t.deps, t.strategy, ['BTC/USDT'], 20 * MINUTE);
    t.clock.advance(15 * MINUTE);
    await runBotStrategy(t.deps, t.strategy, ['BTC/USDT'], 20 * MINUTE);
    expect(t.seen.map((s) => s.lastOpen - (t.seen[0]?.lastOpen ?? 0))).toEqual([0, 3 * M5]);
  });

  it('when configured to, evaluates every bar closed since the previous tick, oldest first', async () => {
    const t = setup({ fire: () => false });
    t.deps = { ...t.deps, config: { ...t.deps.config, maxBarsPerTick: 24 } };
    await runBotStrategy(t.deps, t.strategy, ['BTC/USDT'], 20 * MINUTE);
    expect(t.seen).toHaveLength(1);
    t.clock.advance(15 * MINUTE);
    await runBotStrategy(t.deps, t.strategy, ['BTC/USDT'], 20 * MINUTE);
    const lastOpens = t.seen.map((s) => s.lastOpen);
    expect(lastOpens.slice(1).map((o) => o - (lastOpens[0] ?? 0))).toEqual([M5, 2 * M5, 3 * M5]);
    for (const s of t.seen) expect(s.length).toBe(20);
  });

  it('leaves bars that closed before the previous tick slot to it: a late tick decides on the last bar only', async () => {
    const t = setup({ fire: () => false });
    t.deps = { ...t.deps, config: { ...t.deps.config, maxBarsPerTick: 24 } };
    await runBotStrategy(t.deps, t.strategy, SYMBOLS, 15_000);
    t.clock.advance(15 * MINUTE);
    await runBotStrategy(t.deps, t.strategy, SYMBOLS, 15_000);
    expect(t.seen.filter((s) => s.symbol === 'BTC/USDT')).toHaveLength(2);
  });

  it('names a signal found on an earlier bar of the tick after that bar', async () => {
    const t = setup({ fire: () => false });
    t.deps = { ...t.deps, config: { ...t.deps.config, maxBarsPerTick: 24 } };
    await runBotStrategy(t.deps, t.strategy, ['BTC/USDT'], 20 * MINUTE);
    const firstBar = t.seen[0]?.lastOpen ?? 0;
    let calls = 0;
    const firesOnce = {
      ...t.strategy,
      evaluate: (ctx: Parameters<typeof t.strategy.evaluate>[0]) => {
        calls++;
        return calls === 1 ? fakeStrategy('scalping').strategy.evaluate(ctx) : null;
      },
    };
    t.clock.advance(15 * MINUTE);
    const result = await runBotStrategy(t.deps, firesOnce, ['BTC/USDT'], 20 * MINUTE);
    expect(result.signals).toBe(1);
    expect([...t.signals.stored.keys()]).toEqual([`house:scalping-BTCUSDT-${firstBar + M5}`]);
    expect(t.state.items.get('scalping|BTC/USDT')?.lastEvaluatedBar).toBe(firstBar + 3 * M5);
  });

  it('waits (no signal) while the market has fewer bars than the lookback', async () => {
    const t = setup({ lookback: 5000 });
    const result = await t.run();
    expect(Object.values(result.outcomes)).toEqual(['warming-up', 'warming-up', 'warming-up']);
    expect(t.seen).toHaveLength(0);
  });
});

describe('bot tick', () => {
  it('runs the strategy and records the number of signals in the heartbeat', async () => {
    const t = setup();
    const beats: Heartbeat[] = [];
    const result = await runBotTick(
      {
        heartbeats: { beat: async (h) => void beats.push(h), list: async () => beats },
        clock: t.clock,
        strategyFor: () => t.strategy,
        runner: t.deps,
        cloudUniverse: [],
      },
      { bot: 'scalping', scheduledFor: new Date(START - 2_000).toISOString() },
    );
    expect(result).toMatchObject({ ran: true, signals: 3 });
    expect(beats[0]).toMatchObject({ name: 'bot:scalping', detail: { signals: '3', strategy: 'on' } });
  });

  it('skips a stale tick and only beats for a bot without a strategy', async () => {
    const t = setup();
    const beats: Heartbeat[] = [];
    const deps = {
      heartbeats: { beat: async (h: Heartbeat) => void beats.push(h), list: async () => beats },
      clock: t.clock,
      strategyFor: () => undefined,
      runner: t.deps,
      cloudUniverse: [],
    };
    expect(
      await runBotTick(deps, { bot: 'scalping', scheduledFor: new Date(START - 60_000).toISOString() }),
    ).toMatchObject({ ran: false });
    expect(await runBotTick(deps, { bot: 'ai', scheduledFor: new Date(START).toISOString() })).toMatchObject({
      ran: true,
      signals: 0,
    });
    expect(beats.map((b) => b.detail?.strategy)).toEqual(['none']);
  });
});

describe('bot registry', () => {
  it('gives each of the four bots its strategy, under its own name', async () => {
    const { BOT_STRATEGIES } = await import('../../../../shared/app/bots/bot-registry.js');
    expect([...BOT_STRATEGIES.keys()].sort()).toEqual(['ai', 'qfl', 'scalping', 'trend']);
    for (const [name, strategy] of BOT_STRATEGIES) expect(strategy.name).toBe(name);
  });
});
