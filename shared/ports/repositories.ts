// Repository ports. Every method on user-owned data takes the authenticated user id first, so no
// caller can read another tenant's items by passing an id from a request.
import type { ExchangeId } from '../adapters/exchanges/exchange-profile.js';
import type { Position } from '../core/positions/position.js';
import type { Signal } from '../core/signals/signal.js';
import type { SealedSecret } from './security.js';

export type { ExchangeId };

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

/** Where an account trades: the platform's paper exchange, or a real exchange with the trader's key. */
export type TradingVenue = 'paper' | ExchangeId;

export interface TradingAccount {
  readonly userId: string;
  readonly accountId: string;
  readonly exchange: TradingVenue;
  /** Paper accounts are always 'demo'; an exchange account trades live or on the exchange's demo. */
  readonly mode: 'demo' | 'live';
  readonly label: string;
  readonly autoTrade: boolean;
  /** Quote (USDT) spent on the base order of each new position. */
  readonly baseOrderQuote: string;
  /** Used when a signal has no target: take-profit distance from the average entry, in %. */
  readonly defaultTakeProfitPercent: string;
  /** Set on exchange accounts (paper accounts predate it). */
  readonly createdAt?: string;
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

/** What is shown of an exchange account's API key: never the key, only its masked form. */
export interface ExchangeKeyInfo {
  readonly userId: string;
  readonly accountId: string;
  readonly exchange: ExchangeId;
  readonly mode: 'demo' | 'live';
  /** The first and last 4 characters of the API key. */
  readonly maskedKey: string;
  readonly createdAt: string;
}

/** The key as stored: its info and the sealed (envelope-encrypted) API key and secret. */
export interface StoredExchangeKey extends ExchangeKeyInfo {
  readonly sealed: SealedSecret;
}

export interface ExchangeAccount {
  readonly account: TradingAccount;
  readonly key: ExchangeKeyInfo;
}

/** Exchange accounts (not paper ones) with their sealed keys, always within one user's partition. */
export interface ExchangeAccountRepository {
  /** Stores the account and its sealed key together or not at all; refuses an existing account id. */
  create(account: TradingAccount, key: StoredExchangeKey): Promise<void>;
  /** The user's exchange accounts with their key info; the sealed key is never read here. */
  listForUser(userId: string): Promise<ExchangeAccount[]>;
  /** Deletes the account and its sealed key; false when the user has no such exchange account. */
  remove(userId: string, accountId: string): Promise<boolean>;
  /** The sealed key, for the one path that trades with it (execution). */
  sealedKey(userId: string, accountId: string): Promise<StoredExchangeKey | null>;
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
