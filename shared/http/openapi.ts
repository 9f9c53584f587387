// The OpenAPI document of the HTTP API, built from the wiring manifest (which routes exist) and the
// zod schemas the handlers parse with (what they accept). `npm run openapi` writes it to
// docs/openapi.json; a test fails when that file and this build differ, or when a route has no entry
// below; the local run serves it at GET /api/docs.
import { z } from 'zod';
import {
  adminDisableUserBody,
  adminKillSwitchBody,
  adminListUsersQuery,
  adminUserPath,
} from '../app/admin/admin.js';
import {
  loginRequestSchema,
  refreshTokenRequestSchema,
  registerRequestSchema,
  resendVerificationRequestSchema,
  verifyEmailRequestSchema,
} from '../app/auth/auth-requests.js';
import {
  changePasswordRequestSchema,
  passwordResetRequestSchema,
  resetPasswordRequestSchema,
} from '../app/auth/password-requests.js';
import { totpConfirmRequestSchema, totpDisableRequestSchema } from '../app/auth/two-factor-requests.js';
import { signalSchema } from '../core/signals/signal.js';
import { FUNCTIONS, type FunctionDefinition } from '../wiring/manifest.js';
import { MAX_SKEW_SECONDS } from './request-signature.js';
import {
  addExchangeAccountBody,
  checkExchangeKeyBody,
  devLoginBody,
  exchangeAccountPath,
  listPositionsQuery,
  listSignalsQuery,
  updateSettingsBody,
} from './route-schemas.js';

type Auth = 'user' | 'house' | 'none';

export interface RouteDoc {
  readonly summary: string;
  readonly auth: Auth;
  readonly body?: z.ZodType;
  readonly query?: z.ZodType;
  readonly path?: z.ZodType;
  /** The success status and what it carries. */
  readonly success: { readonly status: number; readonly description: string };
  /** Error codes the route answers with, beyond the generic 400 BODY.* / QUERY.* and 401 AUTH.*. */
  readonly errors?: readonly { readonly status: number; readonly code: string; readonly when: string }[];
  /** Request headers the route requires, beyond Authorization and Content-Type. */
  readonly headers?: readonly {
    readonly name: string;
    readonly description: string;
    readonly pattern: string;
  }[];
}

const rateLimited = (code: string) => ({ status: 429, code, when: 'too many attempts; see Retry-After' });

const adminErrors = [
  { status: 403, code: 'AUTH.ADMIN_REQUIRED', when: 'the caller is not an active admin' },
  { status: 403, code: 'AUTH.ADMIN_NEEDS_2FA', when: 'the admin has no two-factor authentication on' },
];
const adminStepUpErrors = [
  ...adminErrors,
  { status: 403, code: 'AUTH.INVALID_SECOND_FACTOR', when: 'the TOTP code is wrong, replayed or used' },
  rateLimited('TOTP.TOO_MANY_ATTEMPTS'),
];

/** One entry per HTTP function of the manifest, by function id. */
export const ROUTE_DOCS: Readonly<Record<string, RouteDoc>> = {
  IngestHouseSignal: {
    summary: 'Ingest a house signal (stored once, then fanned out to auto-trading accounts)',
    auth: 'house',
    body: signalSchema,
    success: {
      status: 202,
      description: 'Accepted and enqueued; 200 when the same signal was already stored',
    },
    headers: [
      {
        name: 'X-Verzek-Timestamp',
        description: `Unix seconds when the request was signed; at most ${MAX_SKEW_SECONDS} s from the server clock`,
        pattern: '^[0-9]{1,12}$',
      },
      {
        name: 'X-Verzek-Signature',
        description: 'v1=<lowercase hex HMAC-SHA256 with HOUSE_SIGNING_SECRET over "<timestamp>.<raw body>">',
        pattern: '^v1=[0-9a-fA-F]{64}$',
      },
    ],
    errors: [
      {
        status: 401,
        code: 'AUTH.SIGNATURE_REQUIRED',
        when: 'the signature headers are missing or malformed',
      },
      {
        status: 401,
        code: 'AUTH.INVALID_SIGNATURE',
        when: 'the signature does not match the timestamp and body',
      },
      {
        status: 401,
        code: 'AUTH.SIGNATURE_EXPIRED',
        when: `the signed timestamp is more than ${MAX_SKEW_SECONDS} s from the server clock`,
      },
      { status: 409, code: 'SIGNAL.ID_REUSED', when: 'the signal id was used with other content' },
    ],
  },
  ListPositions: {
    summary: "The caller's positions",
    auth: 'user',
    query: listPositionsQuery,
    success: { status: 200, description: '{ items, cursor? }' },
  },
  ListSignals: {
    summary: 'The latest signals, newest first',
    auth: 'user',
    query: listSignalsQuery,
    success: { status: 200, description: '{ items }' },
  },
  Health: {
    summary: 'Table, queues and scheduled functions: is everything up?',
    auth: 'none',
    success: { status: 200, description: 'Healthy (503 when a dependency is down)' },
  },
  CheckExchangeKey: {
    summary: 'Check an exchange API key without storing it',
    auth: 'user',
    body: checkExchangeKeyBody,
    success: { status: 200, description: '{ accepted, reasons, warnings, ips, permissions }' },
    errors: [
      { status: 422, code: 'EXCHANGE_KEY.REFUSED', when: 'the exchange refused the key' },
      { status: 429, code: 'EXCHANGE.RATE_LIMITED', when: 'the exchange asks us to slow down' },
      { status: 502, code: 'EXCHANGE.UNEXPECTED_REPLY', when: 'the exchange answered unexpectedly' },
      { status: 503, code: 'EXCHANGE.UNAVAILABLE', when: 'the exchange could not be reached' },
    ],
  },
  DevLogin: {
    summary: 'Local run only: a token for a seeded demo user',
    auth: 'none',
    body: devLoginBody,
    success: { status: 200, description: '{ accessToken, expiresIn }' },
  },
  AuthCaptcha: {
    summary: 'A proof-of-work challenge (ALTCHA) for register, login and password reset',
    auth: 'none',
    success: { status: 200, description: 'The challenge the ALTCHA widget solves' },
  },
  Register: {
    summary: 'Create an account; a verification link is mailed',
    auth: 'none',
    body: registerRequestSchema,
    success: { status: 202, description: 'The same answer whether or not the email was free' },
    errors: [
      { status: 400, code: 'CAPTCHA.INVALID', when: 'the CAPTCHA solution is wrong, expired or used' },
      { status: 400, code: 'PASSWORD.TOO_WEAK', when: 'the password breaks the policy' },
      rateLimited('RATE.LIMITED'),
    ],
  },
  VerifyEmail: {
    summary: 'Verify the email with the mailed single-use token',
    auth: 'none',
    body: verifyEmailRequestSchema,
    success: { status: 200, description: 'Verified' },
    errors: [{ status: 400, code: 'TOKEN.INVALID', when: 'unknown, expired or already used' }],
  },
  ResendVerification: {
    summary: 'Mail a new verification link',
    auth: 'none',
    body: resendVerificationRequestSchema,
    success: { status: 202, description: 'The same answer for any email' },
    errors: [rateLimited('RATE.LIMITED')],
  },
  Login: {
    summary: 'Password (and CAPTCHA, and a second factor when 2FA is on) → access and refresh token',
    auth: 'none',
    body: loginRequestSchema,
    success: { status: 200, description: '{ accessToken, refreshToken, expiresIn }' },
    errors: [
      { status: 401, code: 'AUTH.INVALID_CREDENTIALS', when: 'unknown email or wrong password' },
      { status: 401, code: 'AUTH.TWO_FACTOR_REQUIRED', when: '2FA is on and no code was given' },
      {
        status: 401,
        code: 'AUTH.INVALID_SECOND_FACTOR',
        when: 'the TOTP or recovery code is wrong, replayed or used (counts towards the lockout)',
      },
      { status: 403, code: 'AUTH.EMAIL_NOT_VERIFIED', when: 'the email is not verified yet' },
      { status: 403, code: 'AUTH.ACCOUNT_DISABLED', when: 'the account is disabled' },
      rateLimited('AUTH.LOCKED'),
    ],
  },
  RefreshSession: {
    summary: 'Rotate the refresh token (a reused one revokes its session)',
    auth: 'none',
    body: refreshTokenRequestSchema,
    success: { status: 200, description: '{ accessToken, refreshToken, expiresIn }' },
    errors: [
      {
        status: 401,
        code: 'AUTH.INVALID_REFRESH_TOKEN',
        when: 'unknown, rotated (the session is revoked), expired',
      },
    ],
  },
  Logout: {
    summary: 'End the session of this refresh token',
    auth: 'none',
    body: refreshTokenRequestSchema,
    success: { status: 204, description: 'Ended (also when it already was)' },
  },
  LogoutEverywhere: {
    summary: "End every one of the caller's sessions",
    auth: 'user',
    success: { status: 200, description: '{ revokedSessions }' },
  },
  TotpEnroll: {
    summary: 'Start 2FA enrollment: a new TOTP secret as an otpauth URI and QR code (shown once)',
    auth: 'user',
    success: { status: 200, description: '{ otpauthUri, qrCode (SVG data URL), expiresAt }' },
    errors: [
      { status: 409, code: 'TOTP.ALREADY_ENABLED', when: '2FA is already on' },
      rateLimited('RATE.LIMITED'),
    ],
  },
  TotpConfirm: {
    summary: 'Confirm 2FA with a first code: 2FA on, recovery codes answered once',
    auth: 'user',
    body: totpConfirmRequestSchema,
    success: { status: 200, description: '{ enabled: true, recoveryCodes }' },
    errors: [
      { status: 400, code: 'TOTP.INVALID_CODE', when: 'the code does not match the pending secret' },
      { status: 409, code: 'TOTP.ALREADY_ENABLED', when: '2FA is already on' },
      { status: 409, code: 'TOTP.NOT_ENROLLED', when: 'no pending enrollment (or it expired)' },
      rateLimited('TOTP.TOO_MANY_ATTEMPTS'),
    ],
  },
  TotpDisable: {
    summary: 'Turn 2FA off (password and a code); every other session is signed out',
    auth: 'user',
    body: totpDisableRequestSchema,
    success: { status: 200, description: '{ enabled: false, revokedSessions }' },
    errors: [
      { status: 403, code: 'AUTH.INVALID_PASSWORD', when: 'the password is wrong' },
      {
        status: 403,
        code: 'AUTH.INVALID_SECOND_FACTOR',
        when: 'the TOTP or recovery code is wrong, replayed or used',
      },
      { status: 409, code: 'TOTP.NOT_ENABLED', when: '2FA is not on' },
      rateLimited('TOTP.TOO_MANY_ATTEMPTS'),
    ],
  },
  ChangePassword: {
    summary: 'Change the password (current one, and a second factor when 2FA is on); signs out everywhere',
    auth: 'user',
    body: changePasswordRequestSchema,
    success: { status: 204, description: 'Changed; every session is revoked, this one too: log in again' },
    errors: [
      {
        status: 400,
        code: 'PASSWORD.TOO_WEAK',
        when: 'the new password breaks the policy or is the current one',
      },
      { status: 401, code: 'AUTH.INVALID_PASSWORD', when: 'the current password is wrong' },
      { status: 403, code: 'AUTH.TWO_FACTOR_REQUIRED', when: '2FA is on and no valid code was given' },
      { status: 409, code: 'PASSWORD.CHANGED_MEANWHILE', when: 'the password changed during the request' },
      rateLimited('AUTH.LOCKED'),
    ],
  },
  RequestPasswordReset: {
    summary: 'Mail a single-use password-reset link (1 hour) to a verified, active account',
    auth: 'none',
    body: passwordResetRequestSchema,
    success: { status: 202, description: 'The same answer for any email' },
    errors: [
      { status: 400, code: 'CAPTCHA.INVALID', when: 'the CAPTCHA solution is wrong, expired or used' },
      rateLimited('RATE.LIMITED'),
    ],
  },
  ResetPassword: {
    summary: 'Set a new password with the mailed reset token; signs out everywhere',
    auth: 'none',
    body: resetPasswordRequestSchema,
    success: { status: 200, description: '{ reset: true }; log in with the new password' },
    errors: [
      {
        status: 400,
        code: 'TOKEN.INVALID',
        when: 'unknown, expired, already used or older than the last change',
      },
      {
        status: 400,
        code: 'PASSWORD.TOO_WEAK',
        when: 'the new password breaks the policy (the link stays usable)',
      },
      rateLimited('RATE.LIMITED'),
    ],
  },
  ApiDocs: {
    summary: 'Local run only: this document',
    auth: 'none',
    success: { status: 200, description: 'The OpenAPI 3.1 document' },
  },
  DevOutbox: {
    summary: 'Local run only: the mails the platform would have sent, newest first',
    auth: 'none',
    success: { status: 200, description: '{ items }' },
  },
  GetSettings: {
    summary: "The caller's settings and their version",
    auth: 'user',
    success: { status: 200, description: '{ settings, version, updatedAt }' },
  },
  UpdateSettings: {
    summary:
      "Replace the caller's settings, if still at the version edited; with 2FA on, a save that raises risk needs a code",
    auth: 'user',
    body: updateSettingsBody,
    success: { status: 200, description: '{ settings, version, updatedAt }' },
    errors: [
      {
        status: 403,
        code: 'AUTH.TWO_FACTOR_REQUIRED',
        when: '2FA is on, the save raises risk and no code was given; details.riskRaisingChanges names why',
      },
      {
        status: 403,
        code: 'AUTH.INVALID_SECOND_FACTOR',
        when: 'the save raises risk and the code is wrong, replayed or used',
      },
      { status: 409, code: 'SETTINGS.VERSION_CONFLICT', when: 'the settings changed since that version' },
      rateLimited('TOTP.TOO_MANY_ATTEMPTS'),
    ],
  },
  ListExchangeAccounts: {
    summary: "The caller's exchange accounts (keys masked) and the IPs to bind keys to",
    auth: 'user',
    success: { status: 200, description: '{ items, egressIps }' },
  },
  AddExchangeAccount: {
    summary: 'Add an exchange account: the key is checked on the exchange, then sealed and stored',
    auth: 'user',
    body: addExchangeAccountBody,
    success: { status: 201, description: 'The account, key masked, with the IPs to bind it to' },
    errors: [
      {
        status: 422,
        code: 'EXCHANGE_KEY.REFUSED',
        when: 'the key may withdraw, transfer, not trade, or is not IP-bound',
      },
      { status: 403, code: 'AUTH.TWO_FACTOR_REQUIRED', when: '2FA is on and no code was given' },
      { status: 403, code: 'AUTH.INVALID_SECOND_FACTOR', when: 'the code is wrong, replayed or used' },
      rateLimited('RATE.LIMITED'),
    ],
  },
  RemoveExchangeAccount: {
    summary: "Delete one of the caller's exchange accounts and its sealed key",
    auth: 'user',
    path: exchangeAccountPath,
    success: { status: 200, description: '{ accountId, removed }' },
    errors: [{ status: 404, code: 'EXCHANGE_ACCOUNT.NOT_FOUND', when: 'no such account of the caller' }],
  },
  AdminListUsers: {
    summary: 'Admins only (role admin and 2FA on): a page of users; never a hash or a secret',
    auth: 'user',
    query: adminListUsersQuery,
    success: {
      status: 200,
      description: '{ items: [{ userId, email, status, role, createdAt, totpEnabled }], cursor? }',
    },
    errors: adminErrors,
  },
  AdminDisableUser: {
    summary: 'Admins only, with a fresh TOTP code: disable a user and revoke every session; audited',
    auth: 'user',
    path: adminUserPath,
    body: adminDisableUserBody,
    success: { status: 200, description: '{ userId, status: "disabled", revokedSessions }' },
    errors: [...adminStepUpErrors, { status: 404, code: 'USER.NOT_FOUND', when: 'no such user' }],
  },
  AdminKillSwitch: {
    summary:
      'Admins only, with a fresh TOTP code: the global kill switch (while on, no signal is fanned out)',
    auth: 'user',
    body: adminKillSwitchBody,
    success: { status: 200, description: '{ on, changedAt }' },
    errors: adminStepUpErrors,
  },
};

const errorSchema = {
  type: 'object',
  required: ['code', 'message'],
  properties: {
    code: { type: 'string', description: 'Machine-readable, e.g. BODY.INVALID' },
    message: { type: 'string', description: 'For people' },
    details: { description: 'e.g. the invalid fields' },
  },
};

function jsonSchema(schema: z.ZodType): unknown {
  // Input side: what the client sends (before defaults and transforms apply).
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
}

function operation(fn: FunctionDefinition, doc: RouteDoc): Record<string, unknown> {
  const responses: Record<string, unknown> = {
    [String(doc.success.status)]: { description: doc.success.description },
  };
  const errors = [
    ...(doc.body || doc.query || doc.path
      ? [{ status: 400, code: 'BODY.INVALID', when: 'the input does not match' }]
      : []),
    ...(doc.auth === 'user'
      ? [{ status: 401, code: 'AUTH.INVALID_TOKEN', when: 'missing or invalid token' }]
      : []),
    ...(doc.auth === 'house'
      ? [{ status: 401, code: 'AUTH.INVALID_HOUSE_TOKEN', when: 'missing or wrong house engine token' }]
      : []),
    ...(doc.errors ?? []),
  ];
  for (const status of [...new Set(errors.map((e) => e.status))].sort()) {
    const here = errors.filter((e) => e.status === status);
    responses[String(status)] = {
      description: here.map((e) => `${e.code}: ${e.when}`).join('; '),
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    };
  }
  const parameters: unknown[] = (doc.headers ?? []).map((h) => ({
    name: h.name,
    in: 'header',
    required: true,
    description: h.description,
    schema: { type: 'string', pattern: h.pattern },
  }));
  for (const [where, schema] of [
    ['query', doc.query],
    ['path', doc.path],
  ] as const) {
    if (!schema) continue;
    const shape = jsonSchema(schema) as { properties?: Record<string, unknown>; required?: string[] };
    for (const [name, property] of Object.entries(shape.properties ?? {})) {
      parameters.push({
        name,
        in: where,
        required: where === 'path' || (shape.required ?? []).includes(name),
        schema: property,
      });
    }
  }
  return {
    operationId: fn.id,
    summary: doc.summary,
    description: fn.description,
    ...(doc.auth === 'user' ? { security: [{ userToken: [] }] } : {}),
    ...(doc.auth === 'house' ? { security: [{ houseToken: [] }] } : {}),
    ...(fn.localOnly ? { 'x-local-only': true } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(doc.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(doc.body) } } } }
      : {}),
    responses,
  };
}

/** HTTP functions the manifest declares without a ROUTE_DOCS entry (a test keeps this empty). */
export function undocumentedRoutes(): string[] {
  return FUNCTIONS.filter((fn) => fn.trigger.kind === 'http' && !ROUTE_DOCS[fn.id]).map((fn) => fn.id);
}

export function buildOpenApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const fn of FUNCTIONS) {
    if (fn.trigger.kind !== 'http') continue;
    const doc = ROUTE_DOCS[fn.id];
    if (!doc) continue;
    const entry = paths[fn.trigger.path] ?? {};
    entry[fn.trigger.method.toLowerCase()] = operation(fn, doc);
    paths[fn.trigger.path] = entry;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Verzek AutoTrader API',
      version: '0.1.0',
      description: 'Generated from the wiring manifest and the handlers’ zod schemas (`npm run openapi`).',
    },
    components: {
      securitySchemes: {
        userToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT (ES256)' },
        houseToken: {
          type: 'http',
          scheme: 'bearer',
          description:
            'The house signal engine’s shared token; its requests are also signed (X-Verzek-Timestamp, X-Verzek-Signature)',
        },
      },
      schemas: { Error: errorSchema },
    },
    paths,
  };
}
