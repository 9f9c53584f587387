// Every order is checked here before it is sent: the user's limits (positions, exposure, symbols,
// leverage, balance) and the market's (minimums, precision). Reports every rule an order breaks.
import type Big from 'big.js';
import { z } from 'zod';
import { type DecimalString, dec, floorToStep, isDecimalString, roundToTick, str } from '../money/decimal.js';

export const DEFAULT_MAX_OPEN_POSITIONS = 50;

const positiveDecimal = z
  .string()
  .refine((v) => isDecimalString(v) && dec(v).gt(0), 'must be a decimal greater than zero, e.g. "2500"');

export const safetyLimitsSchema = z
  .object({
    maxOpenPositions: z.number().int().min(0).default(DEFAULT_MAX_OPEN_POSITIONS),
    /** Notional (quote) held on one symbol, open positions plus this order. */
    maxExposurePerSymbolQuote: positiveDecimal.optional(),
    /** Notional (quote) held on all symbols together, plus this order. */
    maxTotalExposureQuote: positiveDecimal.optional(),
    /** When set, only these symbols may be entered. */
    symbolWhitelist: z.array(z.string()).optional(),
    symbolBlacklist: z.array(z.string()).default([]),
    maxLeverage: z.number().int().min(1).max(125).default(20),
    /** Several positions on one symbol at once (e.g. from different bots). */
    allowSeveralPositionsPerSymbol: z.boolean().default(false),
  })
  .strict();

export type SafetyLimitsInput = z.input<typeof safetyLimitsSchema>;
export type SafetyLimits = z.infer<typeof safetyLimitsSchema>;

/** The market's precision and limits, as ccxt reports them. */
export interface MarketLimits {
  readonly tickSize: DecimalString;
  readonly amountStep: DecimalString;
  readonly minNotional: DecimalString;
  readonly minAmount?: DecimalString;
  /** Taker fee rate (e.g. "0.001"): a fee charged in quote must fit the balance too. */
  readonly takerFeeRate?: DecimalString;
}

export interface OrderIntent {
  readonly symbol: string;
  /** open starts a position; add is a safety order on an open one; reduce takes profit or stops out. */
  readonly purpose: 'open' | 'add' | 'reduce';
  readonly side: 'buy' | 'sell';
  /** The limit price, or the price a market order is expected to fill at. */
  readonly price: DecimalString;
  readonly size: { readonly quote: DecimalString } | { readonly base: DecimalString };
  readonly leverage: number;
  /** The signal that asked for the order: one signal never opens two positions. */
  readonly signalId?: string;
}

export interface OpenPositionExposure {
  readonly symbol: string;
  readonly signalId?: string;
  /** Notional held, in quote. */
  readonly exposureQuote: DecimalString;
}

export interface AccountState {
  readonly openPositions: readonly OpenPositionExposure[];
  /** Free quote: what a spot buy may spend, or the free margin of a futures account. */
  readonly availableQuote: DecimalString;
}

export type SafetyViolationCode =
  | 'SAFETY.INVALID_ORDER'
  | 'SAFETY.MAX_POSITIONS'
  | 'SAFETY.SYMBOL_NOT_WHITELISTED'
  | 'SAFETY.SYMBOL_BLACKLISTED'
  | 'SAFETY.LEVERAGE_CAP'
  | 'SAFETY.SYMBOL_EXPOSURE'
  | 'SAFETY.TOTAL_EXPOSURE'
  | 'SAFETY.INSUFFICIENT_BALANCE'
  | 'SAFETY.MIN_AMOUNT'
  | 'SAFETY.MIN_NOTIONAL'
  | 'SAFETY.POSITION_ALREADY_OPEN'
  | 'SAFETY.DUPLICATE_SIGNAL'
  | 'SAFETY.NO_OPEN_POSITION';

export interface SafetyViolation {
  readonly code: SafetyViolationCode;
  readonly message: string;
}

/** The order as it may be sent: price on the tick, amount floored to the step. */
export interface AdjustedOrder {
  readonly symbol: string;
  readonly purpose: OrderIntent['purpose'];
  readonly side: OrderIntent['side'];
  readonly price: DecimalString;
  readonly amount: DecimalString;
  /** amount × price, in quote. */
  readonly notional: DecimalString;
  /** notional / leverage: what the order takes from the available balance. */
  readonly marginQuote: DecimalString;
  readonly leverage: number;
  readonly signalId?: string;
}

export type SafetyCheck =
  | { readonly ok: true; readonly order: AdjustedOrder }
  | { readonly ok: false; readonly violations: readonly SafetyViolation[] };

interface Sized {
  readonly price: Big;
  readonly amount: Big;
  readonly notional: Big;
  readonly margin: Big;
}

function violation(code: SafetyViolationCode, message: string): SafetyViolation {
  return { code, message };
}

function positiveDecimalOrNull(value: DecimalString): Big | null {
  return isDecimalString(value) && dec(value).gt(0) ? dec(value) : null;
}

/**
 * The exchange's way: price to the nearest tick, amount truncated to the step (ccxt's ROUND and
 * TRUNCATE). A quote-sized order is divided by the rounded price, so it never costs more than asked.
 */
function sizeOrder(order: OrderIntent, market: MarketLimits, found: SafetyViolation[]): Sized | null {
  const rawPrice = positiveDecimalOrNull(order.price);
  const rawSize = positiveDecimalOrNull('quote' in order.size ? order.size.quote : order.size.base);
  if (rawPrice === null)
    found.push(violation('SAFETY.INVALID_ORDER', `price "${order.price}" is not above zero`));
  if (rawSize === null) found.push(violation('SAFETY.INVALID_ORDER', 'size is not above zero'));
  if (!Number.isInteger(order.leverage) || order.leverage < 1) {
    found.push(violation('SAFETY.INVALID_ORDER', `leverage ${order.leverage} is not a whole number ≥ 1`));
    return null;
  }
  if (rawPrice === null || rawSize === null) return null;
  const price = roundToTick(rawPrice, market.tickSize);
  if (price.lte(0)) {
    found.push(
      violation('SAFETY.INVALID_ORDER', `price ${order.price} rounds to 0 at the tick ${market.tickSize}`),
    );
    return null;
  }
  const amount = floorToStep('quote' in order.size ? rawSize.div(price) : rawSize, market.amountStep);
  const notional = amount.times(price);
  return { price, amount, notional, margin: notional.div(order.leverage) };
}

function marketViolations(sized: Sized, market: MarketLimits): SafetyViolation[] {
  const found: SafetyViolation[] = [];
  const minAmount = market.minAmount ?? '0';
  if (sized.amount.lte(0) || sized.amount.lt(minAmount)) {
    found.push(
      violation(
        'SAFETY.MIN_AMOUNT',
        `amount ${str(sized.amount)} (floored to the step ${market.amountStep}) is below the minimum ${
          market.minAmount ?? market.amountStep
        }`,
      ),
    );
  }
  if (sized.notional.lt(market.minNotional)) {
    found.push(
      violation(
        'SAFETY.MIN_NOTIONAL',
        `order value ${str(sized.notional)} (${str(sized.amount)} × ${str(sized.price)}) is below the minimum notional ${market.minNotional}`,
      ),
    );
  }
  return found;
}

function fundsViolations(
  order: OrderIntent,
  sized: Sized,
  account: AccountState,
  limits: SafetyLimits,
  market: MarketLimits,
): SafetyViolation[] {
  const found: SafetyViolation[] = [];
  // The exchange takes its fee on top: an order that fits only without the fee is refused there.
  const fee = market.takerFeeRate === undefined ? dec(0) : sized.notional.times(market.takerFeeRate);
  const needed = sized.margin.plus(fee);
  if (needed.gt(account.availableQuote)) {
    found.push(
      violation(
        'SAFETY.INSUFFICIENT_BALANCE',
        `the order needs ${str(needed)} quote${order.leverage > 1 ? ` (${str(sized.notional)} at ${order.leverage}×)` : ''}${fee.gt(0) ? ` including a ${str(fee)} fee` : ''} but ${account.availableQuote} is available`,
      ),
    );
  }
  const held = (positions: readonly OpenPositionExposure[]) =>
    positions.reduce((sum, p) => sum.plus(p.exposureQuote), dec(0));
  const onSymbol = held(account.openPositions.filter((p) => p.symbol === order.symbol));
  if (
    limits.maxExposurePerSymbolQuote !== undefined &&
    onSymbol.plus(sized.notional).gt(limits.maxExposurePerSymbolQuote)
  ) {
    found.push(
      violation(
        'SAFETY.SYMBOL_EXPOSURE',
        `${order.symbol} would hold ${str(onSymbol.plus(sized.notional))} quote (${str(onSymbol)} open + ${str(sized.notional)}), above the limit ${limits.maxExposurePerSymbolQuote}`,
      ),
    );
  }
  const total = held(account.openPositions);
  if (
    limits.maxTotalExposureQuote !== undefined &&
    total.plus(sized.notional).gt(limits.maxTotalExposureQuote)
  ) {
    found.push(
      violation(
        'SAFETY.TOTAL_EXPOSURE',
        `all symbols would hold ${str(total.plus(sized.notional))} quote (${str(total)} open + ${str(sized.notional)}), above the limit ${limits.maxTotalExposureQuote}`,
      ),
    );
  }
  return found;
}

/** Rules that need no amounts: which symbols, how many positions, which signal, what leverage. */
function entryRuleViolations(
  order: OrderIntent,
  account: AccountState,
  limits: SafetyLimits,
): SafetyViolation[] {
  const found: SafetyViolation[] = [];
  const { symbol } = order;
  if (limits.symbolBlacklist.includes(symbol)) {
    found.push(violation('SAFETY.SYMBOL_BLACKLISTED', `${symbol} is on the blacklist`));
  }
  if (limits.symbolWhitelist !== undefined && !limits.symbolWhitelist.includes(symbol)) {
    found.push(
      violation(
        'SAFETY.SYMBOL_NOT_WHITELISTED',
        `${symbol} is not on the whitelist (${limits.symbolWhitelist.length} symbols)`,
      ),
    );
  }
  if (order.leverage > limits.maxLeverage) {
    found.push(
      violation('SAFETY.LEVERAGE_CAP', `leverage ${order.leverage}× is above the cap ${limits.maxLeverage}×`),
    );
  }
  const onSymbol = account.openPositions.filter((p) => p.symbol === symbol);
  if (order.purpose === 'add') return found;
  if (account.openPositions.length >= limits.maxOpenPositions) {
    found.push(
      violation(
        'SAFETY.MAX_POSITIONS',
        `${account.openPositions.length} positions are open, the limit is ${limits.maxOpenPositions}`,
      ),
    );
  }
  if (order.signalId !== undefined && account.openPositions.some((p) => p.signalId === order.signalId)) {
    found.push(violation('SAFETY.DUPLICATE_SIGNAL', `signal ${order.signalId} already opened a position`));
  } else if (onSymbol.length > 0 && !limits.allowSeveralPositionsPerSymbol) {
    found.push(violation('SAFETY.POSITION_ALREADY_OPEN', `a position on ${symbol} is already open`));
  }
  return found;
}

/** Checks an order against the user's limits and the market; every broken rule is reported. */
export function checkOrder(input: {
  readonly order: OrderIntent;
  readonly account: AccountState;
  readonly limits: SafetyLimits;
  readonly market: MarketLimits;
}): SafetyCheck {
  const { order, account, limits, market } = input;
  const found: SafetyViolation[] = [];
  const sized = sizeOrder(order, market, found);
  const entering = order.purpose !== 'reduce';
  if (order.purpose !== 'open' && !account.openPositions.some((p) => p.symbol === order.symbol)) {
    found.push(
      violation('SAFETY.NO_OPEN_POSITION', `no position on ${order.symbol} is open to ${order.purpose}`),
    );
  }
  // Closing is always allowed by the user's limits: a blacklisted symbol or a full book must not
  // trap a position. Only the market's own rules apply to it.
  if (entering) found.push(...entryRuleViolations(order, account, limits));
  if (sized !== null) {
    found.push(...marketViolations(sized, market));
    if (entering) found.push(...fundsViolations(order, sized, account, limits, market));
  }
  if (found.length > 0 || sized === null) return { ok: false, violations: found };
  return {
    ok: true,
    order: {
      symbol: order.symbol,
      purpose: order.purpose,
      side: order.side,
      price: str(sized.price),
      amount: str(sized.amount),
      notional: str(sized.notional),
      marginQuote: str(sized.margin),
      leverage: order.leverage,
      ...(order.signalId === undefined ? {} : { signalId: order.signalId }),
    },
  };
}
