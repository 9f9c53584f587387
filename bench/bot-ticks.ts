// One tick of each house bot over its whole universe: 50 symbols, each with 500 closed primary
// bars (the AI bot's 600-bar feature window when it needs more) and 500 higher-timeframe bars,
// synthetic and seeded. A tick here is the strategy's evaluate() on every symbol, on one core; the
// runtime's data fetch and delivery are not in it. A tick must fit well inside the bot's cadence.
// Run alone with `npx tsx bench/bot-ticks.ts`.
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { aiStrategy } from '../shared/core/bots/ai/ai-strategy.js';
import {
  type BarSeries,
  type BotName,
  type BotStrategy,
  TIMEFRAME_MS,
} from '../shared/core/bots/bot-types.js';
import { RULE_BOTS } from '../shared/core/bots/rule-bots.js';
import { mulberry32 } from './seeded-random.js';

/** The spec's cadence per bot (product.md section 6), in seconds. */
export const BOT_CADENCE_SECONDS: Readonly<Record<BotName, number>> = {
  scalping: 15,
  trend: 300,
  qfl: 20,
  ai: 30,
};

const SYMBOLS = 50;
const BARS = 500;

/**
 * `count` bars of `barMs` ending at `endMs`: a random walk with volatility regimes and the odd
 * sharp dip (so dip and bounce rules have something to look at), volume with spikes.
 */
export function syntheticBars(
  count: number,
  barMs: number,
  seed: number,
  endMs = Date.UTC(2025, 0, 1),
): BarSeries {
  const random = mulberry32(seed);
  const normal = () => (random() + random() + random() + random() - 2) * 1.732;
  const s = {
    length: count,
    openTime: new Float64Array(count),
    open: new Float64Array(count),
    high: new Float64Array(count),
    low: new Float64Array(count),
    close: new Float64Array(count),
    volume: new Float64Array(count),
  };
  let price = 10 + random() * 1000;
  let vol = 0.004;
  for (let i = 0; i < count; i++) {
    if (random() < 0.02) vol = 0.001 + random() * 0.01;
    const open = price;
    const shock = random() < 0.01 ? -0.04 * random() : 0;
    price = Math.max(1e-6, open * Math.exp(vol * normal() + shock));
    s.openTime[i] = endMs - (count - i) * barMs;
    s.open[i] = open;
    s.close[i] = price;
    s.high[i] = Math.max(open, price) * (1 + random() * vol);
    s.low[i] = Math.min(open, price) * (1 - random() * vol);
    s.volume[i] = (50 + random() * 100) * (random() < 0.03 ? 5 : 1);
  }
  return s;
}

interface Universe {
  readonly symbol: string;
  readonly primary: BarSeries;
  readonly higher?: BarSeries;
}

function universe(bot: BotStrategy): Universe[] {
  const primaryBars = Math.max(BARS, bot.lookback);
  const higherTf = bot.higherTimeframe;
  return Array.from({ length: SYMBOLS }, (_, k) => ({
    symbol: `S${k}/USDT`,
    primary: syntheticBars(primaryBars, TIMEFRAME_MS[bot.timeframe], 1000 + k),
    ...(higherTf === undefined ? {} : { higher: syntheticBars(BARS, TIMEFRAME_MS[higherTf], 5000 + k) }),
  }));
}

function tick(bot: BotStrategy, symbols: readonly Universe[]): number {
  let ideas = 0;
  for (const u of symbols) {
    const idea = bot.evaluate(u.higher === undefined ? { symbol: u.symbol, primary: u.primary } : u);
    if (idea !== null) ideas++;
  }
  return ideas;
}

export interface BotTickFigures {
  readonly bot: BotName;
  readonly symbols: number;
  readonly primaryBars: number;
  readonly higherBars: number;
  readonly msPerTick: number;
  readonly cadenceSeconds: number;
  /** Tick time / cadence: the share of the cadence one tick takes. */
  readonly shareOfCadence: number;
  /** Ideas in one tick (synthetic data: only shows the rule is exercised). */
  readonly ideas: number;
}

export function benchBotTicks(options: { runs?: number; warmup?: number } = {}): BotTickFigures[] {
  const runs = Math.max(1, options.runs ?? 9);
  const warmup = options.warmup ?? 3;
  return [...RULE_BOTS, aiStrategy].map((bot) => {
    const symbols = universe(bot);
    let ideas = 0;
    for (let w = 0; w < warmup; w++) ideas = tick(bot, symbols);
    const times = Array.from({ length: runs }, () => {
      const started = performance.now();
      tick(bot, symbols);
      return performance.now() - started;
    }).sort((a, b) => a - b);
    const ms = times[Math.floor(times.length / 2)] ?? 0;
    const cadenceSeconds = BOT_CADENCE_SECONDS[bot.name];
    return {
      bot: bot.name,
      symbols: SYMBOLS,
      primaryBars: symbols[0]?.primary.length ?? 0,
      higherBars: symbols[0]?.higher?.length ?? 0,
      msPerTick: ms,
      cadenceSeconds,
      shareOfCadence: ms / (cadenceSeconds * 1000),
      ideas,
    };
  });
}

export function printBotTicks(): void {
  const figures = benchBotTicks();
  console.log(
    `\nHouse bot ticks: evaluate() on ${SYMBOLS} symbols × ${BARS} synthetic closed bars (+ ${BARS} higher-timeframe bars where the bot confirms on one), one core, median of 9 after 3 warm-up ticks`,
  );
  for (const f of figures) {
    const bars = `${f.primaryBars}${f.higherBars > 0 ? ` + ${f.higherBars}` : ''} bars`;
    console.log(
      `  ${f.bot.padEnd(10)}${bars.padEnd(16)}${f.msPerTick.toFixed(2).padStart(7)} ms/tick  cadence ${String(f.cadenceSeconds).padStart(3)} s  tick/cadence 1 : ${Math.round(1 / f.shareOfCadence).toLocaleString('en-US')}  (${f.ideas} ideas per tick)`,
    );
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) printBotTicks();
