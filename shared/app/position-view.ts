// What the API shows of a position: its state plus the figures derived from its fills.
import { type Position, positionFigures } from '../core/positions/position.js';

export function positionView(position: Position) {
  const figures = positionFigures(position);
  return {
    positionId: position.positionId,
    signalKey: position.signalKey,
    accountId: position.accountId,
    symbol: position.symbol,
    side: position.side,
    status: position.status,
    quoteAmount: position.quoteAmount,
    takeProfitPrice: position.takeProfitPrice,
    ...(position.stopLossPrice === undefined ? {} : { stopLossPrice: position.stopLossPrice }),
    ...figures,
    orders: position.orders,
    fills: position.fills,
    events: position.events,
    createdAt: position.createdAt,
    updatedAt: position.updatedAt,
  };
}
