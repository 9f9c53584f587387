// DCA plan throughput: how many full ladders (base order + 10 safety orders, every level's price,
// size, average, take-profit and stop-loss) planDca builds per second, without and with market
// rounding. The base price moves every plan so no two plans are alike.
import { dcaParametersSchema } from '../shared/core/dca/params.js';
import { type DcaMarketRules, planDca } from '../shared/core/dca/plan.js';
import { dec } from '../shared/core/money/decimal.js';

export interface DcaPlanBenchFigures {
  readonly plans: number;
  readonly safetyOrdersPerPlan: number;
  /** Plans per second at full precision, no market rules. */
  readonly plansPerSecond: number;
  /** Plans per second with prices on the tick and amounts on the step. */
  readonly plansPerSecondWithMarketRules: number;
  /** Levels (orders) per second at full precision. */
  readonly levelsPerSecond: number;
}

const SAFETY_ORDERS = 10;

const params = dcaParametersSchema.parse({
  side: 'long',
  baseOrderQuote: '10',
  safetyOrderQuote: '20',
  priceDeviationPercent: '1',
  stepScale: '1.2',
  volumeScale: '1.5',
  maxSafetyOrders: SAFETY_ORDERS,
  takeProfitPercent: '1.5',
  stopLossPercent: '40',
});
const rules: DcaMarketRules = { tickSize: '0.01', amountStep: '0.00001', minNotional: '5' };

function plansPerSecond(plans: number, withRules: boolean): number {
  // Base prices 60000.00 … 69999.99 in cent steps.
  const prices = Array.from({ length: 10_000 }, (_, i) =>
    dec(6_000_000 + i)
      .div(100)
      .toFixed(),
  );
  const run = (count: number) => {
    for (let i = 0; i < count; i++) {
      const basePrice = prices[i % prices.length] ?? '60000';
      planDca(params, basePrice, withRules ? rules : undefined);
    }
  };
  run(Math.min(2_000, plans)); // warm-up: let the JIT settle before timing
  const started = performance.now();
  run(plans);
  const seconds = (performance.now() - started) / 1000;
  return plans / seconds;
}

export function benchDcaPlans(plans = 10_000): DcaPlanBenchFigures {
  const plain = plansPerSecond(plans, false);
  const rounded = plansPerSecond(plans, true);
  return {
    plans,
    safetyOrdersPerPlan: SAFETY_ORDERS,
    plansPerSecond: Math.round(plain),
    plansPerSecondWithMarketRules: Math.round(rounded),
    levelsPerSecond: Math.round(plain * (SAFETY_ORDERS + 1)),
  };
}
