// The orders a deal issues and their client order ids. Ids are deterministic (a replay issues the
// same ones) and unique within a deal: base and safety ids name their level, every replaceable
// order (-tp, -t<k>r, -sl, -x) takes the deal's next revision, written in base 36 so a 24-character
// deal id plus the longest suffix ("-t20r" + 6 digits) stays within 36 characters.
import type Big from 'big.js';
import { type DecimalString, str } from '../money/decimal.js';
import type { DealConfig, DealOrder } from './deal-types.js';
import type { DcaLevel, DcaPlan } from './plan.js';

export const DEAL_ID_PATTERN = /^[A-Za-z0-9-]{1,24}$/;
export const MAX_TARGETS = 20;

const rev = (revision: number) => revision.toString(36);

export const dealOrderIds = {
  base: (dealId: string) => `${dealId}-b`,
  safety: (dealId: string, level: number) => `${dealId}-s${level}`,
  takeProfit: (dealId: string, revision: number) => `${dealId}-tp${rev(revision)}`,
  target: (dealId: string, target: number, revision: number) => `${dealId}-t${target}r${rev(revision)}`,
  stop: (dealId: string, revision: number) => `${dealId}-sl${rev(revision)}`,
  exit: (dealId: string, revision: number) => `${dealId}-x${rev(revision)}`,
};

export const entrySide = (side: 'long' | 'short'): 'buy' | 'sell' => (side === 'long' ? 'buy' : 'sell');
export const exitSide = (side: 'long' | 'short'): 'buy' | 'sell' => (side === 'long' ? 'sell' : 'buy');

/**
 * A spot long buys by quote (what the configuration sizes in); every other base order gives the
 * plan's amount, since a spot sell and a futures order are sized in base.
 */
export function baseOrder(config: DealConfig, plan: DcaPlan): DealOrder {
  const { params } = config;
  const level0 = plan.levels[0] as DcaLevel;
  return {
    clientOrderId: dealOrderIds.base(config.dealId),
    kind: 'base',
    side: entrySide(params.side),
    orderType: 'market',
    ...(params.side === 'long' && params.market === 'spot'
      ? { quoteAmount: params.baseOrderQuote }
      : { amount: level0.amount }),
  };
}

export function safetyOrder(config: DealConfig, level: DcaLevel): DealOrder {
  return {
    clientOrderId: dealOrderIds.safety(config.dealId, level.index),
    kind: 'safety',
    level: level.index,
    side: entrySide(config.params.side),
    orderType: 'limit',
    amount: level.amount,
    price: level.price,
  };
}

export function takeProfitOrder(config: DealConfig, revision: number, price: Big, amount: Big): DealOrder {
  return {
    clientOrderId: dealOrderIds.takeProfit(config.dealId, revision),
    kind: 'take-profit',
    side: exitSide(config.params.side),
    reduceOnly: true,
    orderType: 'limit',
    amount: str(amount),
    price: str(price),
  };
}

export function targetOrder(
  config: DealConfig,
  target: number,
  revision: number,
  price: DecimalString,
  amount: Big,
): DealOrder {
  return {
    clientOrderId: dealOrderIds.target(config.dealId, target, revision),
    kind: 'take-profit',
    level: target,
    side: exitSide(config.params.side),
    reduceOnly: true,
    orderType: 'limit',
    amount: str(amount),
    price,
  };
}

export function stopOrder(
  config: DealConfig,
  revision: number,
  triggerPrice: DecimalString,
  amount: Big,
): DealOrder {
  return {
    clientOrderId: dealOrderIds.stop(config.dealId, revision),
    kind: 'stop-loss',
    side: exitSide(config.params.side),
    reduceOnly: true,
    orderType: 'stop-market',
    amount: str(amount),
    triggerPrice,
  };
}

export function exitOrder(config: DealConfig, revision: number, amount: Big): DealOrder {
  return {
    clientOrderId: dealOrderIds.exit(config.dealId, revision),
    kind: 'exit',
    side: exitSide(config.params.side),
    reduceOnly: true,
    orderType: 'market',
    amount: str(amount),
  };
}
