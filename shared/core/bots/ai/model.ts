// The trained model's artifact (model/ai-model-v1.json) as a zod schema: the strategy parses it at
// load, so a malformed or stale artifact fails loudly instead of trading on garbage.
import { z } from 'zod';

export const MODEL_FORMAT = 'verzek-ai-model';
export const MODEL_VERSION = 1;

const finite = z.number().refine(Number.isFinite, { message: 'must be a finite number' });

// null where a metric is undefined (no positives, nothing fired): JSON has no NaN.
const metric = z.number().nullable();
const metricsSchema = z.object({
  rows: z.number().int().nonnegative(),
  baseRate: metric,
  auc: metric,
  logLoss: metric,
  accuracy: metric,
  precision: metric,
  recall: metric,
  fireRate: metric,
});

export const aiModelSchema = z
  .object({
    format: z.literal(MODEL_FORMAT),
    version: z.literal(MODEL_VERSION),
    createdFrom: z.array(
      z.object({
        file: z.string(),
        bars: z.number().int().nonnegative(),
        firstOpenTime: z.number().int(),
        trainBars: z.tuple([z.number().int(), z.number().int()]),
        validationBars: z.tuple([z.number().int(), z.number().int()]),
        holdoutFrom: z.number().int(),
      }),
    ),
    features: z.array(z.string()).min(1),
    means: z.array(finite),
    stds: z.array(finite.refine((v) => v > 0, { message: 'must be above zero' })),
    weights: z.array(finite),
    bias: finite,
    threshold: z.number().gt(0).lt(1),
    label: z.object({
      /** Take-profit barrier in ATRs above the close. */
      k: z.number().positive(),
      /** Stop barrier in ATRs below the close. */
      m: z.number().positive(),
      /** Bars the barriers are watched for. */
      horizon: z.number().int().positive(),
    }),
    timeframe: z.enum(['5m', '15m', '1h', '4h']),
    training: z.object({ l2: z.number().nonnegative(), minRecall: z.number(), iterations: z.number().int() }),
    metrics: z.object({ train: metricsSchema, validation: metricsSchema }),
  })
  .superRefine((m, ctx) => {
    const n = m.features.length;
    for (const key of ['means', 'stds', 'weights'] as const) {
      if (m[key].length !== n) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `has ${m[key].length} entries for ${n} features`,
        });
      }
    }
  });

export type AiModel = z.infer<typeof aiModelSchema>;

/** Parses an artifact, throwing with every problem listed (the caller decides how loud to be). */
export function parseAiModel(raw: unknown): AiModel {
  const result = aiModelSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`invalid AI model artifact: ${problems.join('; ')}`);
  }
  return result.data;
}
