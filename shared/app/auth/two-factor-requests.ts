// The request bodies of the two-factor routes, and the second-factor fields that login and the
// sensitive actions accept. A TOTP code is six digits (spaces tolerated, as apps show "123 456"); a
// recovery code is checked against its hash, so only its size is bounded here.
import { z } from 'zod';

export const totpCodeSchema = z
  .string()
  .max(16)
  .transform((code) => code.replace(/\s/g, ''))
  .pipe(z.string().regex(/^\d{6}$/, 'six digits'));

export const recoveryCodeSchema = z.string().min(1).max(64);

/** Optional second-factor fields for a request body: spread into a z.object. */
export const secondFactorFields = {
  totpCode: totpCodeSchema.optional(),
  recoveryCode: recoveryCodeSchema.optional(),
};

/** At most one of the two: which one was meant must never be guessed. */
export const notBothFactors = {
  check: (body: { totpCode?: string | undefined; recoveryCode?: string | undefined }) =>
    body.totpCode === undefined || body.recoveryCode === undefined,
  params: { message: 'give either totpCode or recoveryCode, not both', path: ['recoveryCode'] },
};

export const totpConfirmRequestSchema = z.object({ code: totpCodeSchema }).strict();

export const totpDisableRequestSchema = z
  .object({ password: z.string().min(1).max(1024), ...secondFactorFields })
  .strict()
  .refine(notBothFactors.check, notBothFactors.params)
  .refine((body) => body.totpCode !== undefined || body.recoveryCode !== undefined, {
    message: 'give totpCode or recoveryCode',
    path: ['totpCode'],
  });
