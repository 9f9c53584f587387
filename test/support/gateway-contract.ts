// The ExchangeGateway contract: one suite every implementation must pass (the four ccxt gateways
// against their fake exchanges, the paper engine's gateway and the DynamoDB paper exchange). A
// subject says which symbols to trade, how to move its market and how many orders the venue holds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dec } from '../../shared/core/money/decimal.js';
import { ExchangeError, type ExchangeGateway } from '../../shared/ports/exchange-gateway.js';

export interface ContractMarket {
  /** Unified symbol, e.g. "BTC/USDT" or "BTC/USDT:USDT". */
  readonly symbol: string;
  /** Where the subject's market stands when the suite starts. */
  readonly price: number;
  /** An amount worth well above the minimum notional and well below the funded balance. */
  readonly amount: string;
}

export interface ContractSubject {
  readonly gateway: ExchangeGateway;
  readonly spot?: ContractMarket;
  /** Perpetuals, for venues that have them; the paper venues do not. */
  readonly swap?: ContractMarket;
  /** The quote currency the account is funded in. */
  readonly quote: string;
  /** Moves the venue's market so resting orders at or beyond `price` fill. */
  setPrice(symbol: string, price: number): Promise<void>;
  /** Orders the venue holds for the account (all states). */
  orderCount(): Promise<number>;
  close(): Promise<void>;
  /** The venue's clock in epoch ms (a replayed paper market runs on market time); default Date.now. */
  now?(): number;
}

let sequence = 0;
/** Unique per run and valid on every venue (≤ 36 chars of [A-Za-z0-9-]). */
export function contractClientId(step: string): string {
  sequence += 1;
  return `ct-${Date.now().toString(36)}-${sequence}-${step}`;
}

async function expectKind(promise: Promise<unknown>, kinds: readonly string[]): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected an ExchangeError of kind ${kinds.join(' or ')}`).toBeInstanceOf(ExchangeError);
  expect(kinds).toContain((error as ExchangeError).kind);
}

export function describeGatewayContract(name: string, makeSubject: () => Promise<ContractSubject>): void {
  describe(`ExchangeGateway contract: ${name}`, () => {
    let subject: ContractSubject;
    beforeAll(async () => {
      subject = await makeSubject();
    });
    afterAll(async () => {
      await subject?.close();
    });

    it('lists its markets with steps, minimums and fees', async () => {
      const markets = await subject.gateway.loadMarkets();
      for (const wanted of [subject.spot, subject.swap]) {
        if (!wanted) continue;
        const market = markets.find((m) => m.symbol === wanted.symbol);
        expect(market, wanted.symbol).toBeDefined();
        expect(dec(market?.amountStep ?? '0').gt(0)).toBe(true);
        expect(dec(market?.priceStep ?? '0').gt(0)).toBe(true);
        expect(dec(market?.takerFeeRate ?? '-1').gte(0)).toBe(true);
        const rules = await subject.gateway.marketRules(wanted.symbol);
        expect(rules.amountStep).toBe(market?.amountStep);
      }
    });

    it('reports a price and a funded balance', async () => {
      const market = subject.spot ?? subject.swap;
      if (!market) throw new Error('a subject needs a spot or a swap market');
      const ticker = await subject.gateway.fetchTicker(market.symbol);
      expect(Number(ticker.last)).toBeGreaterThan(0);
      const balances = await subject.gateway.fetchBalances();
      const quote = balances.find((b) => b.currency === subject.quote);
      expect(Number(quote?.free ?? 0)).toBeGreaterThan(0);
    });

    for (const kind of ['spot', 'swap'] as const) {
      const market = () => subject[kind];

      describe(`${kind} orders`, () => {
        it('fills a market order and finds it by client id and by exchange id', async () => {
          const m = market();
          if (!m) return;
          const clientOrderId = contractClientId('mb');
          const order = await subject.gateway.createOrder({
            symbol: m.symbol,
            side: 'buy',
            type: 'market',
            clientOrderId,
            amount: m.amount,
          });
          expect(order.clientOrderId).toBe(clientOrderId);
          expect(order.symbol).toBe(m.symbol);
          const byClient = await subject.gateway.fetchOrderByClientId(m.symbol, clientOrderId);
          expect(byClient?.orderId).toBe(order.orderId);
          expect(byClient?.status).toBe('filled');
          expect(Number(byClient?.filled)).toBeCloseTo(Number(m.amount), 8);
          const byId = await subject.gateway.fetchOrder(m.symbol, { orderId: order.orderId });
          expect(byId?.clientOrderId).toBe(clientOrderId);
        });

        it('never places the same client id twice', async () => {
          const m = market();
          if (!m) return;
          const clientOrderId = contractClientId('dup');
          const request = {
            symbol: m.symbol,
            side: 'buy',
            type: 'market',
            clientOrderId,
            amount: m.amount,
          } as const;
          const before = await subject.orderCount();
          const first = await subject.gateway.createOrder(request);
          const second = await subject.gateway.createOrder(request);
          expect(second.orderId).toBe(first.orderId);
          expect(await subject.orderCount()).toBe(before + 1);
        });

        it('rests a limit order away from the market, lists it open, cancels it by client id', async () => {
          const m = market();
          if (!m) return;
          const clientOrderId = contractClientId('lb');
          const price = String(Math.round(m.price * 0.8));
          const order = await subject.gateway.createOrder({
            symbol: m.symbol,
            side: 'buy',
            type: 'limit',
            clientOrderId,
            amount: m.amount,
            price,
          });
          expect(order.status).toBe('open');
          const open = await subject.gateway.fetchOpenOrders(m.symbol);
          expect(open.map((o) => o.clientOrderId)).toContain(clientOrderId);
          const cancelled = await subject.gateway.cancelOrder(m.symbol, { clientOrderId });
          expect(cancelled?.status).toBe('cancelled');
          const after = await subject.gateway.fetchOpenOrders(m.symbol);
          expect(after.map((o) => o.clientOrderId)).not.toContain(clientOrderId);
        });

        it('fills a resting limit order when the market reaches it and reports the fill', async () => {
          const m = market();
          if (!m) return;
          const since = (subject.now?.() ?? Date.now()) - 1_000;
          const clientOrderId = contractClientId('lf');
          const price = String(Math.round(m.price * 0.9));
          const order = await subject.gateway.createOrder({
            symbol: m.symbol,
            side: 'buy',
            type: 'limit',
            clientOrderId,
            amount: m.amount,
            price,
          });
          await subject.setPrice(m.symbol, m.price * 0.85);
          const filled = await subject.gateway.fetchOrderByClientId(m.symbol, clientOrderId);
          await subject.setPrice(m.symbol, m.price);
          expect(filled?.status).toBe('filled');
          const fills = await subject.gateway.fetchFillsSince(m.symbol, since);
          const mine = fills.filter((f) => f.orderId === order.orderId);
          expect(mine.length).toBeGreaterThan(0);
          expect(Number(mine[0]?.price)).toBeCloseTo(Number(price), 6);
        });

        it('says null for an order it does not have, and for cancelling one', async () => {
          const m = market();
          if (!m) return;
          const unknown = contractClientId('none');
          expect(await subject.gateway.fetchOrderByClientId(m.symbol, unknown)).toBeNull();
          expect(await subject.gateway.cancelOrder(m.symbol, { clientOrderId: unknown })).toBeNull();
        });

        it('rounds the amount down to the market step before sending', async () => {
          const m = market();
          if (!m) return;
          const rules = await subject.gateway.marketRules(m.symbol);
          const ragged = dec(m.amount).plus(dec(rules.amountStep).div(3)).toFixed();
          const order = await subject.gateway.createOrder({
            symbol: m.symbol,
            side: 'buy',
            type: 'market',
            clientOrderId: contractClientId('rd'),
            amount: ragged,
          });
          expect(dec(order.amount).mod(rules.amountStep).eq(0)).toBe(true);
          expect(dec(order.amount).lte(ragged)).toBe(true);
        });

        it('refuses an order below the minimum notional without sending it', async () => {
          const m = market();
          if (!m) return;
          const rules = await subject.gateway.marketRules(m.symbol);
          // One step is below the minimum wherever a minimum notional or amount lies above it; where
          // the only minimum is one step (Kraken Futures: min lot = step, no minimum notional), or one
          // step is worth more than the minimum notional (Bybit's BTC perpetual: 0.001 BTC ≈ 60 USDT
          // against 5 USDT), half a step is.
          const stepValue = dec(rules.amountStep).times(m.price);
          const floorAboveStep = stepValue.lt(rules.minNotional) || dec(rules.minAmount).gt(rules.amountStep);
          const tiny = floorAboveStep ? rules.amountStep : dec(rules.amountStep).div(2).toFixed();
          const before = await subject.orderCount();
          await expectKind(
            subject.gateway.createOrder({
              symbol: m.symbol,
              side: 'buy',
              type: 'market',
              clientOrderId: contractClientId('tiny'),
              amount: tiny,
            }),
            ['min-notional'],
          );
          expect(await subject.orderCount()).toBe(before);
        });

        it('refuses an order the balance cannot pay for as insufficient funds', async () => {
          const m = market();
          if (!m) return;
          // Worth twenty times the funded balance (leverage up to 20 cannot cover it), yet inside
          // the exchanges' maximum order sizes, so only the balance can be the reason to refuse it.
          const balances = await subject.gateway.fetchBalances();
          const funded = Math.max(
            ...balances.filter((b) => b.currency === subject.quote).map((b) => Number(b.free)),
          );
          const rules = await subject.gateway.marketRules(m.symbol);
          const price = Math.round(m.price * 0.8);
          const amount = dec(funded * 20)
            .div(price)
            .div(rules.amountStep)
            .round(0, 0)
            .times(rules.amountStep)
            .toFixed();
          await expectKind(
            subject.gateway.createOrder({
              symbol: m.symbol,
              side: 'buy',
              type: 'limit',
              clientOrderId: contractClientId('big'),
              amount,
              price: String(price),
            }),
            ['insufficient-funds'],
          );
        });
      });
    }

    it('sets leverage on perpetuals and closes a position reduce-only', async () => {
      const m = subject.swap;
      if (!m) return;
      await subject.gateway.setLeverage(m.symbol, 3, 'isolated');
      // The swap tests above leave the account long, so the exit that may only reduce is a sell:
      // a reduce-only buy would grow that long and every exchange refuses it.
      await subject.gateway.createOrder({
        symbol: m.symbol,
        side: 'buy',
        type: 'market',
        clientOrderId: contractClientId('so'),
        amount: m.amount,
      });
      const exit = await subject.gateway.createOrder({
        symbol: m.symbol,
        side: 'sell',
        type: 'market',
        clientOrderId: contractClientId('sx'),
        amount: m.amount,
        reduceOnly: true,
      });
      expect(exit.status).toBe('filled');
    });

    it('reports what its key may do', async () => {
      const permissions = await subject.gateway.keyPermissions();
      expect(permissions.canRead).toBe(true);
      expect(Array.isArray(permissions.ips)).toBe(true);
    });
  });
}
