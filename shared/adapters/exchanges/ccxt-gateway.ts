// The ExchangeGateway on ccxt, for one exchange account. What every exchange shares lives here:
// idempotent order placement (look the client order id up before sending; after a reply that leaves
// the order's fate unknown, look again and never resend in the same call; never send under a new
// id), bounded retries with jitter inside a time budget, Retry-After, clock resync on timestamp
// errors, rounding to the exchange's steps, local minimum checks, a shared market cache and the
// error taxonomy. What differs is the exchange's profile.
import { createHash } from 'node:crypto';
import Big from 'big.js';
import { ceilToStep, type DecimalString, floorToStep } from '../../core/money/decimal.js';
import type { MarketRules } from '../../core/paper/matching.js';
import {
  type Balance,
  ExchangeError,
  type ExchangeFill,
  type ExchangeGateway,
  type ExchangeOrder,
  type KeyPermissions,
  type MarginMode,
  type MarketInfo,
  type OhlcvBar,
  type OrderRef,
  type OrderRequest,
  type Ticker,
} from '../../ports/exchange-gateway.js';
import type { CcxtExchange, CcxtMarket, CcxtOrder } from './ccxt.js';
import {
  contractSize,
  decimal,
  toBalances,
  toBar,
  toExchangeOrder,
  toFill,
  toMarketInfo,
  toTrade,
} from './ccxt-mapping.js';
import { type EgressGate, egressGateFor } from './egress-gate.js';
import { classifyFailure, describeFailure, type FailureClass, kindOf } from './error-mapping.js';
import type { AccountMode, ExchangeCredentials, ExchangeId, ExchangeProfile } from './exchange-profile.js';
import { type MarketCache, sharedMarketCache } from './market-cache.js';
import { backoffDelayMs, DEFAULT_RETRY_POLICY, type RetryPolicy, retryAfterMs } from './retry-policy.js';
import { overrideBaseUrl } from './url-override.js';

export interface GatewayAccount {
  readonly exchange: ExchangeId;
  readonly mode: AccountMode;
  /** Absent for a public-data gateway. */
  readonly credentials?: ExchangeCredentials;
  readonly baseUrl?: string;
}

/** Injected so tests run fast and deterministic; production uses the defaults. */
export interface GatewayRuntime {
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly retry?: Partial<RetryPolicy>;
  /** Per HTTP request, in ms (default 10 s). */
  readonly timeoutMs?: number;
  readonly marketCache?: MarketCache;
  /** Shared by every gateway on the same exchange environment; default: the process-wide one. */
  readonly egressGate?: EgressGate;
  /**
   * How long one gateway call (its retries and waits included) may take, in ms (default 20 s): a
   * Lambda must answer, or hand the message back, well inside its own timeout.
   */
  readonly callBudgetMs?: number;
}

type Market = NonNullable<CcxtMarket>;

/** Failures after which the exchange may hold the order anyway. */
const MAYBE_PLACED: ReadonlySet<FailureClass> = new Set([
  'duplicate-client-id',
  'status-unknown',
  'network-timeout',
  'exchange-unavailable',
  'unknown',
]);

/** Enough pages to cover any reconciliation window without looping forever on a misbehaving reply. */
const MAX_FILL_PAGES = 20;

/** Tells accounts apart in the egress gate's key without keeping the key itself around. */
function keyFingerprint(apiKey: string): string {
  return createHash('sha256').update(apiKey).digest('hex').slice(0, 16);
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A call's deadline, in the gateway's clock. */
interface Budget {
  readonly deadline: number;
}

/** What a failed attempt tells the retry loop. */
interface Failure {
  readonly error: unknown;
  readonly failure: FailureClass;
  readonly retryAfterMs?: number;
}

export class CcxtGateway implements ExchangeGateway {
  private readonly client: CcxtExchange;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly policy: RetryPolicy;
  private readonly cache: MarketCache;
  private readonly cacheKey: string;
  private readonly gate: EgressGate;
  /** Scrubbed from every error message the gateway builds. */
  private readonly credentials: readonly string[];
  private readonly callBudgetMs: number;
  private marketsReady: Promise<void> | undefined;

  constructor(
    private readonly profile: ExchangeProfile,
    account: GatewayAccount,
    runtime: GatewayRuntime = {},
  ) {
    this.now = runtime.now ?? Date.now;
    this.sleep = runtime.sleep ?? defaultSleep;
    this.random = runtime.random ?? Math.random;
    this.policy = { ...DEFAULT_RETRY_POLICY, ...runtime.retry };
    this.cache = runtime.marketCache ?? sharedMarketCache;
    this.callBudgetMs = runtime.callBudgetMs ?? 20_000;
    const credentials = account.credentials ?? { apiKey: '', secret: '' };
    this.client = profile.createClient(account.mode, {
      apiKey: credentials.apiKey,
      secret: credentials.secret,
      ...(credentials.password === undefined ? {} : { password: credentials.password }),
      timeout: runtime.timeoutMs ?? 10_000,
      enableRateLimit: true,
    });
    if (account.baseUrl) overrideBaseUrl(this.client, account.baseUrl);
    this.credentials = [credentials.apiKey, credentials.secret, credentials.password ?? ''];
    this.cacheKey = `${profile.id}|${account.mode}|${account.baseUrl ?? ''}`;
    // Limits per IP are shared by every account behind the egress; limits per key are the account's own.
    const gateKey =
      profile.rateLimitScope === 'account'
        ? `${this.cacheKey}|${keyFingerprint(credentials.apiKey)}`
        : this.cacheKey;
    this.gate = runtime.egressGate ?? egressGateFor(gateKey);
    this.gate.shareThrottler(this.client);
  }

  async loadMarkets(): Promise<readonly MarketInfo[]> {
    await this.ensureMarkets();
    return Object.values(this.client.markets ?? {})
      .filter((m): m is Market => m !== undefined && this.tradable(m))
      .map((m) => toMarketInfo(m, this.precisionMode()));
  }

  async marketRules(symbol: string): Promise<MarketRules> {
    const info = toMarketInfo(await this.market(symbol), this.precisionMode());
    return { amountStep: info.amountStep, minAmount: info.minAmount, minNotional: info.minNotional };
  }

  async fetchTicker(symbol: string): Promise<Ticker> {
    const market = await this.market(symbol);
    const ticker = await this.withRetries(() => this.client.fetchTicker(market.symbol));
    const last = ticker.last ?? ticker.close ?? ticker.bid;
    if (last === undefined || last === null) {
      throw new ExchangeError('exchange-unavailable', `${this.profile.id} gave no price for ${symbol}`);
    }
    return {
      symbol: market.symbol,
      last: decimal(last),
      at: new Date(ticker.timestamp ?? this.now()).toISOString(),
    };
  }

  async fetchOhlcv(
    symbol: string,
    timeframe: string,
    since?: number,
    limit?: number,
  ): Promise<readonly OhlcvBar[]> {
    const market = await this.market(symbol);
    const rows = await this.withRetries(() => this.client.fetchOHLCV(market.symbol, timeframe, since, limit));
    return rows.map(toBar);
  }

  async fetchBalances(): Promise<readonly Balance[]> {
    const out: Balance[] = [];
    for (const scope of this.profile.balanceScopes) {
      const balances = await this.withRetries(() => this.client.fetchBalance(scope.params));
      out.push(...toBalances(balances, scope.wallet));
    }
    return out;
  }

  async createOrder(request: OrderRequest): Promise<ExchangeOrder> {
    const budget = this.budget();
    const market = await this.market(request.symbol);
    this.checkClientOrderId(request.clientOrderId);
    const lookup = () => this.lookupByClientId(market, request.clientOrderId, budget, request.notBefore);

    // Before anything else, sizing included: a redelivered command, a restarted Lambda must get the
    // order placed earlier back, even if the market has since moved below a minimum.
    const existing = await lookup();
    if (existing) return existing;
    const sized = await this.sized(request, market, budget);
    const params = this.profile.createParams(
      { ...request, ...(sized.price === undefined ? {} : { price: sized.price }) },
      market,
    );

    let lastFailure: Failure | undefined;
    for (let attempt = 1; attempt <= this.policy.maxAttempts; attempt++) {
      if (lastFailure) await this.pause(lastFailure, attempt - 1, budget);
      await this.waitForGate(budget);
      try {
        await this.client.createOrder(
          market.symbol,
          request.type,
          request.side,
          Number(sized.contracts),
          sized.price === undefined ? undefined : Number(sized.price),
          params,
        );
      } catch (error) {
        lastFailure = this.failureOf(error);
        const { failure } = lastFailure;
        if (failure === 'timestamp') {
          await this.syncClock(lastFailure);
          continue;
        }
        if (failure === 'rate-limited') continue;
        if (!MAYBE_PLACED.has(failure)) throw this.toError(lastFailure);
        // The exchange may hold the order although the reply said otherwise or never came: look.
        // Not seeing it is no proof it was refused (an exchange may still be processing it, and
        // Binance spot takes the same id again once the first order has filled), so it is never
        // resent in this call: the next attempt, a redelivery minutes later, looks it up first.
        const found = await this.lookupOrGiveUp(lookup, lastFailure);
        if (found) return found;
        throw this.fateUnknown(
          lastFailure,
          failure === 'duplicate-client-id'
            ? 'the exchange reports this client order id as used but does not show the order yet'
            : 'the order may have been placed and is not visible yet; not resent (the next attempt looks it up first)',
        );
      }
      // Accepted. The reply is often a bare acknowledgement: read the order's full state back.
      const placed = await this.safely(lookup);
      if (placed) return placed;
      throw new ExchangeError(
        'network-timeout',
        `${this.profile.id}: order ${request.clientOrderId} was accepted but could not be read back; the next attempt finds it`,
      );
    }
    throw this.toError(lastFailure ?? { error: undefined, failure: 'unknown' }, 'gave up after retries');
  }

  async fetchOrderByClientId(symbol: string, clientOrderId: string): Promise<ExchangeOrder | null> {
    const market = await this.market(symbol);
    return this.lookupByClientId(market, clientOrderId);
  }

  async fetchOrder(symbol: string, ref: OrderRef): Promise<ExchangeOrder | null> {
    const market = await this.market(symbol);
    if ('clientOrderId' in ref) return this.lookupByClientId(market, ref.clientOrderId);
    const budget = this.budget();
    const order = await this.withRetries(
      () => this.nullIfNotFound(this.profile.findById(this.client, market, ref.orderId)),
      budget,
    );
    return order
      ? this.withTrades(toExchangeOrder(order, market, undefined, this.now()), market, budget)
      : null;
  }

  async cancelOrder(symbol: string, ref: OrderRef): Promise<ExchangeOrder | null> {
    const market = await this.market(symbol);
    const before = await this.fetchOrder(symbol, ref);
    if (!before) return null;
    if (before.status !== 'open') return before;
    await this.withRetries(async () => {
      try {
        if ('clientOrderId' in ref)
          await this.profile.cancelByClientId(this.client, market, ref.clientOrderId);
        else await this.client.cancelOrder(ref.orderId, market.symbol);
      } catch (error) {
        // Filled or cancelled in between: the re-read below tells which.
        if (this.failureOf(error).failure !== 'not-found') throw error;
      }
    });
    // The cancel went through; an exchange that already forgot the order (Kraken Futures keeps
    // finished orders in view briefly) still had it open a moment ago, so it is cancelled.
    return (await this.fetchOrder(symbol, { orderId: before.orderId })) ?? { ...before, status: 'cancelled' };
  }

  async fetchOpenOrders(symbol: string): Promise<readonly ExchangeOrder[]> {
    const market = await this.market(symbol);
    const orders = await this.withRetries(() => this.client.fetchOpenOrders(market.symbol));
    return orders.map((o) => toExchangeOrder(o, market, undefined, this.now()));
  }

  /**
   * Pages forward from `since` until a page brings nothing new (bounded): an exchange answers one
   * page at a time, and reconciliation must not miss fills because the first page was full.
   */
  async fetchFillsSince(symbol: string, since: number): Promise<readonly ExchangeFill[]> {
    const market = await this.market(symbol);
    const budget = this.budget();
    const seen = new Map<string, ExchangeFill>();
    let from = since;
    for (let page = 0; page < MAX_FILL_PAGES; page++) {
      const trades = await this.withRetries(() => this.client.fetchMyTrades(market.symbol, from), budget);
      let newest = from;
      let added = 0;
      for (const trade of trades) {
        if ((trade.timestamp ?? since) < since) continue;
        const fill = toFill(trade, market, this.now());
        if (!seen.has(fill.tradeId)) added += 1;
        seen.set(fill.tradeId, fill);
        newest = Math.max(newest, trade.timestamp ?? newest);
      }
      if (added === 0 || newest <= from) break;
      from = newest;
    }
    return [...seen.values()].sort((a, b) => a.at.localeCompare(b.at));
  }

  async setLeverage(symbol: string, leverage: number, marginMode: MarginMode): Promise<void> {
    const market = await this.market(symbol);
    if (!market.contract)
      throw new ExchangeError('invalid-order', `${symbol} is a spot market: it has no leverage`);
    if (!Number.isInteger(leverage) || leverage < 1) {
      throw new ExchangeError('invalid-order', `leverage must be a whole number ≥ 1, got ${leverage}`);
    }
    await this.withRetries(() => this.profile.setLeverage(this.client, market, leverage, marginMode));
  }

  async keyPermissions(): Promise<KeyPermissions> {
    return this.withRetries(() => this.profile.keyPermissions(this.client));
  }

  private async ensureMarkets(): Promise<void> {
    this.marketsReady ??= this.withRetries(() => this.cache.attach(this.cacheKey, this.client)).catch(
      (error) => {
        this.marketsReady = undefined;
        throw error;
      },
    );
    return this.marketsReady;
  }

  /** Spot pairs and perpetual swaps of the kinds the profile trades; dated futures, options and indices are not. */
  private tradable(market: Market): boolean {
    const kind = market.spot ? 'spot' : market.swap ? 'swap' : undefined;
    return kind !== undefined && this.profile.marketKinds.includes(kind);
  }

  /** ccxt's TICK_SIZE (4) unless the class says otherwise. */
  private precisionMode(): number {
    return this.client.precisionMode ?? 4;
  }

  private async market(symbol: string): Promise<Market> {
    await this.ensureMarkets();
    const market = this.client.markets?.[symbol] as CcxtMarket;
    if (!market || !this.tradable(market)) {
      throw new ExchangeError(
        'invalid-order',
        `${this.profile.id} has no market ${symbol} the platform trades`,
      );
    }
    return market;
  }

  private checkClientOrderId(id: string): void {
    const rule = this.profile.clientOrderIdRule;
    if (id.length > rule.maxLength || !rule.pattern.test(id)) {
      throw new ExchangeError(
        'invalid-order',
        `client order id "${id}" breaks ${this.profile.id}'s rule (≤ ${rule.maxLength} chars, ${rule.pattern})`,
      );
    }
  }

  /** Amount in contracts and price, rounded the exchange's way, checked against its minimums. */
  private async sized(
    request: OrderRequest,
    market: Market,
    budget: Budget,
  ): Promise<{ contracts: DecimalString; price?: DecimalString }> {
    if (request.type === 'limit' && request.price === undefined) {
      throw new ExchangeError('invalid-order', 'a limit order needs a price');
    }
    const info = toMarketInfo(market, this.precisionMode());
    // Never worse than asked: a buy's limit rounds down to the tick, a sell's up.
    const price =
      request.price === undefined
        ? undefined
        : request.side === 'buy'
          ? floorToStep(new Big(request.price), info.priceStep)
          : ceilToStep(new Big(request.price), info.priceStep);
    if (price?.lte(0)) throw new ExchangeError('invalid-order', `price ${request.price} rounds to zero`);
    const reference = price ?? new Big(await this.lastPrice(market, budget));
    let baseAmount: Big;
    if (request.amount !== undefined) baseAmount = new Big(request.amount);
    else if (request.quoteAmount !== undefined) baseAmount = new Big(request.quoteAmount).div(reference);
    else throw new ExchangeError('invalid-order', 'an order needs an amount or a quote amount');

    const amount = floorToStep(baseAmount, info.amountStep);
    if (amount.lte(0) || amount.lt(info.minAmount)) {
      throw new ExchangeError(
        'min-notional',
        `amount ${amount.toFixed()} is below ${market.symbol}'s minimum ${info.minAmount}`,
      );
    }
    if (amount.times(reference).lt(info.minNotional)) {
      throw new ExchangeError(
        'min-notional',
        `order value ${amount.times(reference).toFixed()} is below ${market.symbol}'s minimum ${info.minNotional}`,
      );
    }
    return {
      contracts: amount.div(contractSize(market)).toFixed(),
      ...(price === undefined ? {} : { price: price.toFixed() }),
    };
  }

  private async lastPrice(market: Market, budget: Budget): Promise<DecimalString> {
    const ticker = await this.withRetries(() => this.client.fetchTicker(market.symbol), budget);
    const last = ticker.last ?? ticker.close ?? ticker.bid;
    if (last === undefined || last === null) {
      throw new ExchangeError(
        'exchange-unavailable',
        `${this.profile.id} gave no price for ${market.symbol}`,
      );
    }
    return decimal(last);
  }

  private async lookupByClientId(
    market: Market,
    clientOrderId: string,
    budget: Budget = this.budget(),
    notBefore?: number,
  ): Promise<ExchangeOrder | null> {
    const order = await this.withRetries(
      () => this.nullIfNotFound(this.profile.findByClientId(this.client, market, clientOrderId, notBefore)),
      budget,
    );
    return order
      ? this.withTrades(toExchangeOrder(order, market, clientOrderId, this.now()), market, budget)
      : null;
  }

  /**
   * Order lookups on most exchanges carry no fills; a caller booking a fill needs them, so they are
   * read from the account's trades when the order has filled something and came without.
   */
  private async withTrades(order: ExchangeOrder, market: Market, budget: Budget): Promise<ExchangeOrder> {
    if (order.trades.length > 0 || new Big(order.filled).eq(0)) return order;
    const since = Date.parse(order.createdAt) - 60_000;
    const trades = await this.withRetries(() => this.client.fetchMyTrades(market.symbol, since), budget);
    const mine = trades.filter((t) => String(t.order) === order.orderId);
    return { ...order, trades: mine.map((t) => toTrade(t, market, this.now())) };
  }

  private async nullIfNotFound(pending: Promise<CcxtOrder | null>): Promise<CcxtOrder | null> {
    try {
      return await pending;
    } catch (error) {
      if (this.failureOf(error).failure === 'not-found') return null;
      throw error;
    }
  }

  private async lookupOrGiveUp(
    lookup: () => Promise<ExchangeOrder | null>,
    cause: Failure,
  ): Promise<ExchangeOrder | null> {
    try {
      return await lookup();
    } catch {
      throw this.fateUnknown(
        cause,
        'the order may or may not have been placed and the lookup failed too; not resent (the next attempt looks it up first)',
      );
    }
  }

  /** Retryable on purpose: the caller's next attempt starts with the lookup that settles it. */
  private fateUnknown(cause: Failure, context: string): ExchangeError {
    return this.toError({ ...cause, failure: 'status-unknown' }, context);
  }

  /** A read whose failure must not hide the original one (the read-back after an accepted create). */
  private async safely<T>(read: () => Promise<T>): Promise<T | null> {
    try {
      return await read();
    } catch {
      return null;
    }
  }

  private budget(): Budget {
    return { deadline: this.now() + this.callBudgetMs };
  }

  private async syncClock(cause: Failure): Promise<void> {
    try {
      await this.profile.syncClock(this.client);
    } catch (error) {
      throw this.toError(
        this.failureOf(error),
        `clock resync after "${describeFailure(cause.error, this.credentials)}" failed`,
      );
    }
  }

  /** Reads and cancels: retried on transient failures and after a clock resync; others thrown mapped. */
  private async withRetries<T>(call: () => Promise<T>, budget: Budget = this.budget()): Promise<T> {
    let lastFailure: Failure | undefined;
    for (let attempt = 1; attempt <= this.policy.maxAttempts; attempt++) {
      if (lastFailure) await this.pause(lastFailure, attempt - 1, budget);
      await this.waitForGate(budget);
      try {
        return await call();
      } catch (error) {
        if (error instanceof ExchangeError) throw error;
        lastFailure = this.failureOf(error);
        if (lastFailure.failure === 'timestamp') {
          await this.syncClock(lastFailure);
          continue;
        }
        const kind = kindOf(lastFailure.failure);
        if (kind !== 'rate-limited' && kind !== 'network-timeout' && kind !== 'exchange-unavailable') {
          throw this.toError(lastFailure);
        }
      }
    }
    throw this.toError(lastFailure ?? { error: undefined, failure: 'unknown' }, 'gave up after retries');
  }

  private failureOf(error: unknown): Failure {
    const failure = classifyFailure(error, this.profile.classify(error));
    const headers = this.client.last_response_headers as Record<string, unknown> | undefined;
    const wait = failure === 'rate-limited' ? retryAfterMs(headers, this.now()) : undefined;
    // Every account behind this egress IP holds off, not only the one that was told to.
    if (wait !== undefined) this.gate.pauseFor(wait, this.now());
    return { error, failure, ...(wait === undefined ? {} : { retryAfterMs: wait }) };
  }

  /** Holds a call while the exchange has asked this egress to wait; too long a wait fails fast. */
  private async waitForGate(budget: Budget): Promise<void> {
    const remaining = this.gate.remainingPause(this.now());
    if (remaining === 0) return;
    if (remaining > this.policy.maxRetryAfterMs || this.now() + remaining > budget.deadline) {
      throw new ExchangeError(
        'rate-limited',
        `${this.profile.id}: the exchange asked us to wait ${Math.ceil(remaining / 1000)} s`,
        remaining,
      );
    }
    await this.sleep(remaining);
  }

  /**
   * The backoff before retry number `retry`. A Retry-After is not slept here: waitForGate, next,
   * holds the call until it has passed (for every account sharing the gate).
   */
  private async pause(last: Failure, retry: number, budget: Budget): Promise<void> {
    if (last.retryAfterMs !== undefined) {
      if (last.retryAfterMs > this.policy.maxRetryAfterMs)
        throw this.toError(last, 'the exchange asks us to wait longer than a retry may');
      return;
    }
    if (last.failure === 'timestamp') return;
    const delay = backoffDelayMs(this.policy, retry, this.random);
    if (this.now() + delay > budget.deadline) throw this.toError(last, 'out of time for another try');
    await this.sleep(delay);
  }

  private toError(last: Failure, context?: string): ExchangeError {
    const message = `${this.profile.id}: ${context ? `${context}: ` : ''}${describeFailure(last.error, this.credentials)}`;
    return new ExchangeError(kindOf(last.failure), message, last.retryAfterMs);
  }
}
