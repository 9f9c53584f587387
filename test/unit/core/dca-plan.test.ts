import { describe, expect, it } from 'vitest';
import { type DcaParametersInput, dcaParametersSchema } from '../../../shared/core/dca/params.js';
import { type DcaPlan, planDca, tryPlanDca } from '../../../shared/core/dca/plan.js';
import { DcaPlanError } from '../../../shared/core/dca/plan-error.js';
import { dec } from '../../../shared/core/money/decimal.js';

const params = (input: DcaParametersInput) => dcaParametersSchema.parse(input);

/** 3Commas' usual shape: BO 10, SO 20, deviation 1 %, step scale 1.5, volume scale 2, 4 safety orders. */
const longDefaults: DcaParametersInput = {
  side: 'long',
  baseOrderQuote: '10',
  safetyOrderQuote: '20',
  priceDeviationPercent: '1',
  stepScale: '1.5',
  volumeScale: '2',
  maxSafetyOrders: 4,
  takeProfitPercent: '1.5',
};

const column = (plan: DcaPlan, key: 'price' | 'quote' | 'amount' | 'deviationPercent' | 'cumulativeQuote') =>
  plan.levels.map((level) => level[key]);
/** Non-terminating decimals are compared at 8 places (big.js rounds half up). */
const at8 = (plan: DcaPlan, key: 'averageEntry' | 'takeProfitPrice' | 'amount') =>
  plan.levels.map((level) => dec(level[key]).toFixed(8));

function planError(run: () => unknown): DcaPlanError {
  try {
    run();
  } catch (error) {
    if (error instanceof DcaPlanError) return error;
    throw error;
  }
  throw new Error('expected a DcaPlanError');
}

describe('DCA plan, pinned against hand-computed ladders', () => {
  it('lays out a long ladder from the base price with step and volume scales', () => {
    // Deviations from base: d1 = 1; d2 = 1 + 1.5 = 2.5; d3 = 2.5 + 2.25 = 4.75; d4 = 4.75 + 3.375 = 8.125
    // Prices: 100 × (1 − d/100) = 99, 97.5, 95.25, 91.875. Quotes: 10 (base), 20 × 2^(i−1) = 20, 40, 80, 160
    // Amounts: 10/100 = 0.1, 20/99, 40/97.5 = 16/39, 80/95.25 = 320/381, 160/91.875 = 256/147
    // Averages = cumulative quote / cumulative amount:
    //   30 / (0.1 + 20/99) = 29700/299 ≈ 99.33110368
    //   70 / (29.9/99 + 16/39) = 900900/9167 ≈ 98.27642631
    //   150 / … = 245173500/2537009 ≈ 96.63879789; 310 / … = 24827903100/263789921 ≈ 94.11998383
    // Take-profit = average × 1.015: 101.5, 100.82107023, 99.75057271, 98.08837986, 95.53178359
    // Funds: 10 + 20 + 40 + 80 + 160 = 310 (spot: margin = total); deepest deviation 8.125 %
    const plan = planDca(params(longDefaults), '100');
    expect(column(plan, 'deviationPercent')).toEqual(['0', '1', '2.5', '4.75', '8.125']);
    expect(column(plan, 'price')).toEqual(['100', '99', '97.5', '95.25', '91.875']);
    expect(column(plan, 'quote')).toEqual(['10', '20', '40', '80', '160']);
    expect(column(plan, 'cumulativeQuote')).toEqual(['10', '30', '70', '150', '310']);
    expect(at8(plan, 'amount')).toEqual([
      '0.10000000',
      '0.20202020',
      '0.41025641',
      '0.83989501',
      '1.74149660',
    ]);
    expect(at8(plan, 'averageEntry')).toEqual([
      '100.00000000',
      '99.33110368',
      '98.27642631',
      '96.63879789',
      '94.11998383',
    ]);
    expect(at8(plan, 'takeProfitPrice')).toEqual([
      '101.50000000',
      '100.82107023',
      '99.75057271',
      '98.08837986',
      '95.53178359',
    ]);
    expect(plan).toMatchObject({
      totalQuote: '310',
      marginQuote: '310',
      maxDeviationPercent: '8.125',
      maxActiveSafetyOrders: 4,
    });
    expect(plan.levels[0]?.stopLossPrice).toBeUndefined();
  });

  it('rounds a short ladder to the market: prices to the tick, amounts down to the step, exits in profit', () => {
    // Same ladder upwards: 100 × (1 + d/100) = 101, 102.5, 104.75, 108.125 → tick 0.01 (half up) → 108.13
    // Amounts floored to 0.001: 10/100 = 0.1; 20/101 = 0.19801… → 0.198; 40/102.5 = 0.39024… → 0.39;
    //   80/104.75 = 0.76372… → 0.763; 160/108.13 = 1.47970… → 1.479
    // Quotes = amount × price: 10, 19.998, 39.975, 79.92425, 159.92427; total 309.82152
    // Last average = 309.82152 / 2.93 = 105.74113310…; take-profit 105.7411… × 0.985 = 104.15501… → a
    // short's exit rounds down: 104.15; stop-loss 10 % above: 116.31524… → 116.31
    const plan = planDca(params({ ...longDefaults, side: 'short', stopLossPercent: '10' }), '100', {
      tickSize: '0.01',
      amountStep: '0.001',
      minNotional: '5',
    });
    expect(column(plan, 'price')).toEqual(['100', '101', '102.5', '104.75', '108.13']);
    expect(column(plan, 'amount')).toEqual(['0.1', '0.198', '0.39', '0.763', '1.479']);
    expect(column(plan, 'quote')).toEqual(['10', '19.998', '39.975', '79.92425', '159.92427']);
    expect(plan.totalQuote).toBe('309.82152');
    expect(plan.levels[4]).toMatchObject({
      cumulativeAmount: '2.93',
      takeProfitPrice: '104.15',
      stopLossPrice: '116.31',
    });
    expect(dec(plan.levels[4]?.averageEntry ?? '0').toFixed(8)).toBe('105.74113311');
    expect(plan.levels[0]).toMatchObject({ takeProfitPrice: '98.5', stopLossPrice: '110' });
  });

  it('chains from-previous deviations on the previous safety price, and reports the margin on futures', () => {
    // Steps 25 % then 25 × 2 = 50 %: 100 × 1.25 = 125; 125 × 1.5 = 187.5 (from-base would be 175)
    // Total deviations: 25, (187.5 − 100)/100 = 87.5. Quotes 100, 125, 125 × 1.5 = 187.5 → 1 each
    // Cumulative: 100/1, 225/2, 412.5/3 → averages 100, 112.5, 137.5
    // Short take-profit 10 % below: 90, 101.25, 123.75; stop-loss 20 % above average: 120, 135, 165
    // Funds 412.5, margin at 5× = 82.5
    const input: DcaParametersInput = {
      side: 'short',
      market: 'futures',
      leverage: 5,
      baseOrderQuote: '100',
      safetyOrderQuote: '125',
      priceDeviationPercent: '25',
      stepScale: '2',
      volumeScale: '1.5',
      maxSafetyOrders: 2,
      deviationMode: 'from-previous',
      takeProfitPercent: '10',
      stopLossPercent: '20',
    };
    const plan = planDca(params(input), '100');
    expect(column(plan, 'price')).toEqual(['100', '125', '187.5']);
    expect(column(plan, 'deviationPercent')).toEqual(['0', '25', '87.5']);
    expect(plan.levels.map((l) => [l.amount, l.averageEntry, l.takeProfitPrice, l.stopLossPrice])).toEqual([
      ['1', '100', '90', '120'],
      ['1', '112.5', '101.25', '135'],
      ['1', '137.5', '123.75', '165'],
    ]);
    expect(plan).toMatchObject({ totalQuote: '412.5', marginQuote: '82.5', maxDeviationPercent: '87.5' });
    const fromBase = planDca(params({ ...input, deviationMode: 'from-base' }), '100');
    expect(column(fromBase, 'price')).toEqual(['100', '125', '175']);
  });

  it('measures a base-type take-profit on the base order cost across custom safety steps', () => {
    // Custom steps from base: 10 % for 90, 25 % for 150 → prices 90 and 75, amounts 1, 1, 2
    // Cumulative quote 100, 190, 340 over 1, 2, 4 → averages 100, 95, 85
    // takeProfitType base, 2 %: the profit is 2 % of the base order's 100 = 2 quote, so the price is
    //   (cumulative quote + 2) / amount: 102, 192/2 = 96, 342/4 = 85.5 (total type: 102, 96.9, 86.7)
    // Trailing activation at 3 % of 100 = 3: 103, 96.5, 85.75. Stop-loss 30 % below the base price: 70
    const plan = planDca(
      params({
        side: 'long',
        baseOrderQuote: '100',
        customSafetySteps: [
          { deviationPercent: '10', quote: '90' },
          { deviationPercent: '25', quote: '150' },
        ],
        takeProfitPercent: '2',
        takeProfitType: 'base',
        trailingTakeProfit: { activationPercent: '3', deviationPercent: '1' },
        stopLossPercent: '30',
        stopLossFrom: 'base-price',
      }),
      '100',
    );
    expect(
      plan.levels.map((l) => [
        l.price,
        l.averageEntry,
        l.takeProfitPrice,
        l.trailingActivationPrice,
        l.stopLossPrice,
      ]),
    ).toEqual([
      ['100', '100', '102', '103', '70'],
      ['90', '95', '96', '96.5', '70'],
      ['75', '85', '85.5', '85.75', '70'],
    ]);
    expect(plan.totalQuote).toBe('340');
  });
});

describe('DCA plan, refusing parameter sets that cannot work', () => {
  it('refuses more active safety orders than there are safety orders, naming the parameter', () => {
    const result = tryPlanDca({ ...params(longDefaults), maxActiveSafetyOrders: 5 }, '100');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toMatchObject({
        code: 'DCA.INVALID_PARAMETER',
        parameter: 'maxActiveSafetyOrders',
      });
      expect(result.error.message).toBe('maxActiveSafetyOrders 5 exceeds the 4 safety orders');
    }
    expect(tryPlanDca({ ...params(longDefaults), maxActiveSafetyOrders: 2 }, '100').ok).toBe(true);
  });

  it('refuses a long whose deepest safety order would sit at or below zero, naming the level', () => {
    // Totals with deviation 10 and step scale 2: 10, 30, 70, 150 → safety order 4 is 150 % down
    const deep = { ...params(longDefaults), priceDeviationPercent: '10', stepScale: '2' };
    const error = planError(() => planDca(deep, '100'));
    expect(error).toMatchObject({ code: 'DCA.LEVEL_PRICE_NOT_POSITIVE', level: 4 });
    expect(error.message).toContain('safety order 4 sits 150% below the base price');
    // The same ladder upwards is fine for a short.
    expect(planDca({ ...deep, side: 'short' }, '100').levels[4]?.price).toBe('250');
  });

  it('refuses a plan that needs more than maxFundsQuote, and counts margin on futures', () => {
    const error = planError(() => planDca({ ...params(longDefaults), maxFundsQuote: '300' }, '100'));
    expect(error).toMatchObject({ code: 'DCA.FUNDS_EXCEED_LIMIT', parameter: 'maxFundsQuote' });
    expect(error.message).toBe('the plan needs 310 quote in total but maxFundsQuote is 300');
    const futures = { ...longDefaults, market: 'futures', leverage: 2, maxFundsQuote: '300' } as const;
    expect(planDca(params(futures), '100').marginQuote).toBe('155');
  });

  it('refuses negative sizes with DCA.NEGATIVE_SIZE, for the formula and for custom steps', () => {
    expect(
      planError(() => planDca({ ...params(longDefaults), safetyOrderQuote: '-20' }, '100')),
    ).toMatchObject({
      code: 'DCA.NEGATIVE_SIZE',
      parameter: 'safetyOrderQuote',
    });
    const custom = params({
      side: 'long',
      baseOrderQuote: '10',
      customSafetySteps: [{ deviationPercent: '1', quote: '10' }],
      takeProfitPercent: '1',
    });
    const negativeStep = {
      ...custom,
      customSafetySteps: [
        { deviationPercent: '1', quote: '10' },
        { deviationPercent: '2', quote: '-10' },
      ],
    };
    const error = planError(() => planDca(negativeStep, '100'));
    expect(error).toMatchObject({
      code: 'DCA.NEGATIVE_SIZE',
      level: 2,
      parameter: 'customSafetySteps.1.quote',
    });
    expect(error.message).toBe('customSafetySteps[1].quote -10 is negative');
  });

  it('refuses an order that the market rounds below its minimum notional, naming the level', () => {
    // 10 quote at 100 = 0.1 → step 0.1 keeps 0.1 = 10 quote, below the minimum 15
    const error = planError(() =>
      planDca(params(longDefaults), '100', { tickSize: '0.01', amountStep: '0.1', minNotional: '15' }),
    );
    expect(error).toMatchObject({ code: 'DCA.BELOW_MIN_NOTIONAL', level: 0 });
    expect(error.message).toBe(
      'the base order: 10 quote buys 0.1 at 100, worth 10, below the minimum notional 15',
    );
  });

  it('refuses a ladder whose first safety order rounds onto the base price', () => {
    // 100 × (1 − 0.1 %) = 99.9 → tick 1 → 100: no further from the entry than the base order
    const error = planError(() =>
      planDca(params({ ...longDefaults, priceDeviationPercent: '0.1' }), '100', {
        tickSize: '1',
        amountStep: '0.0001',
        minNotional: '1',
      }),
    );
    expect(error).toMatchObject({ code: 'DCA.LEVELS_NOT_DISTINCT', level: 1 });
  });

  it('reports every price-independent problem through the schema with its code and path', () => {
    const result = dcaParametersSchema.safeParse({
      ...longDefaults,
      leverage: 3,
      maxActiveSafetyOrders: 6,
      stopLossTimeoutSeconds: 60,
      trailingTakeProfit: { activationPercent: '1', deviationPercent: '2' },
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => [i.path.join('.'), i.message.split(':')[0]])).toEqual([
      ['leverage', 'DCA.INVALID_PARAMETER'],
      ['maxActiveSafetyOrders', 'DCA.INVALID_PARAMETER'],
      ['trailingTakeProfit.deviationPercent', 'DCA.INVALID_PARAMETER'],
      ['stopLossTimeoutSeconds', 'DCA.INVALID_PARAMETER'],
    ]);
  });

  it('refuses formula fields next to custom steps, which replace them', () => {
    const result = dcaParametersSchema.safeParse({
      side: 'long',
      baseOrderQuote: '10',
      safetyOrderQuote: '20',
      customSafetySteps: [{ deviationPercent: '1', quote: '10' }],
      takeProfitPercent: '1',
    });
    expect(result.error?.issues[0]?.message).toBe(
      'DCA.INVALID_PARAMETER: safetyOrderQuote cannot be combined with customSafetySteps, which replace the formula',
    );
  });
});
