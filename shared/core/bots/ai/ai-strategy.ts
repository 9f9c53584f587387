// The AI bot: the shipped logistic model over the features of the last closed 5m bar; a long when
// its probability of "+k·ATR before −m·ATR within the horizon" reaches the trained threshold.
//
// The shipped model was trained with TRAINING_COMMAND below (≈ 4 s on one core; the last 30 % of
// each file never read).
// No higher-timeframe confirmation: the features already carry the 2 h and 8 h trend (ret24,
// roc96, EMA distances), and a hand rule laid over the model would override what it learned.
import type { BotSignalIdea, BotStrategy } from '../bot-types.js';
import { FEATURE_NAMES, FEATURE_WINDOW, liveFeatures } from './features.js';
import { sigmoid } from './logistic-regression.js';
import shippedModel from './model/ai-model-v1.json' with { type: 'json' };
import { type AiModel, parseAiModel } from './model.js';

/** How the shipped model (model/ai-model-v1.json) was trained, from the repository's root. */
export const TRAINING_COMMAND =
  'npm run train -- --data ../shared/data/binance-2024/*-5m.csv ../shared/data/binance-2017-2022/*-5m.csv --timeframe 5m --out shared/core/bots/ai/model/ai-model-v1.json';

/** What drove the probability most: the three largest |w·z| terms, for the signal's reason. */
function topContributions(model: AiModel, x: Float64Array, z: Float64Array): string {
  return Array.from(z, (zj, j) => ({ j, part: (model.weights[j] ?? 0) * zj }))
    .sort((a, b) => Math.abs(b.part) - Math.abs(a.part) || a.j - b.j)
    .slice(0, 3)
    .map(
      ({ j, part }) =>
        `${model.features[j]} ${(x[j] ?? 0).toPrecision(3)} (${part >= 0 ? '+' : ''}${part.toFixed(2)})`,
    )
    .join(', ');
}

/**
 * The strategy over a given model (tests inject tiny hand-made ones). Throws when the model's
 * feature list is not the code's: an artifact trained on other features must be retrained, not used.
 */
export function createAiStrategy(raw: unknown): BotStrategy {
  const model = parseAiModel(raw);
  if (model.features.join(',') !== FEATURE_NAMES.join(',')) {
    throw new Error(
      `AI model features [${model.features.join(', ')}] are not the code's [${FEATURE_NAMES.join(', ')}]: retrain it (npm run train)`,
    );
  }
  if (model.timeframe !== '5m') throw new Error(`AI model is for ${model.timeframe}, the AI bot trades 5m`);
  const { k, m } = model.label;
  return {
    name: 'ai',
    timeframe: '5m',
    lookback: FEATURE_WINDOW,
    evaluate(ctx): BotSignalIdea | null {
      const live = liveFeatures(ctx.primary);
      if (live === null || !(live.atr > 0)) return null;
      const z = live.values.map((v, j) => (v - (model.means[j] ?? 0)) / (model.stds[j] ?? 1));
      let t = model.bias;
      z.forEach((zj, j) => {
        t += (model.weights[j] ?? 0) * zj;
      });
      const p = sigmoid(t);
      if (!(p >= model.threshold)) return null;
      const entry = live.close;
      const atrPct = (live.atr / entry) * 100;
      return {
        side: 'long',
        entryPrice: entry,
        targets: [{ price: entry + k * live.atr }],
        stopLoss: entry - m * live.atr,
        // The probability itself, not recalibrated: a log-loss fit is roughly calibrated already.
        confidence: p,
        reason: `model p ${p.toFixed(3)} ≥ ${model.threshold.toFixed(3)}; TP +${k} ATR, SL −${m} ATR (ATR ${atrPct.toFixed(2)} %); top: ${topContributions(model, live.values, z)}`,
      };
    },
  };
}

/** The AI bot with the shipped model; importing this module fails loudly if the artifact is bad. */
export const aiStrategy: BotStrategy = createAiStrategy(shippedModel);

/**
 * The rule in words, one plain line per part, built from the model and the strategy (docs/bots.md
 * shows them, so the text cannot drift from the artifact or the code).
 */
export function describeAi(
  model: AiModel = parseAiModel(shippedModel),
  bot: BotStrategy = aiStrategy,
): string[] {
  const { k, m } = model.label;
  return [
    `Bars: decides at the close of each ${bot.timeframe} bar; the ${model.features.length} features are computed over the last ${bot.lookback} closed ${bot.timeframe} bars; ${bot.higherTimeframe === undefined ? 'no confirmation timeframe (the features already carry the 2 h and 8 h trend)' : `confirmation on ${bot.higherTimeframe}`}. Long only.`,
    `Model: each feature x is standardized with the training mean and standard deviation, z = (x − mean) / std, and the probability is p = sigmoid(bias + Σ w·z), a logistic regression (bias ${model.bias.toFixed(3)}; the weights are in the artifact).`,
    `Entry: p ≥ ${model.threshold.toFixed(4)}, the artifact's threshold, and ATR(14) above 0.`,
    'Confidence: p itself (a log-loss fit is roughly calibrated; not recalibrated).',
    `Exits: one take-profit at the entry (the bar's close) + ${k} × ATR(14), stop at the entry − ${m} × ATR(14): the label's barriers.`,
  ];
}
