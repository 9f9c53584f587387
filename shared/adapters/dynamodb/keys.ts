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
} as const;

export const USER_PREFIX = 'USER#';
export const POSITION_PREFIX = 'POS#';
export const ACCOUNT_PREFIX = 'ACCOUNT#';

/** An item without its key attributes: what a repository hands back as the entity. */
export function withoutKeys<T>(item: Record<string, unknown>): T {
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, ...rest } = item;
  return rest as T;
}
