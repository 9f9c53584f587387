// Repository ports. Every method on user-owned data takes the authenticated user id first, so no
// caller can read another tenant's items by passing an id from a request.
import type { Position } from '../core/positions/position.js';
import type { Signal } from '../core/signals/signal.js';

export type SignalStatus = 'received' | 'enqueued' | 'fanned-out';

export interface StoredSignal {
  /** `<source>:<signalId>`: unique across sources. */
  readonly signalKey: string;
  readonly signal: Signal;
  /** Hash of the canonical signal: the same id with other content is a conflict, not a duplicate. */
  readonly fingerprint: string;
  readonly status: SignalStatus;
  readonly receivedAt: string;
  readonly fannedOutTo?: number;
}

export interface SignalRepository {
  /** Stores the signal unless one with its key exists; returns the stored one and whether it was new. */
  putIfAbsent(signal: StoredSignal): Promise<{ created: boolean; stored: StoredSignal }>;
  get(signalKey: string): Promise<StoredSignal | null>;
  /** Moves the status forward only (received → enqueued → fanned-out); a backward move is a no-op. */
  markStatus(signalKey: string, status: SignalStatus, fannedOutTo?: number): Promise<void>;
  listRecent(limit: number): Promise<StoredSignal[]>;
}

export interface UserProfile {
  readonly userId: string;
  readonly email: string;
  readonly displayName: string;
  readonly createdAt: string;
}

export interface TradingAccount {
  readonly userId: string;
  readonly accountId: string;
  readonly exchange: 'paper';
  readonly mode: 'demo';
  readonly label: string;
  readonly autoTrade: boolean;
  /** Quote (USDT) spent on the base order of each new position. */
  readonly baseOrderQuote: string;
  /** Used when a signal has no target: take-profit distance from the average entry, in %. */
  readonly defaultTakeProfitPercent: string;
}

export interface UserRepository {
  put(user: UserProfile): Promise<void>;
  findByEmail(email: string): Promise<UserProfile | null>;
}

export interface TradingAccountRepository {
  put(account: TradingAccount): Promise<void>;
  get(userId: string, accountId: string): Promise<TradingAccount | null>;
  /** Cross-tenant, for fan-out only: every account with auto-trading on. */
  listAutoTrading(): AsyncIterable<TradingAccount>;
}

export interface PositionRepository {
  get(userId: string, positionId: string): Promise<Position | null>;
  /** Creates the position unless it exists; returns the stored one. */
  createIfAbsent(position: Position): Promise<Position>;
  /** Conditional on `expectedVersion`; stores `next` with version + 1 and returns it. */
  update(next: Position, expectedVersion: number): Promise<Position>;
  listForUser(
    userId: string,
    options: { limit: number; cursor?: string },
  ): Promise<{ items: Position[]; cursor?: string }>;
}

export interface Heartbeat {
  readonly name: string;
  readonly at: string;
  readonly detail?: Readonly<Record<string, string>>;
}

export interface HeartbeatRepository {
  beat(heartbeat: Heartbeat): Promise<void>;
  list(): Promise<Heartbeat[]>;
}

export class VersionConflict extends Error {
  override readonly name = 'VersionConflict';
}
