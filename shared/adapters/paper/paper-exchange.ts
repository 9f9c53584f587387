// The paper exchange as an ExchangeGateway for one demo spot account: prices from a price source
// (the replayed market in the pipeline), fills by the paper matching rules (paper-orders.ts),
// orders and balances in DynamoDB. An order and the balance change it causes are written in one
// transaction, and an order id is taken once per account, so a retried call returns the first
// order instead of placing a second one.
//
// Resting limit orders are matched lazily: whenever the exchange is asked about an order, its open
// orders, fills or balances (and before it places one), each open order the market has reached
// since it was placed is filled at its limit, stamped with that moment. A conditional write makes
// the first reader to notice the fill the only one to book it. The venue's clock is `clock`.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { DecimalString } from '../../core/money/decimal.js';
import { barsInTimeframe, selectBars, timeframeMs } from '../../core/paper/engine-candles.js';
import type { MarketRules } from '../../core/paper/matching.js';
import { PAPER_KEY_PERMISSIONS } from '../../core/paper/paper-gateway.js';
import type { Clock } from '../../ports/clock.js';
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
import { keys } from '../dynamodb/keys.js';
import {
  type BalanceBook,
  cancelResting,
  clientIdOfOrderId,
  fillResting,
  type Placement,
  paperMarketInfo,
  placeOrder,
  type Reserve,
  reserveOf,
} from './paper-orders.js';
import { limitReached, type PaperPriceSource, tradedBars } from './paper-prices.js';

export { PAPER_FEES } from './paper-orders.js';
export type { PaperPriceSource } from './paper-prices.js';

/** Which paper account: its owner and its id. */
export interface PaperAccountRef {
  readonly userId: string;
  readonly accountId: string;
}

interface BalancesItem {
  readonly balances: BalanceBook;
  readonly version: number;
}

/** An order item: the order, and while it rests, what it set aside. */
interface StoredOrder {
  readonly order: ExchangeOrder;
  readonly reserved?: Reserve;
}

/** A version race with another writer on this account is retried this many times. */
const ATTEMPTS = 5;

export class PaperExchange implements ExchangeGateway {
  constructor(
    private readonly deps: {
      readonly db: DynamoDBDocumentClient;
      readonly tableName: string;
      /** The market: a ReplayMarket locally, public exchange candles in the cloud; tests inject one they can move. */
      readonly market: PaperPriceSource;
      readonly clock: Clock;
    },
    private readonly account: PaperAccountRef,
  ) {}

  async loadMarkets(): Promise<readonly MarketInfo[]> {
    return this.deps.market.symbols().map(paperMarketInfo);
  }

  async marketRules(symbol: string): Promise<MarketRules> {
    const { amountStep, minAmount, minNotional } = this.marketInfo(symbol);
    return { amountStep, minAmount, minNotional };
  }

  async fetchTicker(symbol: string): Promise<Ticker> {
    this.marketInfo(symbol);
    await this.refreshPrices(symbol);
    const now = this.deps.clock.now();
    return { symbol, last: this.deps.market.candleAt(symbol, now).close, at: now.toISOString() };
  }

  /**
   * The bars the market has traded up to now, in its native timeframe or a whole multiple of it.
   * A replay's bars carry its data's times (see tradedBars), not the venue clock: `since` selects
   * on those times, as the bars' own open times are what a caller pages with.
   */
  async fetchOhlcv(
    symbol: string,
    timeframe: string,
    since?: number,
    limit?: number,
  ): Promise<readonly OhlcvBar[]> {
    this.marketInfo(symbol);
    await this.refreshPrices(symbol);
    const { bars, intervalMs } = tradedBars(this.deps.market, symbol, this.deps.clock.now());
    const native = intervalMs ?? timeframeMs(timeframe);
    if (native === null) throw new ExchangeError('invalid-order', `unknown timeframe ${timeframe}`);
    const shaped = barsInTimeframe(bars, native, timeframe);
    if (!shaped.ok) throw new ExchangeError('invalid-order', shaped.error.message);
    return selectBars(shaped.value, since, limit);
  }

  async fetchBalances(): Promise<readonly Balance[]> {
    await this.settleOpenOrders();
    const { balances } = await this.readBalances();
    return Object.entries(balances).map(([currency, b]) => ({ currency, ...b }));
  }

  async createOrder(request: OrderRequest): Promise<ExchangeOrder> {
    const market = this.marketInfo(request.symbol);
    // Settled first: an order the market has filled may have freed what this one needs.
    await this.settleOpenOrders();
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const existing = await this.readOrder(request.clientOrderId);
      if (existing) return this.settled(existing);
      const { balances, version } = await this.readBalances();
      const book: BalanceBook = structuredClone(balances);
      await this.refreshPrices(request.symbol);
      const now = this.deps.clock.now();
      const last = this.deps.market.candleAt(request.symbol, now).close;
      const placed: Placement = placeOrder(request, market, last, book, now.toISOString());
      const stored: StoredOrder = placed.reserved
        ? { order: placed.order, reserved: placed.reserved }
        : { order: placed.order };
      if (await this.commit(stored, 'new', book, version)) return placed.order;
    }
    throw busy();
  }

  async fetchOrderByClientId(symbol: string, clientOrderId: string): Promise<ExchangeOrder | null> {
    return this.fetchOrder(symbol, { clientOrderId });
  }

  async fetchOrder(symbol: string, ref: OrderRef): Promise<ExchangeOrder | null> {
    const stored = await this.find(symbol, ref);
    return stored ? this.settled(stored) : null;
  }

  /** Cancels a resting order and releases its reserve; an order already closed is returned as it is. */
  async cancelOrder(symbol: string, ref: OrderRef): Promise<ExchangeOrder | null> {
    let stored = await this.find(symbol, ref);
    for (let attempt = 0; stored && attempt < ATTEMPTS; attempt++) {
      const order = await this.settled(stored);
      if (order.status !== 'open') return order;
      const { balances, version } = await this.readBalances();
      const book: BalanceBook = structuredClone(balances);
      const reserve = reserveOf(order, this.marketInfo(symbol), stored.reserved);
      const cancelled = cancelResting(order, reserve, book);
      if (await this.commit({ order: cancelled }, 'open', book, version)) return cancelled;
      stored = await this.readOrder(order.clientOrderId);
    }
    if (stored) throw busy();
    return null;
  }

  async fetchOpenOrders(symbol: string): Promise<readonly ExchangeOrder[]> {
    this.marketInfo(symbol);
    const orders = await this.settleOpenOrders(symbol);
    return orders.filter((o) => o.status === 'open');
  }

  async fetchFillsSince(symbol: string, since: number): Promise<readonly ExchangeFill[]> {
    this.marketInfo(symbol);
    await this.settleOpenOrders(symbol);
    const fills: ExchangeFill[] = [];
    for (const { order } of await this.queryOrders({ symbol })) {
      for (const t of order.trades) {
        if (Date.parse(t.at) < since) continue;
        const { orderId, clientOrderId, side } = order;
        fills.push({ ...t, orderId, clientOrderId, symbol, side });
      }
    }
    return fills.sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.tradeId.localeCompare(b.tradeId));
  }

  async setLeverage(_symbol: string, _leverage: number, _marginMode: MarginMode): Promise<void> {
    throw new ExchangeError('invalid-order', 'paper accounts trade spot only');
  }

  async keyPermissions(): Promise<KeyPermissions> {
    return PAPER_KEY_PERMISSIONS;
  }

  private async refreshPrices(symbol: string): Promise<void> {
    await this.deps.market.refresh?.(symbol, this.deps.clock.now());
  }

  /** An unlisted symbol is an invalid order, as on an exchange: never retried. */
  private marketInfo(symbol: string): MarketInfo {
    if (!this.deps.market.hasSymbol(symbol)) {
      throw new ExchangeError('invalid-order', `The paper market does not list ${symbol}`);
    }
    return paperMarketInfo(symbol);
  }

  /** The order, after booking the fill if the market has reached it since it was placed. */
  private async settled(first: StoredOrder): Promise<ExchangeOrder> {
    let stored: StoredOrder | null = first;
    for (let attempt = 0; stored && attempt < ATTEMPTS; attempt++) {
      const { order } = stored;
      if (order.status === 'open') await this.refreshPrices(order.symbol);
      const now = this.deps.clock.now();
      if (order.status !== 'open' || !limitReached(this.deps.market, order, now)) return order;
      const market = paperMarketInfo(order.symbol);
      const { balances, version } = await this.readBalances();
      const book: BalanceBook = structuredClone(balances);
      const filled = fillResting(
        order,
        reserveOf(order, market, stored.reserved),
        market,
        book,
        now.toISOString(),
      );
      if (await this.commit({ order: filled }, 'open', book, version)) return filled;
      stored = await this.readOrder(order.clientOrderId); // someone else booked or cancelled it
    }
    if (stored) throw busy();
    return first.order; // orders are never deleted: unreachable
  }

  /** Books the fills of every open order (on `symbol`) the market has reached; returns them all. */
  private async settleOpenOrders(symbol?: string): Promise<ExchangeOrder[]> {
    const open = await this.queryOrders({ openOnly: true, ...(symbol === undefined ? {} : { symbol }) });
    const out: ExchangeOrder[] = [];
    for (const stored of open) out.push(await this.settled(stored));
    return out;
  }

  /** The order by either id, only on `symbol`: an exchange looks orders up per market. */
  private async find(symbol: string, ref: OrderRef): Promise<StoredOrder | null> {
    const clientOrderId = 'clientOrderId' in ref ? ref.clientOrderId : clientIdOfOrderId(ref.orderId);
    const stored = clientOrderId === null ? null : await this.readOrder(clientOrderId);
    return stored && stored.order.symbol === symbol ? stored : null;
  }

  private async readOrder(clientOrderId: string): Promise<StoredOrder | null> {
    const out = await this.deps.db.send(
      new GetCommand({
        TableName: this.deps.tableName,
        Key: keys.paperOrder(this.account.userId, this.account.accountId, clientOrderId),
        ConsistentRead: true,
      }),
    );
    return out.Item ? storedOrder(out.Item) : null;
  }

  private async queryOrders(filter: { symbol?: string; openOnly?: boolean }): Promise<StoredOrder[]> {
    const { pk } = keys.paperBalances(this.account.userId, this.account.accountId);
    const conditions: string[] = [];
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':pk': pk, ':orders': 'ORDER#' };
    if (filter.symbol !== undefined) {
      conditions.push('#order.#symbol = :symbol');
      Object.assign(names, { '#order': 'order', '#symbol': 'symbol' });
      values[':symbol'] = filter.symbol;
    }
    if (filter.openOnly) {
      conditions.push('#order.#status = :open');
      Object.assign(names, { '#order': 'order', '#status': 'status' });
      values[':open'] = 'open';
    }
    const input: QueryCommandInput = {
      TableName: this.deps.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :orders)',
      ExpressionAttributeValues: values,
      ConsistentRead: true,
      ...(conditions.length > 0
        ? { FilterExpression: conditions.join(' AND '), ExpressionAttributeNames: names }
        : {}),
    };
    const out: StoredOrder[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.deps.db.send(
        new QueryCommand(startKey ? { ...input, ExclusiveStartKey: startKey } : input),
      );
      for (const item of page.Items ?? []) out.push(storedOrder(item));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return out;
  }

  /**
   * Writes the order with the account's balances in one transaction: a new order only if its id is
   * free, an update only while the stored order is still open; the balances only at the version
   * read. False when another writer got there first (the caller re-reads and tries again).
   */
  private async commit(
    stored: StoredOrder,
    when: 'new' | 'open',
    balances: BalanceBook,
    version: number,
  ): Promise<boolean> {
    const { userId, accountId } = this.account;
    const orderCondition =
      when === 'new'
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : {
            ConditionExpression: '#order.#status = :open',
            ExpressionAttributeNames: { '#order': 'order', '#status': 'status' },
            ExpressionAttributeValues: { ':open': 'open' },
          };
    try {
      await this.deps.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.deps.tableName,
                Item: { ...keys.paperOrder(userId, accountId, stored.order.clientOrderId), ...stored },
                ...orderCondition,
              },
            },
            {
              Put: {
                TableName: this.deps.tableName,
                Item: { ...keys.paperBalances(userId, accountId), balances, version: version + 1 },
                ConditionExpression: 'attribute_not_exists(pk) OR version = :v',
                ExpressionAttributeValues: { ':v': version },
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof TransactionCanceledException) return false;
      throw error;
    }
  }

  private async readBalances(): Promise<BalancesItem> {
    const out = await this.deps.db.send(
      new GetCommand({
        TableName: this.deps.tableName,
        Key: keys.paperBalances(this.account.userId, this.account.accountId),
        ConsistentRead: true,
      }),
    );
    if (!out.Item) return { balances: {}, version: 0 };
    return { balances: out.Item.balances as BalanceBook, version: Number(out.Item.version) };
  }
}

function storedOrder(item: Record<string, unknown>): StoredOrder {
  const order = item.order as ExchangeOrder;
  const reserved = item.reserved as Reserve | undefined;
  return reserved ? { order, reserved } : { order };
}

function busy(): ExchangeError {
  return new ExchangeError('exchange-unavailable', 'paper account busy: too many concurrent writers');
}

/** Sets an account's starting paper balances (demo accounts are funded at creation). */
export async function fundPaperAccount(
  db: DynamoDBDocumentClient,
  tableName: string,
  account: PaperAccountRef,
  balances: Record<string, DecimalString>,
): Promise<void> {
  const book = Object.fromEntries(Object.entries(balances).map(([c, free]) => [c, { free, used: '0' }]));
  try {
    await db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName,
              Item: { ...keys.paperBalances(account.userId, account.accountId), balances: book, version: 1 },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ],
      }),
    );
  } catch (error) {
    // Already funded: keep the balances it has (a restart must not reset a demo account).
    if (!(error instanceof TransactionCanceledException)) throw error;
  }
}
