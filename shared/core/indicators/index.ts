// The indicator library: pure streaming classes (update → current value, NaN while warming up) and
// batch functions over Float64Array that drive them, so the two forms always agree.

export {
  Dema,
  dema,
  Ema,
  ema,
  Hma,
  hma,
  Sma,
  sma,
  Tema,
  tema,
  Wma,
  wma,
} from './moving-averages.js';
export type { StochasticValue } from './oscillators.js';
export {
  Cci,
  cci,
  Momentum,
  momentum,
  Roc,
  Rsi,
  roc,
  rsi,
  Stochastic,
  StochRsi,
  stochastic,
  stochRsi,
  WilliamsR,
  williamsR,
} from './oscillators.js';
export type { IchimokuValue, SuperTrendValue } from './overlays.js';
export { Ichimoku, ichimoku, ParabolicSar, parabolicSar, SuperTrend, superTrend } from './overlays.js';
export { Delay, RollingExtreme, RollingWindow } from './rolling.js';
export type { AdxValue, MacdValue } from './trend.js';
export { Adx, adx, Macd, macd } from './trend.js';
export type { BandsValue } from './volatility.js';
export {
  Atr,
  atr,
  Bollinger,
  bollinger,
  Donchian,
  donchian,
  Keltner,
  keltner,
  TrueRange,
  WilderAverage,
} from './volatility.js';
export { Cmf, cmf, Mfi, mfi, Obv, obv, Vwap, vwap } from './volume.js';
