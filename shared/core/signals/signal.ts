// A trading signal as every source (house bots, Telegram, webhooks) delivers it into ingest.
import { z } from 'zod';
import { dec, isDecimalString } from '../money/decimal.js';

const price = z
  .string()
  .refine(isDecimalString, 'must be a decimal number written as a string, e.g. "64250.5"')
  .refine((v) => !isDecimalString(v) || dec(v).gt(0), 'must be greater than zero');

/** Unified symbol as ccxt writes it: BASE/QUOTE, e.g. BTC/USDT. */
export const symbolSchema = z.string().regex(/^[A-Z0-9]{2,15}\/[A-Z0-9]{2,10}$/, 'must look like BTC/USDT');

export const signalSchema = z
  .object({
    /** The source's own id: the same id delivered twice is one signal. */
    signalId: z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/, '1-64 characters of A-Z a-z 0-9 . _ : -'),
    source: z.enum(['house', 'telegram', 'webhook']),
    /** Which house bot produced it, when source is house. */
    bot: z.enum(['scalping', 'trend', 'qfl', 'ai', 'manual']).optional(),
    symbol: symbolSchema,
    side: z.enum(['long', 'short']),
    entry: z.discriminatedUnion('type', [
      z.object({ type: z.literal('market') }),
      z.object({ type: z.literal('limit'), price }),
    ]),
    /** Take-profit targets in the order they are reached; weights default to an even split. */
    targets: z
      .array(z.object({ price, weight: z.number().positive().max(100).optional() }))
      .min(1)
      .max(10),
    stopLoss: price.optional(),
    leverage: z.number().int().min(1).max(125).default(1),
    timeframe: z.enum(['1m', '5m', '15m', '30m', '1h', '4h', '1d']).optional(),
    confidence: z.number().min(0).max(1).optional(),
    createdAt: z.iso.datetime({ offset: true }),
  })
  .strict();

export type SignalInput = z.input<typeof signalSchema>;
export type Signal = z.infer<typeof signalSchema>;

/** A signal's targets must lie on the profitable side of its entry, and its stop on the other. */
export function signalConsistencyErrors(signal: Signal, referencePrice: string | undefined): string[] {
  const ref = signal.entry.type === 'limit' ? signal.entry.price : referencePrice;
  if (ref === undefined) return [];
  const entry = dec(ref);
  const long = signal.side === 'long';
  const beyondEntry = (p: string) => (long ? dec(p).gt(entry) : dec(p).lt(entry));
  const errors: string[] = [];
  signal.targets.forEach((t, i) => {
    if (!beyondEntry(t.price)) {
      errors.push(`targets[${i}].price must be ${long ? 'above' : 'below'} the entry for a ${signal.side}`);
    }
  });
  if (signal.stopLoss !== undefined && beyondEntry(signal.stopLoss)) {
    errors.push(`stopLoss must be ${long ? 'below' : 'above'} the entry for a ${signal.side}`);
  }
  return errors;
}
