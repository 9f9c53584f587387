import type Big from 'big.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DcaParameters } from '../../../shared/core/dca/params.js';
import { type DcaMarketRules, type DcaPlan, tryPlanDca } from '../../../shared/core/dca/plan.js';
import { dec } from '../../../shared/core/money/decimal.js';

/** An integer n as the decimal string n / 10^places, e.g. (150, 2) → "1.5". */
const scaled = (min: number, max: number, places: number) =>
  fc.integer({ min, max }).map((n) =>
    dec(n)
      .div(10 ** places)
      .toFixed(),
  );

const parametersArb: fc.Arbitrary<DcaParameters> = fc
  .record({
    side: fc.constantFrom('long' as const, 'short' as const),
    deviationMode: fc.constantFrom('from-base' as const, 'from-previous' as const),
    futures: fc.boolean(),
    leverage: fc.integer({ min: 1, max: 20 }),
    baseOrderQuote: scaled(100, 100_000, 2),
    safetyOrderQuote: scaled(100, 100_000, 2),
    priceDeviationPercent: scaled(1, 50, 1),
    stepScale: scaled(50, 200, 2),
    volumeScale: scaled(50, 200, 2),
    maxSafetyOrders: fc.integer({ min: 0, max: 10 }),
    takeProfitPercent: scaled(1, 500, 2),
    takeProfitType: fc.constantFrom('total' as const, 'base' as const),
  })
  .map(({ futures, leverage, ...rest }) => ({
    ...rest,
    market: futures ? ('futures' as const) : ('spot' as const),
    leverage: futures ? leverage : 1,
    stopLossFrom: 'average-entry' as const,
    stopLossTimeoutSeconds: 0,
    cooldownSeconds: 0,
  }));

const basePriceArb = scaled(1, 10_000_000, 3);

const marketRulesArb: fc.Arbitrary<DcaMarketRules> = fc.record({
  tickSize: fc.constantFrom('0.0001', '0.001', '0.01', '0.1', '1'),
  amountStep: fc.constantFrom('0.00001', '0.001', '0.1', '1'),
  minNotional: scaled(0, 1000, 2),
});

/** An oracle independent of the plan: would a long's safety order reach 100 % below its reference? */
function longLadderReachesZero(p: DcaParameters): boolean {
  let step = dec(p.priceDeviationPercent ?? '0');
  let total = dec(0);
  for (let i = 0; i < (p.maxSafetyOrders ?? 0); i++) {
    total = total.plus(step);
    if ((p.deviationMode === 'from-base' ? total : step).gte(100)) return true;
    step = step.times(p.stepScale ?? '1');
  }
  return false;
}

const isMultipleOf = (value: string, unit: string) => dec(value).mod(unit).eq(0);
const lowest = (a: Big, b: Big) => (a.lt(b) ? a : b);
const highest = (a: Big, b: Big) => (a.gt(b) ? a : b);

function expectLadderInvariants(plan: DcaPlan, p: DcaParameters): void {
  const long = p.side === 'long';
  const base = dec(plan.basePrice);
  plan.levels.forEach((level, i) => {
    const price = dec(level.price);
    const average = dec(level.averageEntry);
    const previous = plan.levels[i - 1];
    if (previous !== undefined) {
      // Each safety price lies further from the entry than the one before it.
      expect(long ? price.lt(previous.price) : price.gt(previous.price)).toBe(true);
    }
    // Filled down to here, the average lies between the base price and this level's price.
    expect(average.gte(lowest(base, price)) && average.lte(highest(base, price))).toBe(true);
    // A take-profit lies on the profitable side of the average.
    expect(long ? dec(level.takeProfitPrice).gt(average) : dec(level.takeProfitPrice).lt(average)).toBe(true);
  });
}

describe('DCA plan properties', () => {
  it('moves every safety order further from the entry, with each average between base and level', () => {
    fc.assert(
      fc.property(parametersArb, basePriceArb, (p, basePrice) => {
        const result = tryPlanDca(p, basePrice);
        const expectRejection = p.side === 'long' && longLadderReachesZero(p);
        expect(result.ok).toBe(!expectRejection);
        if (!result.ok) {
          expect(result.error.code).toBe('DCA.LEVEL_PRICE_NOT_POSITIVE');
          return;
        }
        expect(result.plan.levels).toHaveLength((p.maxSafetyOrders ?? 0) + 1);
        expectLadderInvariants(result.plan, p);
      }),
      { numRuns: 300 },
    );
  });

  it('needs exactly the sum of its orders in funds, and that sum divided by leverage as margin', () => {
    fc.assert(
      fc.property(
        parametersArb,
        basePriceArb,
        fc.option(marketRulesArb, { nil: undefined }),
        (p, price, rules) => {
          const result = tryPlanDca(p, price, rules);
          fc.pre(result.ok);
          if (!result.ok) return;
          const { plan } = result;
          const sum = plan.levels.reduce((total, level) => total.plus(level.quote), dec(0));
          expect(sum.eq(plan.totalQuote)).toBe(true);
          expect(dec(plan.levels.at(-1)?.cumulativeQuote ?? '0').eq(plan.totalQuote)).toBe(true);
          // The margin is a division (to 20 places): equal to the total / leverage within that rounding.
          const marginGap = dec(plan.marginQuote).times(p.leverage).minus(plan.totalQuote).abs();
          expect(marginGap.lte(dec('1e-20').times(p.leverage))).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('scales each safety order by the volume scale and each deviation step by the step scale', () => {
    fc.assert(
      fc.property(parametersArb, basePriceArb, (p, basePrice) => {
        const result = tryPlanDca({ ...p, deviationMode: 'from-base' }, basePrice);
        fc.pre(result.ok);
        if (!result.ok) return;
        const levels = result.plan.levels;
        expect(levels[1] === undefined || dec(levels[1].quote).eq(p.safetyOrderQuote ?? '')).toBe(true);
        for (let i = 2; i < levels.length; i++) {
          const [before, previous, current] = [levels[i - 2], levels[i - 1], levels[i]];
          if (before === undefined || previous === undefined || current === undefined) throw new Error('gap');
          expect(dec(current.quote).eq(dec(previous.quote).times(p.volumeScale ?? '1'))).toBe(true);
          const step = dec(current.deviationPercent).minus(previous.deviationPercent);
          const stepBefore = dec(previous.deviationPercent).minus(before.deviationPercent);
          expect(step.eq(stepBefore.times(p.stepScale ?? '1'))).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keeps every order on the market grid and at or above the minimum notional when rules are given', () => {
    const allowedRefusals = [
      'DCA.LEVEL_PRICE_NOT_POSITIVE',
      'DCA.LEVELS_NOT_DISTINCT',
      'DCA.BELOW_MIN_NOTIONAL',
      'DCA.EXIT_PRICE_NOT_POSITIVE',
    ];
    fc.assert(
      fc.property(parametersArb, basePriceArb, marketRulesArb, (p, basePrice, rules) => {
        const result = tryPlanDca(p, basePrice, rules);
        if (!result.ok) {
          expect(allowedRefusals).toContain(result.error.code);
          return;
        }
        expectLadderInvariants(result.plan, p);
        for (const level of result.plan.levels) {
          if (level.index > 0) expect(isMultipleOf(level.price, rules.tickSize)).toBe(true);
          expect(isMultipleOf(level.amount, rules.amountStep)).toBe(true);
          expect(isMultipleOf(level.takeProfitPrice, rules.tickSize)).toBe(true);
          expect(dec(level.quote).gte(rules.minNotional)).toBe(true);
          expect(dec(level.quote).eq(dec(level.amount).times(level.price))).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
