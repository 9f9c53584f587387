// Admin use cases on in-memory fakes: who passes `requireAdmin` (role read fresh, 2FA on), the fresh
// code the mutating ones ask for, what disabling does, and fan-out skipping under the global kill
// switch.
import { describe, expect, it, vi } from 'vitest';
import {
  adminDisableUser,
  adminListUsers,
  adminSetKillSwitch,
  requireAdmin,
  type StepUp,
} from '../../../shared/app/admin/admin.js';
import { fanOutSignal } from '../../../shared/app/fan-out-signal.js';
import { signalSchema } from '../../../shared/core/signals/signal.js';
import { Forbidden } from '../../../shared/http/errors.js';
import type {
  KillSwitchRepository,
  KillSwitchState,
  UserAdminRepository,
} from '../../../shared/ports/admin.js';
import type { UserAuth } from '../../../shared/ports/auth-repositories.js';
import type { QueuePublisher } from '../../../shared/ports/queue-publisher.js';
import type {
  SignalRepository,
  StoredSignal,
  TradingAccount,
  TradingAccountRepository,
} from '../../../shared/ports/repositories.js';
import { authWorld, refusal } from '../../support/auth-fakes.js';

const user = (userId: string, change: Partial<UserAuth> = {}): UserAuth => ({
  userId,
  email: `${userId}@example.com`,
  passwordHash: 'fake$hash',
  status: 'active',
  role: 'user',
  createdAt: '2026-01-01T00:00:00.000Z',
  totpEnabled: false,
  ...change,
});

class FakeKillSwitch implements KillSwitchRepository {
  state: KillSwitchState = { on: false };
  async get() {
    return this.state;
  }
  async set(state: Required<KillSwitchState>) {
    this.state = state;
  }
}

function world() {
  const w = authWorld();
  for (const u of [
    user('plain'),
    user('admin-no-2fa', { role: 'admin' }),
    user('admin', { role: 'admin', totpEnabled: true }),
    user('disabled-admin', { role: 'admin', totpEnabled: true, status: 'disabled' }),
    user('victim'),
  ]) {
    w.users.byId.set(u.userId, u);
  }
  const admin: Pick<UserAdminRepository, 'list' | 'disable'> = {
    list: async () => ({ items: [] }),
    disable: async (userId) => {
      const u = w.users.byId.get(userId);
      if (!u || u.status === 'disabled') return false;
      w.users.patch(userId, { status: 'disabled' });
      return true;
    },
  };
  const stepUp = vi.fn<StepUp>(async (_userId, proof) => {
    if (proof.totpCode !== '123456') throw new Forbidden('AUTH.INVALID_SECOND_FACTOR', 'wrong');
    return 'totp';
  });
  return { ...w, admin, stepUp, killSwitch: new FakeKillSwitch() };
}

describe('requireAdmin', () => {
  it('passes an active admin with 2FA on', async () => {
    await expect(requireAdmin(world(), 'admin')).resolves.toBeUndefined();
  });

  it.each([
    ['a plain user', 'plain', 'AUTH.ADMIN_REQUIRED'],
    ['an unknown user', 'nobody', 'AUTH.ADMIN_REQUIRED'],
    ['a disabled admin', 'disabled-admin', 'AUTH.ADMIN_REQUIRED'],
    ['an admin without 2FA', 'admin-no-2fa', 'AUTH.ADMIN_NEEDS_2FA'],
  ])('refuses %s with 403', async (_label, userId, code) => {
    expect(await refusal(requireAdmin(world(), userId))).toMatchObject({ status: 403, code });
  });

  it('reads the role fresh: a revoked role takes effect on the next request', async () => {
    const w = world();
    await requireAdmin(w, 'admin');
    w.users.patch('admin', { role: 'user' });
    expect(await refusal(requireAdmin(w, 'admin'))).toMatchObject({ code: 'AUTH.ADMIN_REQUIRED' });
  });

  it('guards listing users too', async () => {
    const w = world();
    expect(await refusal(adminListUsers(w, 'plain', { limit: 10 }))).toMatchObject({ status: 403 });
    await expect(adminListUsers(w, 'admin', { limit: 10 })).resolves.toEqual({ items: [] });
  });
});

describe('adminDisableUser', () => {
  it('needs a valid fresh code, then disables, revokes every session and audits as the admin', async () => {
    const w = world();
    await w.sessions.create({
      userId: 'victim',
      familyId: 'f1',
      tokenHash: 'h',
      generation: 0,
      rotatedHashes: [],
      createdAt: 'x',
      lastUsedAt: 'x',
      expiresAt: 9_999_999_999,
    });
    expect(await refusal(adminDisableUser(w, 'admin', 'victim', { totpCode: '000000' }))).toMatchObject({
      code: 'AUTH.INVALID_SECOND_FACTOR',
    });
    expect(w.users.byId.get('victim')?.status).toBe('active');
    expect(await refusal(adminDisableUser(w, 'plain', 'victim', { totpCode: '123456' }))).toMatchObject({
      code: 'AUTH.ADMIN_REQUIRED',
    });

    const answer = await adminDisableUser(w, 'admin', 'victim', { totpCode: '123456' }, '203.0.113.9');
    expect(answer).toEqual({ userId: 'victim', status: 'disabled', revokedSessions: 1 });
    expect(w.users.byId.get('victim')?.status).toBe('disabled');
    expect((await w.sessions.get('victim', 'f1'))?.revokedAt).toBeDefined();
    expect(w.audit.events.at(-1)).toMatchObject({
      userId: 'victim',
      type: 'user.disabled',
      actor: 'admin',
      actorId: 'admin',
      ip: '203.0.113.9',
    });
  });

  it('answers 404 for an unknown user', async () => {
    expect(await refusal(adminDisableUser(world(), 'admin', 'nobody', { totpCode: '123456' }))).toMatchObject(
      {
        status: 404,
        code: 'USER.NOT_FOUND',
      },
    );
  });

  it('fails closed when the 2FA flag is on but no factor is stored', async () => {
    const w = world();
    w.stepUp.mockResolvedValueOnce('not-enrolled');
    expect(await refusal(adminDisableUser(w, 'admin', 'victim', { totpCode: '123456' }))).toMatchObject({
      code: 'AUTH.ADMIN_NEEDS_2FA',
    });
    expect(w.users.byId.get('victim')?.status).toBe('active');
  });
});

describe('adminSetKillSwitch', () => {
  it('flips the global switch, audited with actor admin', async () => {
    const w = world();
    expect(
      await refusal(adminSetKillSwitch(w, 'admin-no-2fa', { on: true, totpCode: '123456' })),
    ).toMatchObject({ code: 'AUTH.ADMIN_NEEDS_2FA' });
    expect(w.killSwitch.state.on).toBe(false);
    const answer = await adminSetKillSwitch(w, 'admin', { on: true, totpCode: '123456' });
    expect(answer.on).toBe(true);
    expect(w.killSwitch.state).toMatchObject({ on: true, changedBy: 'admin' });
    expect(w.audit.events.at(-1)).toMatchObject({
      type: 'kill-switch.changed',
      actor: 'admin',
      actorId: 'admin',
      details: { scope: 'global', on: true, was: false },
    });
  });
});

describe('fan-out under the global kill switch', () => {
  const signal = signalSchema.parse({
    signalId: 'ks-1',
    source: 'house',
    bot: 'manual',
    symbol: 'BTC/USDT',
    side: 'long',
    entry: { type: 'market' },
    targets: [{ price: '101000' }],
    stopLoss: '99000',
    createdAt: '2026-11-25T10:00:00Z',
  });

  function fanOutWorld(on: boolean) {
    const stored: { value: StoredSignal } = {
      value: { signalKey: 'house:ks-1', signal, fingerprint: 'f', status: 'enqueued', receivedAt: 'x' },
    };
    const account = { userId: 'u1', accountId: 'a1', autoTrade: true } as TradingAccount;
    const sent: unknown[] = [];
    // Only the methods fan-out calls are implemented; the casts keep the fakes to those.
    const signals = {
      get: async () => stored.value,
      markStatus: async (_key: string, status: StoredSignal['status'], fannedOutTo?: number) => {
        stored.value = { ...stored.value, status, ...(fannedOutTo === undefined ? {} : { fannedOutTo }) };
      },
    } as unknown as SignalRepository;
    const accounts = {
      async *listAutoTrading() {
        yield account;
      },
    } as unknown as TradingAccountRepository;
    const queue: QueuePublisher = { send: async (_q, messages) => void sent.push(...messages) };
    const killSwitch = new FakeKillSwitch();
    killSwitch.state = { on };
    return { deps: { signals, accounts, queue, killSwitch }, stored, sent };
  }

  it('sends nothing and closes the signal as fanned out to nobody while the switch is on', async () => {
    const w = fanOutWorld(true);
    expect(await fanOutSignal(w.deps, 'house:ks-1')).toEqual({ commands: 0, skipped: 'kill-switch' });
    expect(w.sent).toEqual([]);
    expect(w.stored.value).toMatchObject({ status: 'fanned-out', fannedOutTo: 0 });
  });

  it('fans out as usual while it is off', async () => {
    const w = fanOutWorld(false);
    expect(await fanOutSignal(w.deps, 'house:ks-1')).toEqual({ commands: 1 });
    expect(w.sent).toHaveLength(1);
  });
});
