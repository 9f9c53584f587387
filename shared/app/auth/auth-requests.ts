// The request bodies of the sign-up and session routes, one zod schema each (the handlers parse with
// them; the OpenAPI document will be generated from them). Emails are normalised here: trimmed and
// lower-cased, then validated, so every later step sees one spelling of an address.
import { z } from 'zod';
import { notBothFactors, secondFactorFields } from './two-factor-requests.js';

/** Trimmed and lower-cased: the one form stored, compared and rate-limited. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export const emailSchema = z.string().max(320).transform(normaliseEmail).pipe(z.email().max(254));

/** Bounded so a huge body cannot make the hasher work; the policy (12..128) applies at register. */
const passwordSchema = z.string().min(1).max(1024);
/** An ALTCHA payload: base64 of a small JSON document. */
const captchaSchema = z.string().min(1).max(4096);

export const registerRequestSchema = z
  .object({
    email: emailSchema,
    password: passwordSchema,
    captcha: captchaSchema,
    referralCode: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_-]{3,32}$/, 'letters, digits, "-" or "_", 3 to 32 characters')
      .optional(),
  })
  .strict();
export type RegisterRequest = z.infer<typeof registerRequestSchema>;

export const verifyEmailRequestSchema = z.object({ token: z.string().min(1).max(256) }).strict();

export const resendVerificationRequestSchema = z.object({ email: emailSchema }).strict();

/** With 2FA on, the second factor comes along (see two-factor-requests.ts). */
export const loginRequestSchema = z
  .object({ email: emailSchema, password: passwordSchema, captcha: captchaSchema, ...secondFactorFields })
  .strict()
  .refine(notBothFactors.check, notBothFactors.params);
export type LoginRequest = z.infer<typeof loginRequestSchema>;

export const refreshTokenRequestSchema = z.object({ refreshToken: z.string().min(1).max(512) }).strict();
