// The backtest CLI's options as one zod schema over the raw flag values (node's parseArgs output),
// so bad input stops with a message naming the flag before any data is read. DCA parameters come
// from --dca (JSON of DcaParametersInput) with the individual flags laid over it, then go through
// the same dcaParametersSchema as everywhere else.
import { z } from 'zod';
import { type DcaParameters, type DcaParametersInput, dcaParametersSchema } from '../dca/params.js';
import { isDecimalString } from '../money/decimal.js';
import type { PaperFeeModel } from '../paper/matching.js';
import type { MarketRuleOverrides } from './market-defaults.js';
import { STRATEGY_NAMES, type StrategyName } from './signal-sources.js';

export const BACKTEST_USAGE = `Usage: npm run backtest -- --data <csv> --strategy <always|rsi-dip|sma-cross> [options]

  --data <file>          candles CSV: timestamp_ms,open,high,low,close,volume (ascending)
  --strategy <name>      always (a new deal whenever none is open), rsi-dip (RSI(14) crosses up
                         through 30), sma-cross (SMA(20) crosses above SMA(50))
  --symbol <BASE/QUOTE>  default: from the file name (BTC_USDT-1h.csv → BTC/USDT)
  --from <date>          first bar (UTC, YYYY-MM-DD or ISO time); --to <date> last day, inclusive
  --out <dir>            where equity.svg, trades.json and report.json go (default ./backtest-out)
DCA (long, spot): --dca '<json of DcaParametersInput>' and/or, laid over it:
  --base-order 10 --safety-order 20 --deviation 1 --step-scale 1.2 --volume-scale 1.5
  --max-safety 5 --max-active 5 --take-profit 1.5 --stop-loss <pct> --cooldown <seconds>
Costs and account:
  --fee 0.001            taker and maker fee rate (--maker-fee overrides the maker's)
  --slippage-bps 5       market and stop fills move this far against us
  --balance 10000        starting quote balance
  --participation 0.1    share of a bar's volume resting limits may take, or "none"
Market rules (default: Binance spot-like per base asset): --tick, --step, --min-notional
  --progress             progress bar on stderr even when it is not a terminal
  --help`;

const decimal = (flag: string) =>
  z.string().refine((s) => isDecimalString(s) && !s.startsWith('-'), {
    message: `--${flag} must be a non-negative decimal number`,
  });
const positive = (flag: string) =>
  z.string().refine((s) => isDecimalString(s) && !s.startsWith('-') && /[1-9]/.test(s), {
    message: `--${flag} must be a decimal number above zero`,
  });
const integer = (flag: string) =>
  z
    .string()
    .regex(/^\d+$/, `--${flag} must be a whole number`)
    .transform((s) => Number(s));

/** YYYY-MM-DD (UTC midnight) or an ISO time with a zone; `endOfDay` moves a bare date to the next midnight. */
function timeFlag(flag: string, endOfDay: boolean) {
  return z.string().transform((text, ctx) => {
    const bareDate = /^\d{4}-\d{2}-\d{2}$/.test(text);
    const ms = Date.parse(bareDate ? `${text}T00:00:00Z` : text);
    if (Number.isNaN(ms) || !(bareDate || /[zZ]|[+-]\d{2}:?\d{2}$/.test(text))) {
      ctx.addIssue({
        code: 'custom',
        message: `--${flag} must be a date (YYYY-MM-DD) or an ISO time with a zone`,
      });
      return z.NEVER;
    }
    return bareDate && endOfDay ? ms + 86_400_000 : ms;
  });
}

export const backtestArgsSchema = z
  .object({
    data: z.string({ error: '--data <csv file> is required' }).min(1, '--data <csv file> is required'),
    strategy: z.enum(STRATEGY_NAMES, { error: `--strategy must be one of ${STRATEGY_NAMES.join(', ')}` }),
    symbol: z
      .string()
      .regex(/^[A-Z0-9]+\/[A-Z0-9]+$/, '--symbol must look like BTC/USDT')
      .optional(),
    dca: z.string().optional(),
    'base-order': decimal('base-order').optional(),
    'safety-order': decimal('safety-order').optional(),
    deviation: decimal('deviation').optional(),
    'step-scale': decimal('step-scale').optional(),
    'volume-scale': decimal('volume-scale').optional(),
    'max-safety': integer('max-safety').optional(),
    'max-active': integer('max-active').optional(),
    'take-profit': decimal('take-profit').optional(),
    'stop-loss': decimal('stop-loss').optional(),
    cooldown: integer('cooldown').optional(),
    fee: decimal('fee').default('0.001'),
    'maker-fee': decimal('maker-fee').optional(),
    'slippage-bps': integer('slippage-bps').default(5),
    balance: positive('balance').default('10000'),
    participation: z
      .string()
      .refine((s) => s === 'none' || isDecimalString(s), '--participation must be a decimal or "none"')
      .default('0.1'),
    from: timeFlag('from', false).optional(),
    to: timeFlag('to', true).optional(),
    out: z.string().min(1).default('backtest-out'),
    tick: positive('tick').optional(),
    step: positive('step').optional(),
    'min-notional': decimal('min-notional').optional(),
    progress: z.boolean().default(false),
  })
  .strict();

/** The classic DCA bot's defaults, used for every field neither --dca nor a flag sets. */
export const DEFAULT_DCA: DcaParametersInput = {
  side: 'long',
  baseOrderQuote: '10',
  safetyOrderQuote: '20',
  priceDeviationPercent: '1',
  stepScale: '1.2',
  volumeScale: '1.5',
  maxSafetyOrders: 5,
  takeProfitPercent: '1.5',
};

export interface BacktestSetting {
  readonly dataPath: string;
  readonly strategy: StrategyName;
  readonly symbol: string;
  readonly params: DcaParameters;
  readonly fees: PaperFeeModel;
  readonly initialQuote: string;
  readonly participationRate: string | null;
  readonly fromMs?: number;
  readonly toMs?: number;
  readonly outDir: string;
  readonly rules: MarketRuleOverrides;
  readonly progress: boolean;
}

export type ArgsResult =
  | { readonly ok: true; readonly setting: BacktestSetting }
  | { readonly ok: false; readonly message: string };

const issuesText = (error: z.ZodError, prefix = '') =>
  error.issues
    .map((i) =>
      i.path.length > 0 && !i.message.startsWith('--')
        ? `${prefix}${i.path.join('.')}: ${i.message}`
        : i.message,
    )
    .join('\n');

/** "BTC_USDT-1h.csv" → "BTC/USDT"; null when the name does not say. */
export function symbolFromFileName(path: string): string | null {
  const name = path.split(/[\\/]/).pop() ?? '';
  const match = /^([A-Za-z0-9]+)[_-]([A-Za-z0-9]+)[-_.]/.exec(name);
  return match ? `${match[1]?.toUpperCase()}/${match[2]?.toUpperCase()}` : null;
}

function jsonObject(text: string): Record<string, unknown> | null {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  return typeof json === 'object' && json !== null && !Array.isArray(json)
    ? (json as Record<string, unknown>)
    : null;
}

export function backtestSettingFromArgs(values: Record<string, unknown>): ArgsResult {
  const parsed = backtestArgsSchema.safeParse(values);
  if (!parsed.success) return { ok: false, message: issuesText(parsed.error) };
  const a = parsed.data;
  const fromJson = a.dca === undefined ? {} : jsonObject(a.dca);
  if (fromJson === null) return { ok: false, message: '--dca must be a JSON object of DCA parameters' };
  const flags: Record<string, unknown> = {
    baseOrderQuote: a['base-order'],
    safetyOrderQuote: a['safety-order'],
    priceDeviationPercent: a.deviation,
    stepScale: a['step-scale'],
    volumeScale: a['volume-scale'],
    maxSafetyOrders: a['max-safety'],
    maxActiveSafetyOrders: a['max-active'],
    takeProfitPercent: a['take-profit'],
    stopLossPercent: a['stop-loss'],
    cooldownSeconds: a.cooldown,
  };
  const merged: Record<string, unknown> = { ...DEFAULT_DCA, ...fromJson };
  for (const [key, value] of Object.entries(flags)) if (value !== undefined) merged[key] = value;
  const params = dcaParametersSchema.safeParse(merged);
  if (!params.success) return { ok: false, message: `DCA parameters:\n${issuesText(params.error, '  ')}` };
  if (params.data.side !== 'long' || params.data.market !== 'spot') {
    return { ok: false, message: 'the backtester trades spot longs only (side "long", market "spot")' };
  }
  const symbol = a.symbol ?? symbolFromFileName(a.data);
  if (symbol === null)
    return { ok: false, message: '--symbol is required: the file name does not name the pair' };
  if (a.from !== undefined && a.to !== undefined && a.to <= a.from) {
    return { ok: false, message: '--to must be after --from' };
  }
  const rules: { -readonly [K in keyof MarketRuleOverrides]: MarketRuleOverrides[K] } = {};
  if (a.tick !== undefined) rules.tickSize = a.tick;
  if (a.step !== undefined) rules.amountStep = a.step;
  if (a['min-notional'] !== undefined) rules.minNotional = a['min-notional'];
  return {
    ok: true,
    setting: {
      dataPath: a.data,
      strategy: a.strategy,
      symbol,
      params: params.data,
      fees: { takerFeeRate: a.fee, makerFeeRate: a['maker-fee'] ?? a.fee, slippageBps: a['slippage-bps'] },
      initialQuote: a.balance,
      participationRate: a.participation === 'none' ? null : a.participation,
      ...(a.from === undefined ? {} : { fromMs: a.from }),
      ...(a.to === undefined ? {} : { toMs: a.to }),
      outDir: a.out,
      rules,
      progress: a.progress,
    },
  };
}
