import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dec } from '../../../shared/core/money/decimal.js';
import {
  type AccountState,
  checkOrder,
  type MarketLimits,
  type OrderIntent,
  type SafetyCheck,
  safetyLimitsSchema,
} from '../../../shared/core/risk/safety-manager.js';

const btc: MarketLimits = { tickSize: '0.01', amountStep: '0.00001', minNotional: '5', minAmount: '0.00001' };
const limits = safetyLimitsSchema.parse({
  maxOpenPositions: 3,
  maxExposurePerSymbolQuote: '500',
  maxTotalExposureQuote: '1000',
  symbolBlacklist: ['LUNA/USDT'],
  maxLeverage: 5,
});
const emptyAccount: AccountState = { openPositions: [], availableQuote: '1000' };
const buy = (overrides: Partial<OrderIntent> = {}): OrderIntent => ({
  symbol: 'BTC/USDT',
  purpose: 'open',
  side: 'buy',
  price: '64250.567',
  size: { quote: '100' },
  leverage: 1,
  ...overrides,
});

const codes = (check: SafetyCheck) => (check.ok ? [] : check.violations.map((v) => v.code));

describe('safety manager', () => {
  it('rounds a passing order the exchange way: price to the tick, amount down to the step', () => {
    // 64250.567 → tick 0.01 → 64250.57; 100 / 64250.57 = 0.00155640… → step 0.00001 → 0.00155
    // notional = 0.00155 × 64250.57 = 99.5883835 ≤ 100 asked
    const check = checkOrder({ order: buy({ signalId: 's1' }), account: emptyAccount, limits, market: btc });
    expect(check).toEqual({
      ok: true,
      order: {
        symbol: 'BTC/USDT',
        purpose: 'open',
        side: 'buy',
        price: '64250.57',
        amount: '0.00155',
        notional: '99.5883835',
        marginQuote: '99.5883835',
        leverage: 1,
        signalId: 's1',
      },
    });
  });

  it('reports every broken rule at once, each with its numbers', () => {
    const account: AccountState = {
      availableQuote: '0.3',
      openPositions: [
        { symbol: 'ETH/USDT', exposureQuote: '400' },
        { symbol: 'SOL/USDT', exposureQuote: '300' },
        { symbol: 'LUNA/USDT', exposureQuote: '1', signalId: 'sig-7' },
      ],
    };
    // 4 quote at 0.5 → 8 units (step 1), notional 4 < 5; at 10× the margin is 0.4 > 0.3 available
    const order = buy({
      symbol: 'LUNA/USDT',
      price: '0.5',
      size: { quote: '4' },
      leverage: 10,
      signalId: 'sig-7',
    });
    const check = checkOrder({ order, account, limits, market: { ...btc, amountStep: '1', minAmount: '1' } });
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.violations).toEqual([
      { code: 'SAFETY.SYMBOL_BLACKLISTED', message: 'LUNA/USDT is on the blacklist' },
      { code: 'SAFETY.LEVERAGE_CAP', message: 'leverage 10× is above the cap 5×' },
      { code: 'SAFETY.MAX_POSITIONS', message: '3 positions are open, the limit is 3' },
      { code: 'SAFETY.DUPLICATE_SIGNAL', message: 'signal sig-7 already opened a position' },
      {
        code: 'SAFETY.MIN_NOTIONAL',
        message: 'order value 4 (8 × 0.5) is below the minimum notional 5',
      },
      {
        code: 'SAFETY.INSUFFICIENT_BALANCE',
        message: 'the order needs 0.4 quote (4 at 10×) but 0.3 is available',
      },
    ]);
  });

  it('refuses an order above the balance, the symbol exposure and the total exposure together', () => {
    // 600 quote at 100 → 6 units, notional 600 > 550 available; ETH holds 400 → 1000 > 500;
    // all symbols hold 400 + 300 → 1300 > 1000
    const account: AccountState = {
      availableQuote: '550',
      openPositions: [
        { symbol: 'ETH/USDT', exposureQuote: '400' },
        { symbol: 'SOL/USDT', exposureQuote: '300' },
      ],
    };
    const order = buy({ symbol: 'ETH/USDT', purpose: 'add', price: '100', size: { quote: '600' } });
    const check = checkOrder({ order, account, limits, market: btc });
    expect(check.ok ? [] : check.violations.map((v) => v.message)).toEqual([
      'the order needs 600 quote but 550 is available',
      'ETH/USDT would hold 1000 quote (400 open + 600), above the limit 500',
      'all symbols would hold 1300 quote (700 open + 600), above the limit 1000',
    ]);
  });

  it('counts the taker fee against the balance: an order that fits only without its fee is refused', () => {
    // 100 quote at 50000 → 0.002 BTC (notional 100); fee 100 × 0.001 = 0.1; needs 100.1 > 100.05.
    const order = buy({ price: '50000', size: { quote: '100' } });
    const account = { openPositions: [], availableQuote: '100.05' };
    const withFee = checkOrder({ order, account, limits, market: { ...btc, takerFeeRate: '0.001' } });
    expect(codes(withFee)).toEqual(['SAFETY.INSUFFICIENT_BALANCE']);
    expect(withFee.ok ? '' : withFee.violations[0]?.message).toContain(
      'needs 100.1 quote including a 0.1 fee',
    );
    expect(
      checkOrder({
        order,
        account: { ...account, availableQuote: '100.1' },
        limits,
        market: { ...btc, takerFeeRate: '0.001' },
      }).ok,
    ).toBe(true);
    expect(checkOrder({ order, account, limits, market: btc }).ok).toBe(true);
  });

  it('counts only the margin against the balance on a leveraged order', () => {
    // 2000 quote at 4× → margin 500 ≤ 550 available; exposure limits raised out of the way
    const wide = safetyLimitsSchema.parse({ maxLeverage: 5 });
    const check = checkOrder({
      order: buy({ price: '100', size: { quote: '2000' }, leverage: 4 }),
      account: { openPositions: [], availableQuote: '550' },
      limits: wide,
      market: btc,
    });
    expect(check).toMatchObject({ ok: true, order: { notional: '2000', marginQuote: '500' } });
  });

  it('refuses a second position on a symbol already open unless several are allowed', () => {
    const account: AccountState = {
      availableQuote: '1000',
      openPositions: [{ symbol: 'BTC/USDT', exposureQuote: '100' }],
    };
    expect(codes(checkOrder({ order: buy(), account, limits, market: btc }))).toEqual([
      'SAFETY.POSITION_ALREADY_OPEN',
    ]);
    const several = { ...limits, allowSeveralPositionsPerSymbol: true };
    expect(checkOrder({ order: buy(), account, limits: several, market: btc }).ok).toBe(true);
  });

  it('refuses a symbol missing from the whitelist when one is set', () => {
    const whitelisted = { ...limits, symbolWhitelist: ['ETH/USDT'] };
    const check = checkOrder({ order: buy(), account: emptyAccount, limits: whitelisted, market: btc });
    expect(check.ok ? [] : check.violations).toEqual([
      { code: 'SAFETY.SYMBOL_NOT_WHITELISTED', message: 'BTC/USDT is not on the whitelist (1 symbols)' },
    ]);
  });

  it('lets a closing order through on a blacklisted symbol with a full book, checking only the market', () => {
    const account: AccountState = {
      availableQuote: '0',
      openPositions: [
        { symbol: 'LUNA/USDT', exposureQuote: '50' },
        { symbol: 'A/USDT', exposureQuote: '50' },
        { symbol: 'B/USDT', exposureQuote: '50' },
      ],
    };
    const close = buy({
      symbol: 'LUNA/USDT',
      purpose: 'reduce',
      side: 'sell',
      price: '0.5',
      size: { base: '100.7' },
    });
    const market = { ...btc, amountStep: '1', minAmount: '1' };
    expect(checkOrder({ order: close, account, limits, market })).toMatchObject({
      ok: true,
      order: { amount: '100', notional: '50' },
    });
  });

  it('refuses a safety order for a symbol with no open position', () => {
    const check = checkOrder({ order: buy({ purpose: 'add' }), account: emptyAccount, limits, market: btc });
    expect(check.ok ? [] : check.violations).toEqual([
      { code: 'SAFETY.NO_OPEN_POSITION', message: 'no position on BTC/USDT is open to add' },
    ]);
  });

  it('refuses an amount that floors to zero as below the minimum amount and notional', () => {
    // 0.0005 quote / 64250.57 = 7.8e-9 → step 0.00001 → 0
    const check = checkOrder({
      order: buy({ size: { quote: '0.0005' } }),
      account: emptyAccount,
      limits,
      market: btc,
    });
    expect(codes(check)).toEqual(['SAFETY.MIN_AMOUNT', 'SAFETY.MIN_NOTIONAL']);
  });

  it('refuses a price or size that is not above zero', () => {
    const check = checkOrder({
      order: buy({ price: '0', size: { base: '-1' } }),
      account: emptyAccount,
      limits,
      market: btc,
    });
    expect(check.ok ? [] : check.violations.map((v) => v.message)).toEqual([
      'price "0" is not above zero',
      'size is not above zero',
    ]);
  });

  it('defaults to 50 concurrent positions', () => {
    expect(safetyLimitsSchema.parse({}).maxOpenPositions).toBe(50);
  });
});

describe('safety manager properties', () => {
  const marketArb = fc.record({
    tickSize: fc.constantFrom('0.0001', '0.01', '0.5', '1'),
    amountStep: fc.constantFrom('0.00001', '0.001', '0.1', '1'),
    minNotional: fc.integer({ min: 0, max: 20 }).map(String),
  });
  const cents = fc.integer({ min: 1, max: 10_000_000 }).map((n) => dec(n).div(100).toFixed());
  const orderArb = fc.record({
    price: cents,
    size: fc.oneof(
      cents.map((quote) => ({ quote })),
      cents.map((base) => ({ base })),
    ),
    leverage: fc.integer({ min: 1, max: 5 }),
  });
  const open = safetyLimitsSchema.parse({ maxLeverage: 5 });

  it('never passes an order below the minimum notional, above the balance or off the amount step', () => {
    fc.assert(
      fc.property(orderArb, marketArb, cents, (intent, market, available) => {
        const check = checkOrder({
          order: buy(intent),
          account: { openPositions: [], availableQuote: available },
          limits: open,
          market,
        });
        if (!check.ok) return;
        const { order } = check;
        expect(dec(order.notional).gte(market.minNotional)).toBe(true);
        expect(dec(order.marginQuote).lte(available)).toBe(true);
        if (order.leverage === 1) expect(dec(order.notional).lte(available)).toBe(true);
        expect(dec(order.amount).mod(market.amountStep).eq(0)).toBe(true);
        expect(dec(order.price).mod(market.tickSize).eq(0)).toBe(true);
        expect(dec(order.amount).times(order.price).eq(order.notional)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('never rounds a quote-sized order past the balance it fits in', () => {
    fc.assert(
      fc.property(cents, cents, marketArb, (price, quote, market) => {
        const check = checkOrder({
          order: buy({ price, size: { quote } }),
          account: { openPositions: [], availableQuote: quote },
          limits: open,
          market,
        });
        expect(codes(check)).not.toContain('SAFETY.INSUFFICIENT_BALANCE');
      }),
      { numRuns: 500 },
    );
  });
});
