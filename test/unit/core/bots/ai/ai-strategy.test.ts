// The AI strategy: an injected one-feature model fires on an oversold series and stays quiet on
// others, TP/SL sit k and m ATRs from the entry, and the shipped artifact parses and matches the
// code's feature list (a feature change without retraining fails here).
import { describe, expect, it } from 'vitest';
import { aiStrategy, createAiStrategy } from '../../../../../shared/core/bots/ai/ai-strategy.js';
import { FEATURE_NAMES, FEATURE_WINDOW } from '../../../../../shared/core/bots/ai/features.js';
import shipped from '../../../../../shared/core/bots/ai/model/ai-model-v1.json' with { type: 'json' };
import { type AiModel, parseAiModel } from '../../../../../shared/core/bots/ai/model.js';
import { type BarSeries, barsUpTo } from '../../../../../shared/core/bots/bot-types.js';
import { atr } from '../../../../../shared/core/indicators/index.js';
import { barsFromCloses, btcSeries } from './ai-fixture.js';

const none = {
  rows: 0,
  baseRate: null,
  auc: null,
  logLoss: null,
  accuracy: null,
  precision: null,
  recall: null,
  fireRate: null,
};

/** p = sigmoid(6 − 20·RSI/100): about 0.99 at RSI 10, 0.02 at RSI 50. */
function oversoldModel(overrides: Partial<AiModel> = {}): AiModel {
  const width = FEATURE_NAMES.length;
  return {
    format: 'verzek-ai-model',
    version: 1,
    createdFrom: [],
    features: [...FEATURE_NAMES],
    means: new Array<number>(width).fill(0),
    stds: new Array<number>(width).fill(1),
    weights: FEATURE_NAMES.map((name) => (name === 'rsi14' ? -20 : 0)),
    bias: 6,
    threshold: 0.5,
    label: { k: 3, m: 1.5, horizon: 48 },
    timeframe: '5m',
    training: { l2: 0.001, minRecall: 0.1, iterations: 1 },
    metrics: { train: none, validation: none },
    ...overrides,
  };
}

/** 650 bars swinging around 100, then 50 bars of `drift` per bar. */
function series(drift: number): BarSeries {
  const closes = Array.from({ length: 700 }, (_, i) =>
    i < 650 ? 100 + 2 * Math.sin(i / 7) : (100 + 2 * Math.sin(649 / 7)) * (1 + drift) ** (i - 649),
  );
  return barsFromCloses(closes, 0.001);
}

const ctx = (primary: BarSeries) => ({ symbol: 'BTC/USDT', primary });

describe('AI strategy with an injected model', () => {
  const strategy = createAiStrategy(oversoldModel());

  it('fires a long on a strong oversold slide, with TP at +k·ATR and SL at −m·ATR from the close', () => {
    const s = series(-0.003);
    const idea = strategy.evaluate(ctx(s));
    expect(idea).not.toBeNull();
    const last = s.length - 1;
    const entry = s.close[last] ?? 0;
    const a = atr(s.high, s.low, s.close, 14)[last] ?? 0;
    expect(idea?.side).toBe('long');
    expect(idea?.entryPrice).toBe(entry);
    expect(idea?.targets).toHaveLength(1);
    expect(idea?.targets[0]?.price).toBeCloseTo(entry + 3 * a, 9);
    expect(idea?.stopLoss).toBeCloseTo(entry - 1.5 * a, 9);
    expect(idea?.confidence).toBeGreaterThan(0.9);
    expect(idea?.confidence).toBeLessThanOrEqual(1);
    expect(idea?.reason).toMatch(/^model p 0\.9\d\d ≥ 0\.500; TP \+3 ATR, SL −1\.5 ATR .*top: rsi14 /);
  });

  it('does not fire on a climb, on a sideways market, or before the features are warm', () => {
    expect(strategy.evaluate(ctx(series(0.003)))).toBeNull();
    // Swinging sideways, the last bar on an upswing through the middle.
    const sideways = barsFromCloses(
      Array.from({ length: 704 }, (_, i) => 100 + 2 * Math.sin(i / 7)),
      0.001,
    );
    expect(strategy.evaluate(ctx(sideways))).toBeNull();
    expect(strategy.evaluate(ctx(barsUpTo(series(-0.003), 60)))).toBeNull();
  });

  it('fires exactly when p reaches the threshold', () => {
    const s = series(-0.003);
    const idea = strategy.evaluate(ctx(s));
    const p = idea?.confidence ?? 0;
    expect(createAiStrategy(oversoldModel({ threshold: p })).evaluate(ctx(s))).not.toBeNull();
    expect(
      createAiStrategy(oversoldModel({ threshold: Math.min(p + 1e-6, 0.999999) })).evaluate(ctx(s)),
    ).toBeNull();
  });

  it('refuses a malformed artifact or one trained on other features, loudly', () => {
    expect(() => createAiStrategy({ ...oversoldModel(), weights: [1, 2] })).toThrow(/weights: has 2 entries/);
    expect(() => createAiStrategy({ ...oversoldModel(), format: 'other' })).toThrow(/invalid AI model/);
    expect(() => createAiStrategy({ ...oversoldModel(), threshold: 1.5 })).toThrow(/threshold/);
    expect(() =>
      createAiStrategy({ ...oversoldModel(), stds: new Array<number>(FEATURE_NAMES.length).fill(0) }),
    ).toThrow(/stds/);
    const renamed = [...FEATURE_NAMES.slice(1), 'something-new'];
    expect(() => createAiStrategy(oversoldModel({ features: renamed }))).toThrow(/retrain/);
    expect(() => createAiStrategy(oversoldModel({ timeframe: '1h' }))).toThrow(/5m/);
  });
});

describe('the shipped AI model', () => {
  it('parses, and was trained on exactly the features the code computes', () => {
    const model = parseAiModel(shipped);
    expect(model.features).toEqual([...FEATURE_NAMES]);
    expect(model.timeframe).toBe('5m');
    expect(model.createdFrom.length).toBeGreaterThan(0);
    for (const source of model.createdFrom) {
      expect(source.validationBars[1] + model.label.horizon).toBeLessThanOrEqual(source.holdoutFrom);
    }
  });

  it('is the AI bot: 5m, a lookback covering the warm-up, sane ideas on real bars', () => {
    expect(aiStrategy.name).toBe('ai');
    expect(aiStrategy.timeframe).toBe('5m');
    expect(aiStrategy.lookback).toBe(FEATURE_WINDOW);
    expect(aiStrategy.lookback).toBeLessThanOrEqual(600);
    const s = btcSeries();
    const model = parseAiModel(shipped);
    let fired = 0;
    for (let end = FEATURE_WINDOW; end <= s.length; end += 3) {
      const idea = aiStrategy.evaluate(ctx(barsUpTo(s, end)));
      if (idea === null) continue;
      fired++;
      expect(idea.entryPrice).toBe(s.close[end - 1]);
      expect(idea.targets[0]?.price).toBeGreaterThan(idea.entryPrice);
      expect(idea.stopLoss).toBeLessThan(idea.entryPrice);
      const up = (idea.targets[0]?.price ?? 0) - idea.entryPrice;
      expect(up / (idea.entryPrice - idea.stopLoss)).toBeCloseTo(model.label.k / model.label.m, 9);
      expect(idea.confidence).toBeGreaterThanOrEqual(model.threshold);
    }
    // Neither silent nor always on (validation fire rate ≈ 13 %).
    expect(fired).toBeGreaterThan(0);
    expect(fired).toBeLessThan(0.5 * ((s.length - FEATURE_WINDOW) / 3));
  });
});
