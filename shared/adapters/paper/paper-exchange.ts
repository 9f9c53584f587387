// The paper exchange as an ExchangeGateway for one demo account: prices from the replay market,
// fills by the core's matching rules, orders and balances in DynamoDB. An order and the balance
// change it causes are written in one transaction, and an order id is taken once per account, so a
// retried call returns the first order instead of placing a second one.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { type DecimalString, dec, str } from '../../core/money/decimal.js';
import {
  fillMarketOrder,
  type MarketRules,
  type PaperFeeModel,
  PaperOrderRejected,
} from '../../core/paper/matching.js';
import type { Clock } from '../../ports/clock.js';
import {
  type Balance,
  ExchangeError,
  type ExchangeGateway,
  type ExchangeOrder,
  type OrderRequest,
  type Ticker,
} from '../../ports/exchange-gateway.js';
import { keys } from '../dynamodb/keys.js';
import type { ReplayMarket } from './replay-market.js';

export const PAPER_FEES: PaperFeeModel = { takerFeeRate: '0.001', makerFeeRate: '0.001', slippageBps: 5 };

/** Binance-like steps for the replayed pairs; anything else gets a conservative default. */
const AMOUNT_STEPS: Record<string, DecimalString> = { BTC: '0.00001', ETH: '0.0001', SOL: '0.001' };

/** Which paper account: its owner and its id. */
export interface PaperAccountRef {
  readonly userId: string;
  readonly accountId: string;
}

type BalanceBook = Record<string, { free: DecimalString; used: DecimalString }>;

interface BalancesItem {
  readonly balances: BalanceBook;
  readonly version: number;
}

function splitSymbol(symbol: string): [string, string] {
  const [base, quote] = symbol.split('/');
  if (!base || !quote) throw new ExchangeError('invalid-order', `Unknown symbol ${symbol}`);
  return [base, quote];
}

function adjust(book: BalanceBook, currency: string, field: 'free' | 'used', delta: ReturnType<typeof dec>) {
  const current = book[currency] ?? { free: '0', used: '0' };
  book[currency] = { ...current, [field]: str(dec(current[field]).plus(delta)) };
}

export class PaperExchange implements ExchangeGateway {
  constructor(
    private readonly deps: {
      readonly db: DynamoDBDocumentClient;
      readonly tableName: string;
      readonly market: ReplayMarket;
      readonly clock: Clock;
    },
    private readonly account: PaperAccountRef,
  ) {}

  async marketRules(symbol: string): Promise<MarketRules> {
    this.requireListed(symbol);
    const [base] = splitSymbol(symbol);
    const step = AMOUNT_STEPS[base] ?? '0.01';
    return { amountStep: step, minAmount: step, minNotional: '5' };
  }

  async fetchTicker(symbol: string): Promise<Ticker> {
    this.requireListed(symbol);
    const now = this.deps.clock.now();
    return { symbol, last: this.deps.market.candleAt(symbol, now).close, at: now.toISOString() };
  }

  async fetchBalances(): Promise<readonly Balance[]> {
    const { balances } = await this.readBalances();
    return Object.entries(balances).map(([currency, b]) => ({ currency, ...b }));
  }

  async fetchOrderByClientId(_symbol: string, clientOrderId: string): Promise<ExchangeOrder | null> {
    const out = await this.deps.db.send(
      new GetCommand({
        TableName: this.deps.tableName,
        Key: keys.paperOrder(this.account.userId, this.account.accountId, clientOrderId),
        ConsistentRead: true,
      }),
    );
    return out.Item ? (out.Item.order as ExchangeOrder) : null;
  }

  async createOrder(request: OrderRequest): Promise<ExchangeOrder> {
    // Bounded: a version race with another writer on this account is retried a few times.
    for (let attempt = 0; attempt < 5; attempt++) {
      const existing = await this.fetchOrderByClientId(request.symbol, request.clientOrderId);
      if (existing) return existing;
      const { balances, version } = await this.readBalances();
      const book: BalanceBook = structuredClone(balances);
      const order = await this.match(request, book);
      try {
        await this.deps.db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: this.deps.tableName,
                  Item: {
                    ...keys.paperOrder(this.account.userId, this.account.accountId, request.clientOrderId),
                    order,
                  },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              {
                Put: {
                  TableName: this.deps.tableName,
                  Item: {
                    ...keys.paperBalances(this.account.userId, this.account.accountId),
                    balances: book,
                    version: version + 1,
                  },
                  ConditionExpression: 'attribute_not_exists(pk) OR version = :v',
                  ExpressionAttributeValues: { ':v': version },
                },
              },
            ],
          }),
        );
        return order;
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
      }
    }
    throw new ExchangeError('exchange-unavailable', 'paper account busy: too many concurrent writers');
  }

  /** Fills or books the order against `book` (mutated) and returns it. */
  private async match(request: OrderRequest, book: BalanceBook): Promise<ExchangeOrder> {
    const [base, quote] = splitSymbol(request.symbol);
    const now = this.deps.clock.now().toISOString();
    const rules = await this.marketRules(request.symbol);
    const orderId = `paper-${request.clientOrderId}`;
    if (request.type === 'limit') {
      if (!request.price || !request.amount)
        throw new ExchangeError('invalid-order', 'a limit order needs price and amount');
      // Reserve what the order may spend: base for a sell, quote for a buy.
      const [currency, reserve] =
        request.side === 'sell'
          ? [base, dec(request.amount)]
          : [quote, dec(request.amount).times(request.price)];
      if (dec(book[currency]?.free ?? '0').lt(reserve)) {
        throw new ExchangeError('insufficient-funds', `not enough ${currency} for the order`);
      }
      adjust(book, currency, 'free', reserve.neg());
      adjust(book, currency, 'used', reserve);
      return {
        orderId,
        clientOrderId: request.clientOrderId,
        symbol: request.symbol,
        side: request.side,
        type: 'limit',
        status: 'open',
        price: request.price,
        amount: request.amount,
        filled: '0',
        trades: [],
        createdAt: now,
      };
    }
    const ticker = await this.fetchTicker(request.symbol);
    const size = request.quoteAmount ? { quote: request.quoteAmount } : { base: request.amount ?? '0' };
    let fill: ReturnType<typeof fillMarketOrder>;
    try {
      fill = fillMarketOrder({ side: request.side, size, marketPrice: ticker.last, rules, fees: PAPER_FEES });
    } catch (error) {
      if (error instanceof PaperOrderRejected) throw new ExchangeError('min-notional', error.message);
      throw error;
    }
    const cost = dec(fill.cost);
    const fee = dec(fill.fee);
    if (request.side === 'buy') {
      if (dec(book[quote]?.free ?? '0').lt(cost.plus(fee))) {
        throw new ExchangeError('insufficient-funds', `not enough ${quote}: need ${str(cost.plus(fee))}`);
      }
      adjust(book, quote, 'free', cost.plus(fee).neg());
      adjust(book, base, 'free', dec(fill.amount));
    } else {
      if (dec(book[base]?.free ?? '0').lt(fill.amount)) {
        throw new ExchangeError('insufficient-funds', `not enough ${base} to sell ${fill.amount}`);
      }
      adjust(book, base, 'free', dec(fill.amount).neg());
      adjust(book, quote, 'free', cost.minus(fee));
    }
    return {
      orderId,
      clientOrderId: request.clientOrderId,
      symbol: request.symbol,
      side: request.side,
      type: 'market',
      status: 'filled',
      price: fill.price,
      amount: fill.amount,
      filled: fill.amount,
      trades: [
        {
          tradeId: `${orderId}-1`,
          price: fill.price,
          amount: fill.amount,
          cost: fill.cost,
          fee: fill.fee,
          feeCurrency: quote,
          at: now,
        },
      ],
      createdAt: now,
    };
  }

  /** An unlisted symbol is an invalid order, as on an exchange: never retried. */
  private requireListed(symbol: string): void {
    if (!this.deps.market.hasSymbol(symbol)) {
      throw new ExchangeError('invalid-order', `The paper market does not list ${symbol}`);
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
