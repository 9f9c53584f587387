// Price events: the watched stop (with or without a timeout), the trailing take-profit and the
// progressive trailing stop. The backtester sends one per bar close, so the common case (the price
// moved but crossed nothing) compares float shadows and returns the same deal object. Parsing a
// decimal to a float is monotonic, so unequal floats order the decimals exactly; only equal
// floats fall back to big.js.
import { dec, str } from '../money/decimal.js';
import { exitAll } from './deal-close.js';
import { better, retraced } from './deal-exits.js';
import { dealLedger } from './deal-figures.js';
import { setStop } from './deal-protection.js';
import type { Deal } from './deal-state.js';
import type { DealEvent, DealStep } from './deal-types.js';
import { DealUpdate } from './deal-update.js';
import { trailingStopLevel } from './progressive-take-profit.js';

type PriceEvent = Extract<DealEvent, { type: 'price' }>;

const NO_COMMANDS: readonly never[] = Object.freeze([]);

/** Does the deal need price events? Only an open deal with a watched stop or take-profit, or a trail, does. */
export function dealWantsPrice(deal: Deal): boolean {
  return (
    deal.status === 'open' &&
    (deal.trailingTakeProfit !== undefined ||
      deal.watchedTakeProfit !== undefined ||
      deal.trailingStop !== undefined ||
      (deal.stop !== undefined && deal.stop.clientOrderId === undefined))
  );
}

/** Sign of price − level, from the shadows when they differ. */
function compare(shadow: number, price: string, levelShadow: number, level: string): number {
  if (shadow < levelShadow) return -1;
  if (shadow > levelShadow) return 1;
  return dec(price).cmp(level);
}

type PriceExitReason = 'stop-loss' | 'stop-loss-timeout' | 'trailing-take-profit' | 'take-profit';

function exitAtPrice(u: DealUpdate, reason: PriceExitReason, price: string): DealStep<Deal> {
  exitAll(u, reason, dealLedger(u.fills, u.side), dec(price));
  return u.build();
}

// No closures per call on this path: bundlers that keep function names wrap each one in a
// defineProperty call, which would cost more than the whole check.
export function applyPrice(deal: Deal, event: PriceEvent): DealStep<Deal> {
  if (!dealWantsPrice(deal)) return { deal, commands: NO_COMMANDS };
  const { params } = deal.config;
  /** 1 when higher is better for the position (long), −1 for a short. */
  const sign = params.side === 'long' ? 1 : -1;
  const shadow = Number(event.price);
  const price = event.price;
  let u: DealUpdate | undefined;

  const stop = deal.stop;
  if (stop !== undefined && stop.clientOrderId === undefined) {
    const beyond = sign * compare(shadow, price, stop.priceShadow, stop.price) <= 0;
    const timeoutMs = params.stopLossTimeoutSeconds * 1000;
    if (beyond && timeoutMs === 0) return exitAtPrice(new DealUpdate(deal, event.at), 'stop-loss', price);
    if (beyond && stop.beyondSince !== undefined && event.at - stop.beyondSince >= timeoutMs) {
      return exitAtPrice(new DealUpdate(deal, event.at), 'stop-loss-timeout', price);
    }
    if (beyond && stop.beyondSince === undefined) {
      u = new DealUpdate(deal, event.at);
      u.stop = { ...stop, beyondSince: event.at };
    } else if (!beyond && stop.beyondSince !== undefined) {
      // Back inside: the timeout asks for an unbroken run, so it starts over next time.
      u = new DealUpdate(deal, event.at);
      u.stop = { ...stop, beyondSince: undefined };
    }
  }

  const watchedTakeProfit = deal.watchedTakeProfit;
  if (
    watchedTakeProfit !== undefined &&
    sign * compare(shadow, price, Number(watchedTakeProfit), watchedTakeProfit) >= 0
  ) {
    return exitAtPrice(u ?? new DealUpdate(deal, event.at), 'take-profit', price);
  }

  const trailing = deal.trailingTakeProfit;
  if (trailing !== undefined) {
    const startAt = trailing.extreme === undefined;
    const reachedLevel = startAt
      ? sign * compare(shadow, price, trailing.activationShadow, trailing.activationPrice) >= 0
      : sign * compare(shadow, price, trailing.extremeShadow, trailing.extreme as string) > 0;
    if (reachedLevel) {
      const deviation = dec(params.trailingTakeProfit?.deviationPercent ?? '0');
      const exitPrice = str(retraced(params.side, dec(price), deviation));
      u ??= new DealUpdate(deal, event.at);
      u.trailingTakeProfit = {
        ...trailing,
        extreme: price,
        extremeShadow: shadow,
        exitPrice,
        exitShadow: Number(exitPrice),
      };
      if (startAt) u.record({ type: 'TrailingStarted', at: event.at, price });
    } else if (
      trailing.exitPrice !== undefined &&
      sign * compare(shadow, price, trailing.exitShadow, trailing.exitPrice) <= 0
    ) {
      return exitAtPrice(u ?? new DealUpdate(deal, event.at), 'trailing-take-profit', price);
    }
  }

  const trailingStop = deal.trailingStop;
  if (
    trailingStop !== undefined &&
    sign * compare(shadow, price, trailingStop.bestShadow, trailingStop.best) > 0
  ) {
    u ??= new DealUpdate(deal, event.at);
    u.trailingStop = { best: price, bestShadow: shadow };
    const level = trailingStopLevel(deal.config, dec(price));
    if (level !== undefined && (u.stop === undefined || better(params.side, level, dec(u.stop.price)))) {
      setStop(u, level, dealLedger(u.fills, u.side));
    }
  }

  return u === undefined ? { deal, commands: NO_COMMANDS } : u.build();
}
