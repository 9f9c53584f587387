// The request schemas of the HTTP routes that are not owned by a use case module, in one place the
// handlers and the OpenAPI document (shared/http/openapi.ts) both import. A handler module cannot be
// imported for its schema: it reads its environment when loaded.
import { z } from 'zod';
import { EXCHANGE_IDS } from '../adapters/exchanges/exchange-profile.js';
import { notBothFactors, secondFactorFields } from '../app/auth/two-factor-requests.js';
import { userSettingsSchema } from '../app/settings/user-settings.js';

const credential = (min: number, max: number) =>
  z
    .string()
    .min(min)
    .max(max)
    .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces');

export const checkExchangeKeyBody = z
  .object({
    exchange: z.enum(EXCHANGE_IDS),
    mode: z.enum(['live', 'demo']),
    apiKey: credential(8, 256),
    secret: credential(8, 1024),
  })
  .strict();

export const addExchangeAccountBody = z
  .object({
    exchange: z.enum(EXCHANGE_IDS),
    mode: z.enum(['live', 'demo']),
    label: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .regex(/^[^\p{Cc}\p{Cf}]+$/u, 'no control characters'),
    apiKey: credential(16, 256),
    secret: credential(16, 1024),
    ...secondFactorFields,
  })
  .strict()
  .refine(notBothFactors.check, notBothFactors.params);

export const exchangeAccountPath = z.object({ accountId: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/) });

export const listPositionsQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(50),
    cursor: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,2048}$/)
      .optional(),
  })
  .strict();

export const listSignalsQuery = z
  .object({ limit: z.coerce.number().int().min(1).max(100).default(50) })
  .strict();

export const devLoginBody = z.object({ email: z.email() }).strict();

/** The second factor is needed only when 2FA is on and the update raises risk (risk-changes.ts). */
export const updateSettingsBody = z
  .object({ expectedVersion: z.number().int().min(0), settings: userSettingsSchema, ...secondFactorFields })
  .strict()
  .refine(notBothFactors.check, notBothFactors.params);
