// An in-memory TOTP repository with the DynamoDB adapter's conditional semantics (a pending record
// never replaces an active one, activation only of the current enrollment, a step accepted once, a
// recovery code removed once), and a TOTP-wired auth world for the use-case tests.
import { randomBytes } from 'node:crypto';
import { URI } from 'otpauth';
import { LocalSecretBox } from '../../shared/adapters/security/local-secret-box.js';
import type {
  ActiveTotp,
  PendingTotp,
  TotpActivation,
  TotpRecord,
  TwoFactorRepository,
} from '../../shared/ports/two-factor.js';
import { authWorld, type FakeUsers } from './auth-fakes.js';

type StoredActive = Omit<ActiveTotp, 'recoveryCodesLeft'> & { recoveryCodeHashes: Set<string> };

export class FakeTwoFactor implements TwoFactorRepository {
  readonly items = new Map<string, PendingTotp | StoredActive>();
  constructor(private readonly users: FakeUsers) {}

  async get(userId: string): Promise<TotpRecord | null> {
    const item = this.items.get(userId);
    if (!item) return null;
    if (item.status === 'pending') return item;
    const { recoveryCodeHashes, ...rest } = item;
    return { ...rest, recoveryCodesLeft: recoveryCodeHashes.size };
  }
  async putPending(pending: PendingTotp): Promise<boolean> {
    if (this.items.get(pending.userId)?.status === 'active') return false;
    this.items.set(pending.userId, pending);
    return true;
  }
  async activate(userId: string, activation: TotpActivation): Promise<boolean> {
    const item = this.items.get(userId);
    if (item?.status !== 'pending' || item.enrollmentId !== activation.enrollmentId) return false;
    this.items.set(userId, {
      status: 'active',
      userId,
      secret: activation.secret,
      enabledAt: activation.enabledAt,
      lastUsedStep: activation.lastUsedStep,
      recoveryCodeHashes: new Set(activation.recoveryCodeHashes),
    });
    this.users.patch(userId, { totpEnabled: true });
    return true;
  }
  async markStepUsed(userId: string, step: number): Promise<boolean> {
    const item = this.items.get(userId);
    if (item?.status !== 'active' || item.lastUsedStep >= step) return false;
    this.items.set(userId, { ...item, lastUsedStep: step });
    return true;
  }
  async consumeRecoveryCode(userId: string, codeHash: string): Promise<boolean> {
    const item = this.items.get(userId);
    return item?.status === 'active' && item.recoveryCodeHashes.delete(codeHash);
  }
  async remove(userId: string): Promise<void> {
    this.items.delete(userId);
    this.users.patch(userId, { totpEnabled: false });
  }
}

/** The auth fakes plus TOTP: the repository above and a real local secret box (random master key). */
export function twoFactorWorld() {
  const world = authWorld();
  return {
    ...world,
    totp: new FakeTwoFactor(world.users),
    secretBox: new LocalSecretBox(randomBytes(32).toString('base64')),
  };
}
export type TwoFactorWorld = ReturnType<typeof twoFactorWorld>;

/** What an authenticator app does with the enrollment URI: the code of the given instant. */
export function codeAt(otpauthUri: string, at: Date): string {
  const totp = URI.parse(otpauthUri);
  return totp.generate({ timestamp: at.getTime() });
}
