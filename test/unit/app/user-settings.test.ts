import { describe, expect, it } from 'vitest';
import { register } from '../../../shared/app/auth/register.js';
import { confirmTotp, enrollTotp } from '../../../shared/app/auth/totp-enrollment.js';
import {
  INVALID_SECOND_FACTOR,
  requireSecondFactor,
  SECOND_FACTOR_RATE_RULE,
  type SecondFactorProof,
  TWO_FACTOR_REQUIRED,
  type TwoFactorOutcome,
} from '../../../shared/app/auth/two-factor.js';
import { verifyEmail } from '../../../shared/app/auth/verify-email.js';
import {
  changedSections,
  DEFAULT_SETTINGS,
  type SettingsRepository,
  SettingsVersionConflict,
  type StoredSettings,
  type UpdateSettingsDeps,
  type UserSettings,
  updateSettings,
  userSettingsSchema,
} from '../../../shared/app/settings/user-settings.js';
import { AppError, Forbidden, TooManyRequests } from '../../../shared/http/errors.js';
import type { AuditEvent, AuditLog } from '../../../shared/ports/security.js';
import { refusal } from '../../support/auth-fakes.js';
import { codeAt, twoFactorWorld } from '../../support/two-factor-fakes.js';

class MemorySettings implements SettingsRepository {
  stored: StoredSettings | null = null;
  async get() {
    return this.stored;
  }
  async replace(_userId: string, settings: UserSettings, expectedVersion: number, at: string) {
    if ((this.stored?.version ?? 0) !== expectedVersion)
      throw new SettingsVersionConflict(this.stored?.version ?? 0);
    this.stored = { settings, version: expectedVersion + 1, updatedAt: at };
    return this.stored;
  }
}

class MemoryAudit implements AuditLog {
  readonly events: AuditEvent[] = [];
  async append(event: AuditEvent) {
    this.events.push(event);
  }
  async listForUser() {
    return { items: [...this.events].reverse() };
  }
}

const context = { at: '2026-11-25T12:00:00.000Z', ip: '203.0.113.9' };

/** A user without 2FA, as requireSecondFactor answers for one. */
const noTwoFactor = async (): Promise<TwoFactorOutcome> => 'not-enrolled';
const plainDeps = (): UpdateSettingsDeps & { settings: MemorySettings; audit: MemoryAudit } => ({
  settings: new MemorySettings(),
  audit: new MemoryAudit(),
  secondFactor: noTwoFactor,
});

/** A user with 2FA on whose app shows "123456"; every check it is asked for is recorded. */
function twoFactorOn() {
  const asked: SecondFactorProof[] = [];
  const gate = async (_userId: string, proof: SecondFactorProof): Promise<TwoFactorOutcome> => {
    asked.push(proof);
    if (proof.totpCode === undefined && proof.recoveryCode === undefined) {
      throw new Forbidden(TWO_FACTOR_REQUIRED.code, TWO_FACTOR_REQUIRED.message);
    }
    if (proof.totpCode === '123456') return 'totp';
    if (proof.recoveryCode === 'abcd-efgh-ijkl-mnop') return 'recovery-code';
    throw new Forbidden(INVALID_SECOND_FACTOR.code, INVALID_SECOND_FACTOR.message);
  };
  return { asked, deps: { settings: new MemorySettings(), audit: new MemoryAudit(), secondFactor: gate } };
}

const moreOpenPositions: UserSettings = { ...DEFAULT_SETTINGS, risk: { maxOpenPositions: 80 } };

/** The AppError a promise rejects with, details included. */
async function appError(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

describe('user settings', () => {
  it('has defaults that pass its own schema, with at most 50 open positions', () => {
    expect(userSettingsSchema.safeParse(DEFAULT_SETTINGS).success).toBe(true);
    expect(DEFAULT_SETTINGS.risk.maxOpenPositions).toBe(50);
    expect(DEFAULT_SETTINGS.autoTrade).toBe(false);
  });

  it.each([
    ['a symbol on both lists', { symbols: { whitelist: ['BTC/USDT'], blacklist: ['BTC/USDT'] } }],
    ['a lower-case symbol', { symbols: { whitelist: ['btc/usdt'], blacklist: [] } }],
    ['too many open positions', { risk: { maxOpenPositions: 501 } }],
    ['a negative loss limit', { risk: { maxOpenPositions: 5, dailyLossLimitQuote: '-1' } }],
    ['DCA defaults without a take-profit', { dcaDefaults: { side: 'long', baseOrderQuote: '10' } }],
    ['an unknown field', { leverage: 100 }],
  ])('refuses %s', (_name, change) => {
    expect(userSettingsSchema.safeParse({ ...DEFAULT_SETTINGS, ...change }).success).toBe(false);
  });

  it('names the sections that changed', () => {
    const after = { ...DEFAULT_SETTINGS, killSwitch: true, risk: { maxOpenPositions: 10 } };
    expect(changedSections(DEFAULT_SETTINGS, after)).toEqual(['risk', 'killSwitch']);
  });

  it('saves against the version it was edited from, audits the change and the kill switch apart', async () => {
    const deps = plainDeps();
    const first = await updateSettings(
      deps,
      'u1',
      { expectedVersion: 0, settings: { ...DEFAULT_SETTINGS, killSwitch: true } },
      context,
    );
    expect(first.version).toBe(1);
    expect(deps.audit.events.map((e) => [e.type, e.details])).toEqual([
      ['settings.changed', { sections: 'killSwitch', version: 1 }],
      ['kill-switch.changed', { on: true }],
    ]);
    await expect(
      updateSettings(deps, 'u1', { expectedVersion: 0, settings: DEFAULT_SETTINGS }, context),
    ).rejects.toBeInstanceOf(SettingsVersionConflict);
  });

  it('does not bump the version or audit when nothing changed', async () => {
    const deps = plainDeps();
    const same = await updateSettings(
      deps,
      'u1',
      { expectedVersion: 0, settings: DEFAULT_SETTINGS },
      context,
    );
    expect(same.version).toBe(0);
    expect(deps.audit.events).toEqual([]);
  });

  it('saves a risk-raising update for a user without 2FA, as before: no factor recorded', async () => {
    const deps = plainDeps();
    const saved = await updateSettings(
      deps,
      'u1',
      { expectedVersion: 0, settings: moreOpenPositions },
      context,
    );
    expect(saved.version).toBe(1);
    expect(deps.audit.events[0]?.details).toEqual({
      sections: 'risk',
      version: 1,
      riskRaising: 'risk.maxOpenPositions',
    });
  });
});

describe('settings that raise risk, with 2FA on', () => {
  it('refuses without a code: 403 AUTH.TWO_FACTOR_REQUIRED naming the changes; nothing saved or audited', async () => {
    const { deps } = twoFactorOn();
    const error = await appError(
      updateSettings(
        deps,
        'u1',
        { expectedVersion: 0, settings: { ...moreOpenPositions, autoTrade: true } },
        context,
      ),
    );
    expect(error).toMatchObject({
      status: 403,
      code: 'AUTH.TWO_FACTOR_REQUIRED',
      details: {
        riskRaisingChanges: [
          { field: 'risk.maxOpenPositions', change: 'raised from 50 to 80' },
          { field: 'autoTrade', change: 'turned on' },
        ],
      },
    });
    expect(error.message).toBe(
      `${TWO_FACTOR_REQUIRED.message}: this update raises trading risk ` +
        '(risk.maxOpenPositions raised from 50 to 80; autoTrade turned on)',
    );
    expect(deps.settings.stored).toBeNull();
    expect(deps.audit.events).toEqual([]);
  });

  it('refuses a wrong code with 403 AUTH.INVALID_SECOND_FACTOR, the changes named', async () => {
    const { deps } = twoFactorOn();
    const update = { expectedVersion: 0, settings: moreOpenPositions, totpCode: '000000' };
    const error = await appError(updateSettings(deps, 'u1', update, context));
    expect(error).toMatchObject({ status: 403, code: 'AUTH.INVALID_SECOND_FACTOR' });
    expect(error.message).toContain('risk.maxOpenPositions raised from 50 to 80');
    expect(error.message).not.toContain('000000');
    expect(deps.settings.stored).toBeNull();
  });

  it.each([
    ['an authenticator code', { totpCode: '123456' }, 'totp'],
    ['a recovery code', { recoveryCode: 'abcd-efgh-ijkl-mnop' }, 'recovery-code'],
  ])('saves with %s and audits which factor passed, never the code', async (_name, proof, kind) => {
    const { deps } = twoFactorOn();
    const saved = await updateSettings(
      deps,
      'u1',
      { expectedVersion: 0, settings: moreOpenPositions, ...proof },
      context,
    );
    expect(saved).toMatchObject({ version: 1, settings: moreOpenPositions });
    expect(deps.settings.stored?.settings).toEqual(moreOpenPositions);
    expect(deps.audit.events.map((e) => [e.type, e.details])).toEqual([
      [
        'settings.changed',
        { sections: 'risk', version: 1, riskRaising: 'risk.maxOpenPositions', secondFactor: kind },
      ],
    ]);
    expect(JSON.stringify(deps.audit.events)).not.toContain(Object.values(proof)[0]);
  });

  it('never asks to stop: kill switch on, auto-trade off, lower limits save without a code, a stray code unchecked', async () => {
    const { deps, asked } = twoFactorOn();
    const started = {
      ...DEFAULT_SETTINGS,
      autoTrade: true,
      risk: { maxOpenPositions: 50, dailyLossLimitQuote: '100' },
    };
    deps.settings.stored = { settings: started, version: 3, updatedAt: context.at };
    const stop = { ...started, killSwitch: true };
    await expect(
      updateSettings(deps, 'u1', { expectedVersion: 3, settings: stop }, context),
    ).resolves.toMatchObject({
      version: 4,
    });
    const calmer = {
      ...stop,
      autoTrade: false,
      risk: { maxOpenPositions: 5, dailyLossLimitQuote: '20' },
      takeProfitMode: 'progressive' as const,
      notifications: { email: false, push: true, telegram: true },
    };
    // A wrong code sent along is ignored: it must never stand between the trader and stopping.
    await expect(
      updateSettings(deps, 'u1', { expectedVersion: 4, settings: calmer, totpCode: '000000' }, context),
    ).resolves.toMatchObject({ version: 5 });
    expect(asked).toEqual([]);
    expect(deps.audit.events.map((e) => e.details)).toEqual([
      { sections: 'killSwitch', version: 4 },
      { on: true },
      { sections: 'risk,takeProfitMode,autoTrade,notifications', version: 5 },
    ]);
  });

  it('answers 409 on a stale version before the factor: the code is not used up', async () => {
    const { deps, asked } = twoFactorOn();
    deps.settings.stored = { settings: DEFAULT_SETTINGS, version: 2, updatedAt: context.at };
    await expect(
      updateSettings(
        deps,
        'u1',
        { expectedVersion: 1, settings: moreOpenPositions, totpCode: '123456' },
        context,
      ),
    ).rejects.toBeInstanceOf(SettingsVersionConflict);
    expect(asked).toEqual([]);
  });

  it('asks nothing when the update changes nothing', async () => {
    const { deps, asked } = twoFactorOn();
    await updateSettings(deps, 'u1', { expectedVersion: 0, settings: DEFAULT_SETTINGS }, context);
    expect(asked).toEqual([]);
  });

  it('passes a 429 from the attempt limiter through unchanged', async () => {
    const limited = new TooManyRequests('TOTP.TOO_MANY_ATTEMPTS', 'Too many second-factor attempts', 60);
    const deps = { ...plainDeps(), secondFactor: () => Promise.reject(limited) };
    await expect(
      updateSettings(
        deps,
        'u1',
        { expectedVersion: 0, settings: moreOpenPositions, totpCode: '123456' },
        context,
      ),
    ).rejects.toBe(limited);
  });
});

describe('settings step-up on the real TOTP check', () => {
  const EMAIL = 'trader@example.com';
  const IP = '198.51.100.7';

  async function userWithTwoFactor() {
    const world = twoFactorWorld();
    const password = 'Violet-Harbor-Lantern-42';
    await register(world, { email: EMAIL, password, captcha: world.captcha.solution(), ip: IP });
    await verifyEmail(world, { token: world.mailer.lastVerificationToken(EMAIL), ip: IP });
    const userId = (await world.users.findByEmail(EMAIL))?.userId ?? '';
    const { otpauthUri } = await enrollTotp(world, userId);
    await confirmTotp(world, userId, { code: codeAt(otpauthUri, world.clock.now()) }, { ip: IP });
    const settings = new MemorySettings();
    const deps: UpdateSettingsDeps = {
      settings,
      audit: world.audit,
      secondFactor: (id, proof, now, ip) => requireSecondFactor(world, id, proof, now, ip),
    };
    const at = () => ({ at: world.clock.now().toISOString(), ip: IP });
    return { world, userId, otpauthUri, settings, deps, at };
  }

  it('takes a fresh code once; its replay is refused', async () => {
    const { world, userId, otpauthUri, deps, at } = await userWithTwoFactor();
    world.clock.advance(30);
    const code = codeAt(otpauthUri, world.clock.now());
    const update = { expectedVersion: 0, settings: moreOpenPositions, totpCode: code };
    await expect(updateSettings(deps, userId, update, at())).resolves.toMatchObject({ version: 1 });
    const higher = { ...DEFAULT_SETTINGS, risk: { maxOpenPositions: 90 } };
    expect(
      await refusal(
        updateSettings(deps, userId, { expectedVersion: 1, settings: higher, totpCode: code }, at()),
      ),
    ).toMatchObject({ status: 403, code: 'AUTH.INVALID_SECOND_FACTOR' });
  });

  it(`counts wrong codes in the second-factor limiter the other step-ups use: after ${SECOND_FACTOR_RATE_RULE.limit}, 429`, async () => {
    const { world, userId, otpauthUri, deps, at } = await userWithTwoFactor();
    world.clock.advance(30);
    const wrong = codeAt(otpauthUri, new Date(world.clock.now().getTime() + 5 * 30_000));
    const update = { expectedVersion: 0, settings: moreOpenPositions, totpCode: wrong };
    for (let i = 0; i < SECOND_FACTOR_RATE_RULE.limit; i++) {
      expect((await refusal(updateSettings(deps, userId, update, at()))).code).toBe(
        'AUTH.INVALID_SECOND_FACTOR',
      );
    }
    const right = { ...update, totpCode: codeAt(otpauthUri, world.clock.now()) };
    expect(await refusal(updateSettings(deps, userId, right, at()))).toMatchObject({
      status: 429,
      code: 'TOTP.TOO_MANY_ATTEMPTS',
    });
    // Stopping is never rate limited by the factor: the kill switch still saves.
    await expect(
      updateSettings(
        deps,
        userId,
        { expectedVersion: 0, settings: { ...DEFAULT_SETTINGS, killSwitch: true } },
        at(),
      ),
    ).resolves.toMatchObject({ version: 1 });
  });
});
