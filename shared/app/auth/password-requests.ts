// The request bodies of the password routes (change, reset request, reset confirm), shared by the
// handlers and the OpenAPI document. Passwords are only bounded here (so a huge body cannot make the
// hasher work); the policy (12..128 and the rest) is the use case's, as at register.
import { z } from 'zod';
import { emailSchema } from './auth-requests.js';
import { notBothFactors, secondFactorFields } from './two-factor-requests.js';

const passwordField = z.string().min(1).max(1024);

/** With 2FA on, a second factor comes along (checked through ChangePasswordDeps.secondFactor). */
export const changePasswordRequestSchema = z
  .object({ currentPassword: passwordField, newPassword: passwordField, ...secondFactorFields })
  .strict()
  .refine(notBothFactors.check, notBothFactors.params);
export type ChangePasswordRequest = z.infer<typeof changePasswordRequestSchema>;

export const passwordResetRequestSchema = z
  .object({ email: emailSchema, captcha: z.string().min(1).max(4096) })
  .strict();

export const resetPasswordRequestSchema = z
  .object({ token: z.string().min(1).max(256), newPassword: passwordField })
  .strict();
