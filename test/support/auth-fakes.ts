// In-memory stand-ins for the ports the sign-up and session use cases depend on, with the same
// conditional semantics as the DynamoDB adapters (unique emails, single-use tokens, conditional
// rotation), so the use cases' behaviour is tested without engines.
import type { AccessTokenIssuer } from '../../shared/app/access-tokens.js';
import type {
  ActionPurpose,
  ActionToken,
  ActionTokenRepository,
  Session,
  SessionRepository,
  SessionRevocation,
  SessionRotation,
  UserAuth,
  UserAuthRepository,
} from '../../shared/ports/auth-repositories.js';
import type { Clock } from '../../shared/ports/clock.js';
import type { UserProfile } from '../../shared/ports/repositories.js';
import type {
  AuditEvent,
  AuditLog,
  CaptchaVerifier,
  Mail,
  Mailer,
  PasswordHasher,
  RateDecision,
  RateLimiter,
  RateRule,
} from '../../shared/ports/security.js';

export class FakeClock implements Clock {
  constructor(private current = new Date('2026-03-01T10:00:00.000Z')) {}
  now(): Date {
    return new Date(this.current);
  }
  advance(seconds: number): void {
    this.current = new Date(this.current.getTime() + seconds * 1000);
  }
}

export class FakeUsers implements UserAuthRepository {
  readonly byId = new Map<string, UserAuth>();
  readonly profiles = new Map<string, UserProfile>();
  private readonly owners = new Map<string, string>();

  async create(user: UserAuth, profile: UserProfile): Promise<'created' | 'email-taken'> {
    if (this.owners.has(user.email)) return 'email-taken';
    this.owners.set(user.email, user.userId);
    this.byId.set(user.userId, user);
    this.profiles.set(profile.userId, profile);
    return 'created';
  }
  async findByEmail(email: string): Promise<UserAuth | null> {
    const id = this.owners.get(email);
    return id ? (this.byId.get(id) ?? null) : null;
  }
  async get(userId: string): Promise<UserAuth | null> {
    return this.byId.get(userId) ?? null;
  }
  async markVerified(userId: string, at: string): Promise<boolean> {
    const user = this.byId.get(userId);
    if (user?.status !== 'unverified') return false;
    this.byId.set(userId, { ...user, status: 'active', verifiedAt: at });
    return true;
  }
  async setPasswordHash(
    userId: string,
    passwordHash: string,
    at: string,
    options: { readonly expectedHash?: string } = {},
  ): Promise<boolean> {
    const user = this.byId.get(userId);
    if (user?.status !== 'active') return false;
    if (options.expectedHash !== undefined && user.passwordHash !== options.expectedHash) return false;
    this.byId.set(userId, { ...user, passwordHash, passwordChangedAt: at });
    return true;
  }
  /** Test set-up: change a stored user. */
  patch(userId: string, change: Partial<UserAuth>): void {
    const user = this.byId.get(userId);
    if (!user) throw new Error(`no user ${userId}`);
    this.byId.set(userId, { ...user, ...change });
  }
}

export class FakeActionTokens implements ActionTokenRepository {
  readonly items = new Map<string, ActionToken>();
  async put(token: ActionToken): Promise<void> {
    if (this.items.has(token.tokenHash)) throw new Error('token hash clash');
    this.items.set(token.tokenHash, token);
  }
  async consume(tokenHash: string, purpose: ActionPurpose, now: Date): Promise<ActionToken | null> {
    const token = this.items.get(tokenHash);
    if (!token || token.purpose !== purpose || token.expiresAt <= Math.floor(now.getTime() / 1000))
      return null;
    this.items.delete(tokenHash);
    return token;
  }
}

export class FakeSessions implements SessionRepository {
  readonly items = new Map<string, Session>();
  /** Makes the next rotate lose a race (another refresh rotated first). */
  loseNextRotation = false;
  private key = (userId: string, familyId: string) => `${userId}/${familyId}`;

  async create(session: Session): Promise<void> {
    this.items.set(this.key(session.userId, session.familyId), session);
  }
  async get(userId: string, familyId: string): Promise<Session | null> {
    return this.items.get(this.key(userId, familyId)) ?? null;
  }
  async rotate(
    userId: string,
    familyId: string,
    expectedHash: string,
    next: SessionRotation,
  ): Promise<boolean> {
    const session = this.items.get(this.key(userId, familyId));
    if (this.loseNextRotation) {
      this.loseNextRotation = false;
      return false;
    }
    if (!session || session.tokenHash !== expectedHash || session.revokedAt !== undefined) return false;
    this.items.set(this.key(userId, familyId), { ...session, ...next });
    return true;
  }
  async revoke(userId: string, familyId: string, at: string, reason: SessionRevocation): Promise<boolean> {
    const session = this.items.get(this.key(userId, familyId));
    if (!session || session.revokedAt !== undefined) return false;
    this.items.set(this.key(userId, familyId), { ...session, revokedAt: at, revokedReason: reason });
    return true;
  }
  async revokeAll(
    userId: string,
    at: string,
    reason: SessionRevocation,
    options: { readonly except?: string } = {},
  ): Promise<number> {
    let count = 0;
    for (const session of [...this.items.values()]) {
      if (session.userId !== userId || session.familyId === options.except) continue;
      if (await this.revoke(userId, session.familyId, at, reason)) count++;
    }
    return count;
  }
  ofUser(userId: string): Session[] {
    return [...this.items.values()].filter((s) => s.userId === userId);
  }
}

/** Fixed windows, as the DynamoDB limiter counts them. */
export class FakeRateLimiter implements RateLimiter {
  readonly hits = new Map<string, number>();
  private id(rule: RateRule, key: string, now: Date) {
    const seconds = Math.floor(now.getTime() / 1000);
    const start = seconds - (seconds % rule.windowSeconds);
    return { id: `${rule.name}|${key}|${start}`, end: start + rule.windowSeconds, seconds };
  }
  async consume(rule: RateRule, key: string, now: Date): Promise<RateDecision> {
    const { id, end, seconds } = this.id(rule, key, now);
    const hits = this.hits.get(id) ?? 0;
    if (hits >= rule.limit) return { allowed: false, retryAfterSeconds: Math.max(1, end - seconds) };
    this.hits.set(id, hits + 1);
    return { allowed: true, remaining: rule.limit - hits - 1 };
  }
  async reset(rule: RateRule, key: string, now: Date): Promise<void> {
    this.hits.delete(this.id(rule, key, now).id);
  }
}

export class FakeAudit implements AuditLog {
  readonly events: AuditEvent[] = [];
  async append(event: AuditEvent): Promise<void> {
    this.events.push(event);
  }
  async listForUser(userId: string): Promise<{ items: AuditEvent[] }> {
    return { items: this.events.filter((e) => e.userId === userId).reverse() };
  }
  types(userId?: string): string[] {
    return this.events.filter((e) => userId === undefined || e.userId === userId).map((e) => e.type);
  }
}

export class FakeMailer implements Mailer {
  readonly sent: Mail[] = [];
  async send(mail: Mail): Promise<void> {
    this.sent.push(mail);
  }
  /** The token of the last verification link sent to `to`. */
  lastVerificationToken(to: string): string {
    const mail = this.sent.filter((m) => m.to === to && m.purpose === 'verify-email').at(-1);
    const token = mail ? /[?&]token=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1] : undefined;
    if (!token) throw new Error(`no verification mail to ${to}`);
    return token;
  }
}

/** Accepts "ok-<n>" once each; anything else is wrong. */
export class FakeCaptcha implements CaptchaVerifier {
  private readonly used = new Set<string>();
  private counter = 0;
  async challenge(): Promise<Record<string, unknown>> {
    return {};
  }
  async verify(payload: string): Promise<boolean> {
    if (!payload.startsWith('ok-') || this.used.has(payload)) return false;
    this.used.add(payload);
    return true;
  }
  solution(): string {
    this.counter += 1;
    return `ok-${this.counter}`;
  }
}

/** Reversible on purpose (tests read it), and counting: the unknown-email path must hash as much. */
export class FakeHasher implements PasswordHasher {
  hashes = 0;
  verifications = 0;
  async hash(password: string): Promise<string> {
    this.hashes++;
    return `fake$${Buffer.from(password).toString('base64url')}`;
  }
  async verify(password: string, stored: string): Promise<boolean> {
    this.verifications++;
    return stored === `fake$${Buffer.from(password).toString('base64url')}`;
  }
}

export class FakeAccessTokens implements AccessTokenIssuer {
  readonly ttlSeconds = 900;
  readonly issued: { userId: string; sessionId: string }[] = [];
  async issue(userId: string, sessionId: string): Promise<string> {
    this.issued.push({ userId, sessionId });
    return `access:${userId}:${sessionId}:${this.issued.length}`;
  }
}

/** Every fake wired together: one world per test. */
export function authWorld() {
  const hasher = new FakeHasher();
  return {
    users: new FakeUsers(),
    tokens: new FakeActionTokens(),
    sessions: new FakeSessions(),
    limiter: new FakeRateLimiter(),
    audit: new FakeAudit(),
    mailer: new FakeMailer(),
    captcha: new FakeCaptcha(),
    hasher,
    clock: new FakeClock(),
    accessTokens: new FakeAccessTokens(),
    appBaseUrl: 'https://app.verzek.test/',
    dummyHash: async () => 'fake$dummy',
  };
}
export type AuthWorld = ReturnType<typeof authWorld>;

/** Captures an AppError's answer (status, code, message, headers) for comparisons. */
export async function refusal(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    const e = error as { status?: number; code?: string; message?: string; headers?: Record<string, string> };
    return { status: e.status, code: e.code, message: e.message, headers: e.headers };
  }
  throw new Error('expected a refusal');
}
