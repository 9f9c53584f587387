// The single-table key layout, in one place. User-owned items live under USER#<id> (tenant
// isolation by construction); gsi1 serves the few cross-tenant reads.
export const keys = {
  signal: (signalKey: string) => ({ pk: `SIGNAL#${signalKey}`, sk: 'SIGNAL' }),
  /** gsi1: all signals by the server's receive time (newest first with ScanIndexForward false). */
  signalsByTime: (receivedAt: string, signalKey: string) => ({
    gsi1pk: 'SIGNALS',
    gsi1sk: `${receivedAt}#${signalKey}`,
  }),
  user: (userId: string) => ({ pk: `USER#${userId}`, sk: 'PROFILE' }),
  userByEmail: (email: string) => ({ gsi1pk: `EMAIL#${email.toLowerCase()}`, gsi1sk: 'USER' }),
  account: (userId: string, accountId: string) => ({ pk: `USER#${userId}`, sk: `ACCOUNT#${accountId}` }),
  /** gsi1, sparse: only accounts with auto-trading on carry it; fan-out reads it. */
  autoTradingAccount: (accountId: string) => ({ gsi1pk: 'AUTOTRADE', gsi1sk: accountId }),
  position: (userId: string, positionId: string) => ({ pk: `USER#${userId}`, sk: `POS#${positionId}` }),
  /** gsi1, sparse: open positions by symbol, for the monitor. */
  openPositionBySymbol: (symbol: string, positionId: string) => ({
    gsi1pk: `OPEN#${symbol}`,
    gsi1sk: positionId,
  }),
  /** Paper accounts by owner and account: account ids are unique only within their owner's partition. */
  paperBalances: (userId: string, accountId: string) => ({
    pk: `PAPER#${userId}#${accountId}`,
    sk: 'BALANCES',
  }),
  paperOrder: (userId: string, accountId: string, clientOrderId: string) => ({
    pk: `PAPER#${userId}#${accountId}`,
    sk: `ORDER#${clientOrderId}`,
  }),
  heartbeat: (name: string) => ({ pk: 'HEARTBEAT', sk: name }),

  // Accounts and security. Secrets (password hash, sealed exchange keys) live on items that carry no
  // gsi1 attributes, so the ALL-projecting index never copies them.
  /** The credentials and state of a login: email, password hash, status, role, 2FA. */
  userAuth: (userId: string) => ({ pk: `USER#${userId}`, sk: 'AUTH' }),
  /** Uniqueness of an email (lower-cased): put together with the user, conditionally. */
  emailOwner: (email: string) => ({ pk: `EMAIL#${email.toLowerCase()}`, sk: 'OWNER' }),
  /** A single-use action token (email verification, password reset), by the SHA-256 of the token. */
  actionToken: (tokenHash: string) => ({ pk: `TOKEN#${tokenHash}`, sk: 'TOKEN' }),
  /** One refresh-token family (a login on one device): the hash of its current token. */
  session: (userId: string, familyId: string) => ({ pk: `USER#${userId}`, sk: `SESSION#${familyId}` }),
  /** A fixed rate-limit window of one rule for one key (an IP, an account). */
  rateWindow: (rule: string, key: string, windowStart: number) => ({
    pk: `RATE#${rule}#${key}`,
    sk: `WINDOW#${windowStart}`,
  }),
  /** Append-only audit events, newest last in sort order. */
  auditEvent: (userId: string, at: string, eventId: string) => ({
    pk: `USER#${userId}`,
    sk: `AUDIT#${at}#${eventId}`,
  }),
  settings: (userId: string) => ({ pk: `USER#${userId}`, sk: 'SETTINGS' }),
  /** An exchange account's sealed API key, apart from the account item (which gsi1 projects). */
  exchangeKey: (userId: string, accountId: string) => ({ pk: `USER#${userId}`, sk: `EXKEY#${accountId}` }),
  /** TOTP two-factor: the sealed secret (pending or active), last used step, recovery-code hashes. */
  totp: (userId: string) => ({ pk: `USER#${userId}`, sk: 'TOTP' }),
  /** A used CAPTCHA solution, kept until its challenge expires: each solves one request. */
  captchaUse: (signature: string) => ({ pk: `CAPTCHA#${signature}`, sk: 'USED' }),
  /** Platform-wide: the global kill switch an admin flips; fan-out reads it. */
  killSwitch: () => ({ pk: 'CONFIG', sk: 'KILL_SWITCH' }),

  // The bot runtime (shared/app/bots).
  /** A short-lived shared copy of an exchange's closed candles (TTL `expiresAt`), for every bot. */
  candles: (exchange: string, symbol: string, timeframe: string) => ({
    pk: `CANDLES#${exchange}#${symbol}#${timeframe}`,
    sk: 'LATEST',
  }),
  /** A house bot's state on one symbol: last bar evaluated, cooldown start, its open signal. */
  botSymbol: (bot: string, symbol: string) => ({ pk: `BOT#${bot}`, sk: `SYMBOL#${symbol}` }),
} as const;

export const USER_PREFIX = 'USER#';
export const POSITION_PREFIX = 'POS#';
export const ACCOUNT_PREFIX = 'ACCOUNT#';
export const SESSION_PREFIX = 'SESSION#';
export const AUDIT_PREFIX = 'AUDIT#';
export const BOT_SYMBOL_PREFIX = 'SYMBOL#';

/** An item without its key attributes: what a repository hands back as the entity. */
export function withoutKeys<T>(item: Record<string, unknown>): T {
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, ...rest } = item;
  return rest as T;
}
