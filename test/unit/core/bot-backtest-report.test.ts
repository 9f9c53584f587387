import { describe, expect, it } from 'vitest';
import {
  type BotRunRow,
  type BotsReportInput,
  botsMarkdown,
  describeHouseBot,
  totals,
  verdict,
} from '../../../shared/core/backtest/bot-report.js';
import { describeAi, TRAINING_COMMAND } from '../../../shared/core/bots/ai/ai-strategy.js';
import shippedModel from '../../../shared/core/bots/ai/model/ai-model-v1.json' with { type: 'json' };
import { parseAiModel } from '../../../shared/core/bots/ai/model.js';
import {
  describeQfl,
  describeScalping,
  describeTrend,
  QFL_CONFIG,
  RULE_BOT_DESCRIPTIONS,
  SCALPING_CONFIG,
  TREND_CONFIG,
} from '../../../shared/core/bots/rule-bots.js';

const MODEL = parseAiModel(shippedModel);
const MINUTE = 60_000;
const RUNTIME: BotsReportInput['runtime'] = {
  cooldownMs: { scalping: 15 * MINUTE, trend: 120 * MINUTE, qfl: 60 * MINUTE, ai: 30 * MINUTE },
  maxOpenSignalAgeMs: 24 * 60 * MINUTE,
};

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 5, 1);

function row(over: Partial<BotRunRow>): BotRunRow {
  return {
    bot: 'qfl',
    symbol: 'BTC/USDT',
    timeframe: '15m',
    dataset: 'binance-2024',
    higher: 'none',
    fromMs: T0,
    toMs: T0 + 10 * DAY,
    bars: 960,
    ideas: 0,
    rejectedIdeas: 0,
    taken: 0,
    takeProfitPercentSum: 0,
    stopLossPercentSum: 0,
    trades: 0,
    wins: 0,
    losses: 0,
    openDeals: 0,
    initialEquity: 10_000,
    netPnlQuote: 0,
    netPnlPercent: 0,
    tradeReturns: [],
    maxDrawdownPercent: 0,
    feesQuote: 0,
    realizedPnlQuote: 0,
    closedFeesQuote: 0,
    buyAndHoldPercent: 0,
    exposurePercent: 0,
    stopLosses: 0,
    takeProfits: 0,
    ...over,
  };
}

// Two series: 3 wins of +2 % and 1 loss of −1 % on BTC; 1 win of +2 % and 3 losses of −1 % on ETH.
const btc = row({
  ideas: 6,
  taken: 4,
  takeProfitPercentSum: 9,
  stopLossPercentSum: 5,
  trades: 4,
  wins: 3,
  losses: 1,
  netPnlQuote: 50,
  netPnlPercent: 0.5,
  tradeReturns: [2, 2, 2, -1],
  maxDrawdownPercent: 0.2,
  feesQuote: 8,
  realizedPnlQuote: 50,
  closedFeesQuote: 8,
  buyAndHoldPercent: 0.2,
  exposurePercent: 10,
  takeProfits: 3,
  stopLosses: 1,
});
const eth = row({
  symbol: 'ETH/USDT',
  ideas: 4,
  taken: 4,
  takeProfitPercentSum: 7,
  stopLossPercentSum: 3,
  trades: 4,
  wins: 1,
  losses: 3,
  netPnlQuote: -10,
  netPnlPercent: -0.1,
  tradeReturns: [2, -1, -1, -1],
  maxDrawdownPercent: 0.4,
  feesQuote: 8,
  realizedPnlQuote: -10,
  closedFeesQuote: 8,
  buyAndHoldPercent: -5,
  exposurePercent: 20,
  takeProfits: 1,
  stopLosses: 3,
});

describe('bot report', () => {
  it('pools the series: win rate over all deals, PnL over all accounts, worst drawdown', () => {
    const t = totals([btc, eth]);
    expect(t).toMatchObject({ trades: 8, wins: 4, losses: 4, winRate: 50, ideas: 10, fees: 16, bars: 1920 });
    expect(t.netPnlPercent).toBeCloseTo(0.2, 12); // 40 of 20,000
    expect(t.avgTrade).toBeCloseTo(0.5, 12);
    expect(t.avgWin).toBe(2);
    expect(t.avgLoss).toBe(-1);
    expect(t.worstDrawdown).toBe(0.4);
    expect(t.buyAndHold).toBeCloseTo(-2.4, 12);
    expect(t.beatHold).toBe(2); // BTC 0.5 > 0.2, ETH -0.1 > -5
    expect(t.beatRisingHold).toBe(1); // BTC
    expect(t.avgTakeProfit).toBe(2);
    expect(t.avgStopLoss).toBe(1);
    expect(t.hoursPerSignal).toBe(48); // 480 h over 10 signals
    expect(t.grossQuote).toBe(56);
  });

  it('says what the numbers say, break-even win rate included', () => {
    const text = verdict([btc, eth], 0.28);
    expect(text).toContain('It fired on 10 of 1,920 held-out bars (one signal per 48.0 h per symbol)');
    expect(text).toContain(
      'aimed for +2.00 % with a stop at -1.00 % on average (2.00 : 1), against about 0.28 %',
    );
    expect(text).toContain('breaking even needed about 33.3 %'); // 1 / (2 + 1)
    expect(text).toContain('a positive edge');
    expect(text).toContain(
      '1 of 2 series ended in profit; 2 of 2 beat buy-and-hold (mean -2.40 %), 1 of them in a market that rose',
    );
    expect(text).toContain('fewer than 30 deals');
  });

  it('says so when a bot never fired, or had no data', () => {
    expect(verdict([row({})], 0.28)).toMatch(/^It never fired on 960 held-out bars across 1 series/);
    expect(verdict([], 0.28)).toMatch(/nothing was run/);
  });

  it('writes a table per bot with a totals row, the command, fees and the intra-bar rule', () => {
    const md = botsMarkdown({
      sections: [
        {
          bot: 'qfl',
          title: 'QFL',
          rule: 'the rule',
          decides: ['the first part', 'the second part'],
          rows: [btc, { ...eth, higher: 'resampled', openDeals: 1 }],
        },
      ],
      trainingCommand: 'npm run train -- --data x.csv --out m.json',
      runtime: { ...RUNTIME, cooldownMs: { ...RUNTIME.cooldownMs, qfl: 90 * MINUTE } },
      command: 'npm run backtest:bots',
      fees: { takerFeeRate: '0.001', makerFeeRate: '0.001', slippageBps: 5 },
      initialQuote: '10000',
      baseOrderQuote: '1000',
      holdoutFraction: 0.3,
      seconds: 12.34,
      skipped: ['ai ADA/USDT 5m (binance-2024): no data'],
    });
    expect(md).toContain('Generated by `npm run backtest:bots` (12.3 s on one core)');
    expect(md).toContain('last 30 % of every series');
    expect(md).toContain(
      '| BTC/USDT | 15m | binance-2024 | 2024-06-01 → 2024-06-11 | 6 | 4 | 75.0 | +0.50 | +1.250 | 0.20 | 8.00 | +0.20 |',
    );
    expect(md).toContain(
      '| ETH/USDT | 15m | binance-2024 ¹ | 2024-06-01 → 2024-06-11 | 4 | 4 (+1 open) | 25.0 | -0.10 | -0.250 |',
    );
    expect(md).toContain(
      '| **total** (2 series) | | | 1,920 bars | 10 | 8 | 50.0 | +0.20 | +0.500 | 0.40 (worst) | 16.00 | -2.40 (mean) |',
    );
    expect(md).toContain('0.10 % taker and 0.10 % maker');
    expect(md).toContain('5 bps against us');
    expect(md).toContain('adverse extreme comes first');
    expect(md).toContain('- ai ADA/USDT 5m (binance-2024): no data');
    expect(md).toContain(
      'Reproduce: `npm run backtest:bots` runs the backtests and writes this file; `npm run train -- --data x.csv --out m.json` retrains',
    );
    expect(md).toContain('(scalping 15 min, trend 2 h, QFL 1 h, AI 30 min)');
    expect(md).toContain(
      '**How it decides** (built from `QFL_CONFIG` in shared/core/bots/qfl.ts)\n\n- the first part\n- the second part\n',
    );
    // The backtest's cooldown (BOT_COOLDOWN_SECONDS) and the runtime's (passed in) side by side.
    expect(md).toContain(
      '- Cooldown per symbol: 1 h after each deal in this backtest; live, 90 min after each signal',
    );
    expect(md).toContain('at most 24 h)');
    expect(md).not.toContain('Model card'); // no AI section
    expect(md.indexOf('**How it decides**')).toBeLessThan(md.indexOf('| symbol |'));
  });
});

const section = (bot: BotsReportInput['sections'][number]['bot'], decides: readonly string[]) => ({
  bot,
  title: bot,
  rule: 'the rule',
  decides,
  rows: [],
});

function report(sections: BotsReportInput['sections'], model = MODEL): string {
  return botsMarkdown({
    sections,
    model,
    trainingCommand: TRAINING_COMMAND,
    runtime: RUNTIME,
    command: 'npm run backtest:bots',
    fees: { takerFeeRate: '0.001', makerFeeRate: '0.001', slippageBps: 5 },
    initialQuote: '10000',
    baseOrderQuote: '1000',
    holdoutFraction: 0.3,
    seconds: 1,
    skipped: [],
  });
}

describe('how each bot decides, from its configuration', () => {
  it('states the scalping thresholds of SCALPING_CONFIG, and follows a changed config', () => {
    const text = describeScalping().join('\n');
    const c = SCALPING_CONFIG;
    expect(text).toContain(
      'on the last 200 closed 5m bars; confirmation on 15m with the last 100 closed bars',
    );
    expect(text).toContain(
      `RSI(${c.rsiPeriod}): at most ${c.rsiOversold} on at least one of the last ${c.rsiOversoldWithin} bars`,
    );
    expect(text).toContain(`Stochastic(${c.stochKPeriod}, ${c.stochKSmoothing}, ${c.stochDPeriod})`);
    expect(text).toContain(`from at most ${c.stochOversold}`);
    expect(text).toContain(
      `at most ${(c.touchTolerance * 100).toFixed(2)} % above that bar's EMA(${c.emaPeriod})`,
    );
    expect(text).toContain(
      `+ ${(c.takeProfit * 100).toFixed(2)} %, stop at the entry − ${(c.stopLoss * 100).toFixed(2)} %`,
    );
    expect(text).toContain('Confidence: 0.4 + 0.6 × the mean of three strengths');

    const changed = describeScalping({ ...c, rsiOversold: 33, takeProfit: 0.012, higherEmaPeriod: 21 }).join(
      '\n',
    );
    expect(changed).toContain('RSI(14): at most 33 on');
    expect(changed).toContain('RSI depth (33 − the lowest RSI');
    expect(changed).toContain('+ 1.20 %, stop');
    expect(changed).toContain('below its EMA(21)');
    expect(changed).not.toContain(`at most ${c.rsiOversold} on`);
    // The report prints the lines it is given: a changed config shows in docs/bots.md.
    expect(report([section('scalping', describeScalping({ ...c, rsiOversold: 33 }))])).toContain(
      '- RSI(14): at most 33 on at least one of the last 6 bars',
    );
  });

  it('states the trend and QFL thresholds of their configs, and follows changes', () => {
    const trend = describeTrend().join('\n');
    const t = TREND_CONFIG;
    expect(trend).toContain(`close > EMA(${t.fastEma}) > EMA(${t.midEma}) > EMA(${t.slowEma})`);
    expect(trend).toContain(`MACD(${t.macdFast}, ${t.macdSlow}, ${t.macdSignal})`);
    expect(trend).toContain(
      `in the last ${t.structureBars} bars, swing points with ${t.swingBars} bars each side`,
    );
    expect(trend).toContain('confirmation on 1h with the last 100 closed bars');
    expect(trend).toContain('+ 3.00 %, stop at the entry − 1.50 %');
    expect(describeTrend({ ...t, slowEma: 120, macdCrossWithin: 5 }).join('\n')).toMatch(
      /EMA\(50\) > EMA\(120\)[\s\S]*one of the last 5 bars[\s\S]*1 − age \/ 5/,
    );

    const qfl = describeQfl().join('\n');
    const q = QFL_CONFIG;
    expect(qfl).toContain(
      `rise at least ${(q.minBounce * 100).toFixed(2)} % above it within ${q.bounceWithin} bars`,
    );
    expect(qfl).toContain(`at least ${(q.crack * 100).toFixed(2)} % under the most recent base`);
    expect(qfl).toContain('no confirmation timeframe');
    expect(qfl).toContain('at least +3.09 % from the entry'); // 1 / (1 − 3 %) − 1
    const deeper = describeQfl({ ...q, crack: 0.05, volumeBars: 30 }).join('\n');
    expect(deeper).toContain('at least 5.00 % under the most recent base');
    expect(deeper).toContain('at least +5.26 % from the entry');
    expect(deeper).toContain('the mean of the 30 bars before');
  });

  it('describes each house bot with its own function, and never writes a heading inside a section', () => {
    for (const bot of ['scalping', 'trend', 'qfl'] as const) {
      expect(describeHouseBot(bot, MODEL)).toEqual(RULE_BOT_DESCRIPTIONS[bot]());
    }
    expect(describeHouseBot('ai', MODEL)).toEqual(describeAi(MODEL));
    for (const bot of ['scalping', 'trend', 'qfl', 'ai'] as const) {
      for (const line of describeHouseBot(bot, MODEL)) expect(line).not.toContain('#');
    }
  });

  it('describes the AI rule from the model: threshold, barriers, feature count and window', () => {
    const text = describeAi(MODEL).join('\n');
    expect(text).toContain(`p ≥ ${MODEL.threshold.toFixed(4)}`);
    expect(text).toContain(`+ ${MODEL.label.k} × ATR(14), stop at the entry − ${MODEL.label.m} × ATR(14)`);
    expect(text).toContain(
      `the ${MODEL.features.length} features are computed over the last 600 closed 5m bars`,
    );
    expect(describeAi({ ...MODEL, threshold: 0.42, label: { ...MODEL.label, k: 2 } }).join('\n')).toMatch(
      /p ≥ 0\.4200[\s\S]*\+ 2 × ATR\(14\)/,
    );
  });
});

describe('the AI model card', () => {
  const { train, validation } = MODEL.metrics;
  const pct = (x: number | null) => ((x ?? Number.NaN) * 100).toFixed(2);

  it("shows the shipped artifact's features, label, threshold, data and train vs validation metrics", () => {
    const md = report([section('ai', describeAi(MODEL))]);
    expect(md).toContain('**Model card** (shared/core/bots/ai/model/ai-model-v1.json');
    expect(md).toContain(`\`${TRAINING_COMMAND}\``);
    expect(TRAINING_COMMAND).toMatch(
      /^npm run train -- --data .* --out shared\/core\/bots\/ai\/model\/ai-model-v1\.json$/,
    );
    expect(md).toContain(
      `- Features (${MODEL.features.length}): \`${MODEL.features[0]}\`, \`${MODEL.features[1]}\``,
    );
    expect(md).toContain(
      `Label (k ${MODEL.label.k}, m ${MODEL.label.m}, horizon ${MODEL.label.horizon}): 1 when, within the ${MODEL.label.horizon} bars after a bar (4 h)`,
    );
    expect(md).toContain(`L2 penalty ${MODEL.training.l2}`);
    expect(md).toContain(`p ≥ ${MODEL.threshold.toFixed(4)}, chosen on the training rows`);
    expect(md).toContain(`recall of at least ${(MODEL.training.minRecall * 100).toFixed(0)} %`);
    for (const f of MODEL.createdFrom) expect(md).toContain(`| ${f.file} |`);
    expect(md).toContain(
      `| validation | ${validation.rows.toLocaleString('en-US')} | ${pct(validation.baseRate)} | ${(validation.auc ?? Number.NaN).toFixed(3)} | ${(validation.logLoss ?? Number.NaN).toFixed(4)} | ${pct(validation.precision)} | ${pct(validation.recall)} | ${pct(validation.fireRate)} |`,
    );
    expect(md).toContain(
      `| train | ${train.rows.toLocaleString('en-US')} | ${pct(train.baseRate)} | ${(train.auc ?? Number.NaN).toFixed(3)} |`,
    );
    expect(md).toContain(
      `On validation the AUC was ${(validation.auc ?? Number.NaN).toFixed(3)} (0.5 is a coin toss)`,
    );
    // The card sits before the backtest table and its verdict.
    expect(md.indexOf('**Model card**')).toBeLessThan(md.indexOf('**Held-out backtest**'));
  });

  it('follows the artifact: another validation AUC shows, a missing metric prints a dash', () => {
    const other = {
      ...MODEL,
      metrics: { ...MODEL.metrics, validation: { ...validation, auc: 0.6789, precision: null } },
    };
    const md = report([section('ai', describeAi(other))], other);
    expect(md).toContain('On validation the AUC was 0.679 (0.5 is a coin toss).');
    expect(md).toMatch(/\| validation \| [\d,]+ \| [\d.]+ \| 0\.679 \| [\d.]+ \| – \|/);
  });
});
