// Shared set-up for the deal reducer's tests: parameters through the real schema, a market with a
// cent tick, and a driver that feeds events the way an executor would (fills priced exactly,
// fresh trade ids, a clock that moves a second per event).
import { applyDealEvent, type Deal, openDeal } from '../../../shared/core/dca/deal.js';
import type {
  DealCommand,
  DealConfig,
  DealEvent,
  DealOrder,
  DealStep,
} from '../../../shared/core/dca/deal-types.js';
import { type DcaParametersInput, dcaParametersSchema } from '../../../shared/core/dca/params.js';
import type { DcaMarketRules } from '../../../shared/core/dca/plan.js';
import { dec, str } from '../../../shared/core/money/decimal.js';

export const rules: DcaMarketRules = { tickSize: '0.01', amountStep: '0.001', minNotional: '5' };

/** BO 100 quote, SO 200 quote 1 % below, take-profit 1 %: the numbers the examples work through. */
export const longInput: DcaParametersInput = {
  side: 'long',
  baseOrderQuote: '100',
  safetyOrderQuote: '200',
  priceDeviationPercent: '1',
  maxSafetyOrders: 1,
  takeProfitPercent: '1',
};

export function dealConfig(
  input: Partial<DcaParametersInput> = {},
  extra: Partial<Omit<DealConfig, 'params'>> = {},
): DealConfig {
  return {
    dealId: 'd1',
    symbol: 'BTC/USDT',
    rules,
    ...extra,
    params: dcaParametersSchema.parse({ ...longInput, ...input }),
  };
}

export const placed = (commands: readonly DealCommand[]): DealOrder[] =>
  commands.flatMap((c) => (c.type === 'place' ? [c.order] : []));
export const cancelled = (commands: readonly DealCommand[]): string[] =>
  commands.flatMap((c) => (c.type === 'cancel' ? [c.clientOrderId] : []));

export class DealDriver {
  deal: Deal;
  commands: readonly DealCommand[];
  readonly history: DealCommand[] = [];
  clock = 0;
  private trades = 0;

  constructor(config: DealConfig, basePrice = '100') {
    const step = openDeal(config, basePrice, 0);
    this.deal = step.deal;
    this.commands = step.commands;
    this.history.push(...step.commands);
  }

  apply(event: DealEvent): DealStep<Deal> {
    const step = applyDealEvent(this.deal, event);
    this.deal = step.deal;
    this.commands = step.commands;
    this.history.push(...step.commands);
    return step;
  }

  /** Fills `amount` (the order's whole amount by default; by quote for a market buy by quote). */
  fill(
    clientOrderId: string,
    price: string,
    options: {
      amount?: string;
      done?: boolean;
      fee?: string;
      feeCurrency?: 'quote' | 'base';
      tradeId?: string;
    } = {},
  ): DealStep<Deal> {
    const order = this.deal.orders[clientOrderId]?.order;
    const amount =
      options.amount ??
      order?.amount ??
      (order?.quoteAmount === undefined ? '0' : str(dec(order.quoteAmount).div(price)));
    this.trades += 1;
    return this.apply({
      type: 'filled',
      clientOrderId,
      tradeId: options.tradeId ?? `t${this.trades}`,
      price,
      amount,
      cost: str(dec(amount).times(price)),
      fee: options.fee ?? '0',
      ...(options.feeCurrency === undefined ? {} : { feeCurrency: options.feeCurrency }),
      at: this.tick(),
      orderDone: options.done ?? true,
    });
  }

  price(price: string, at = this.tick()): DealStep<Deal> {
    return this.apply({ type: 'price', price, at });
  }

  tick(): number {
    this.clock += 1000;
    return this.clock;
  }

  /** The orders the deal believes rest on the exchange now. */
  resting(kind?: DealOrder['kind']): DealOrder[] {
    return Object.values(this.deal.orders)
      .filter((o) => o.status === 'open' && (kind === undefined || o.order.kind === kind))
      .map((o) => o.order);
  }
}
