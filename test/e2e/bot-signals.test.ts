// The bots end to end on the local stack: the scheduler's first firing dispatches the scalping bot's
// ticks, RunBot evaluates a deterministic always-firing strategy (injected in place of the registry)
// on the replayed market's closed bars, and its signals reach GET /api/signals as house signals of
// the bot and open paper positions for the auto-trading demo users. A tick delivered again makes no
// second signal, and no bar still in progress was ever handed to the strategy.
import { resolve } from 'node:path';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import { ReplayMarketData } from '../../shared/adapters/market-data/replay-market-data.js';
import { ReplayMarket } from '../../shared/adapters/paper/replay-market.js';
import { createSqsClient } from '../../shared/adapters/sqs/client.js';
import type { BotName, BotSignalIdea, BotStrategy } from '../../shared/core/bots/bot-types.js';
import { eventually } from '../support/eventually.js';
import { callStack } from '../support/stack-http.js';

/** What the injected strategy was handed: the last bar's open time, and when (wall clock). */
const evaluations = vi.hoisted(() => [] as { symbol: string; lastOpen: number; at: number }[]);

vi.mock('../../shared/app/bots/bot-registry.js', () => {
  const alwaysLong: BotStrategy = {
    name: 'scalping',
    timeframe: '5m',
    higherTimeframe: '15m',
    higherLookback: 10,
    lookback: 30,
    evaluate(ctx): BotSignalIdea | null {
      evaluations.push({
        symbol: ctx.symbol,
        lastOpen: ctx.primary.openTime[ctx.primary.length - 1] ?? Number.NaN,
        at: Date.now(),
      });
      if (ctx.symbol !== 'BTC/USDT') return null;
      const entry = ctx.primary.close[ctx.primary.length - 1] ?? 0;
      return {
        side: 'long',
        entryPrice: entry,
        // Far enough that the replayed price cannot have passed it by the time the signal executes.
        targets: [{ price: entry * 1.05 }],
        stopLoss: entry * 0.9,
        confidence: 0.8,
        reason: 'e2e: always long',
      };
    },
  };
  const strategies = new Map<BotName, BotStrategy>([['scalping', alwaysLong]]);
  return { BOT_STRATEGIES: strategies, strategyFor: (bot: BotName) => strategies.get(bot) };
});

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack({ port: 0, dataDir: null, scheduler: true, seed: true, quiet: true });
}, 90_000);
afterAll(async () => {
  await stack?.stop();
});

function call(method: 'GET' | 'POST', path: string, options: { token?: string; body?: unknown } = {}) {
  return callStack(stack.url, method, path, { body: options.body, bearer: options.token });
}

async function login(email: string): Promise<string> {
  const { status, body } = await call('POST', '/api/dev/login', { body: { email } });
  expect(status).toBe(200);
  return String(body.accessToken);
}

interface SignalView {
  readonly signalKey: string;
  readonly source: string;
  readonly bot?: string;
  readonly symbol: string;
  readonly createdAt: string;
  readonly signalId: string;
}

async function botSignals(token: string): Promise<SignalView[]> {
  const { status, body } = await call('GET', '/api/signals?limit=100', { token });
  expect(status).toBe(200);
  return (body.items as SignalView[]).filter((s) => s.source === 'house' && s.bot === 'scalping');
}

describe('bot signals on the local stack', () => {
  let alice = '';
  let first: SignalView | undefined;

  it('shows a house signal of the bot in GET /api/signals within seconds of the first tick', async () => {
    const user = stack.seededUsers.find((u) => u.autoTrade);
    if (!user) throw new Error('no auto-trading demo user');
    alice = await login(user.email);
    first = await eventually('a scalping signal', async () => (await botSignals(alice))[0], {
      timeoutMs: 30_000,
      intervalMs: 250,
    });
    expect(first).toMatchObject({ source: 'house', bot: 'scalping', symbol: 'BTC/USDT' });
    expect(first.signalId).toMatch(/^scalping-BTCUSDT-\d+$/);
    expect(first.signalKey).toBe(`house:${first.signalId}`);
  });

  it('opens a paper position for an auto-trading demo user', async () => {
    const key = first?.signalKey;
    const position = await eventually(
      'a position for the bot signal',
      async () => {
        const { body } = await call('GET', '/api/positions', { token: alice });
        return (body.items as { signalKey: string; status: string }[]).find((p) => p.signalKey === key);
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    expect(position.signalKey).toBe(key);
  });

  it('makes no second signal when a tick is delivered again', async () => {
    const before = (await botSignals(alice)).map((s) => s.signalKey).sort();
    const sqs = createSqsClient({
      region: stack.env.AWS_REGION ?? 'us-east-1',
      endpoint: stack.env.SQS_ENDPOINT,
    });
    const tick = JSON.stringify({ bot: 'scalping', scheduledFor: new Date().toISOString() });
    for (let i = 0; i < 2; i++) {
      await sqs.send(new SendMessageCommand({ QueueUrl: stack.env.BOT_TICK_QUEUE_URL, MessageBody: tick }));
    }
    sqs.destroy();
    // Both deliveries have run once the tick queue is empty with nothing in flight (health reads it).
    await eventually(
      'the redelivered ticks to be consumed',
      async () => {
        const { body } = await call('GET', '/api/health');
        const ticks = (body.queues as Record<string, { visible: number; inFlight: number }>).botTicks;
        return ticks && ticks.visible === 0 && ticks.inFlight === 0 ? true : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 250 },
    );
    const after = (await botSignals(alice)).map((s) => s.signalKey).sort();
    expect(after).toEqual(before);
    expect(new Set(after).size).toBe(after.length);
  });

  it('never handed the strategy a bar still in progress', () => {
    const market = new ReplayMarketData(
      new ReplayMarket(resolve(stack.env.PAPER_MARKET_DIR ?? 'test/fixtures/market'), 60),
      Number(stack.env.PAPER_REPLAY_SPEED ?? 60),
    );
    expect(evaluations.length).toBeGreaterThan(0);
    for (const e of evaluations) {
      expect(e.lastOpen).toBeLessThanOrEqual(market.lastClosedOpenTime(e.symbol, '5m', new Date(e.at)));
      expect(market.closeTimeOf(e.symbol, '5m', e.lastOpen).getTime()).toBeLessThanOrEqual(e.at);
    }
  });
});
