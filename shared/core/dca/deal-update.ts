// One reducer step in the making: a private, mutable copy of the deal that collects the commands
// and history events of a step, then freezes into the next Deal. Handlers stay short because
// placing an order, cancelling one and changing status each record themselves here.
import { canTransition, IllegalTransition } from '../positions/position.js';
import type {
  Deal,
  DealFill,
  DealHistoryEvent,
  DealOrderState,
  DealStop,
  TrailingStopState,
  TrailingTakeProfitState,
} from './deal-state.js';
import type {
  DealCloseReason,
  DealCommand,
  DealConfig,
  DealOrder,
  DealOrderKind,
  DealStatus,
  DealStep,
} from './deal-types.js';
import type { DcaPlan } from './plan.js';

export class DealUpdate {
  readonly config: DealConfig;
  status: DealStatus;
  /** The ladder; re-anchored at the base order's actual fill once it completes. */
  plan: DcaPlan;
  readonly orders: Record<string, DealOrderState>;
  readonly fills: DealFill[];
  readonly events: DealHistoryEvent[];
  stop: DealStop | undefined;
  trailingTakeProfit: TrailingTakeProfitState | undefined;
  trailingStop: TrailingStopState | undefined;
  takeProfitId: string | undefined;
  watchedTakeProfit: string | undefined;
  revision: number;
  nextSafetyLevel: number;
  targetsHit: number;
  pendingCloseReason: DealCloseReason | undefined;
  closeReason: DealCloseReason | undefined;
  dust: string | undefined;
  closedAt: number | undefined;
  readonly commands: DealCommand[] = [];

  constructor(
    readonly deal: Deal,
    readonly at: number,
  ) {
    this.config = deal.config;
    this.status = deal.status;
    this.plan = deal.plan;
    this.orders = { ...deal.orders };
    this.fills = [...deal.fills];
    this.events = [...deal.events];
    this.stop = deal.stop;
    this.trailingTakeProfit = deal.trailingTakeProfit;
    this.trailingStop = deal.trailingStop;
    this.takeProfitId = deal.takeProfitId;
    this.watchedTakeProfit = deal.watchedTakeProfit;
    this.revision = deal.revision;
    this.nextSafetyLevel = deal.nextSafetyLevel;
    this.targetsHit = deal.targetsHit;
    this.pendingCloseReason = deal.pendingCloseReason;
    this.closeReason = deal.closeReason;
    this.dust = deal.dust;
    this.closedAt = deal.closedAt;
  }

  get side(): 'long' | 'short' {
    return this.config.params.side;
  }

  record(event: DealHistoryEvent): void {
    this.events.push(event);
  }

  /** The next revision for a replaceable order's id. */
  nextRevision(): number {
    this.revision += 1;
    return this.revision;
  }

  /** Moves along the positions transition table; an illegal move is a bug in the reducer. */
  moveTo(to: DealStatus): void {
    if (this.status === to) return;
    if (!canTransition(this.status, to)) {
      throw new IllegalTransition(`deal ${this.config.dealId}: ${this.status} → ${to} is not allowed`);
    }
    this.record({ type: 'StatusChanged', at: this.at, from: this.status, to });
    this.status = to;
  }

  place(order: DealOrder): void {
    this.orders[order.clientOrderId] = { order, status: 'open', filledAmount: '0' };
    this.commands.push({ type: 'place', order });
    this.record({ type: 'OrderPlaced', at: this.at, clientOrderId: order.clientOrderId, kind: order.kind });
  }

  /** Asks the exchange to cancel an order still open; anything else needs no command. */
  cancel(clientOrderId: string | undefined): void {
    if (clientOrderId === undefined) return;
    const state = this.orders[clientOrderId];
    if (state === undefined || state.status !== 'open') return;
    this.orders[clientOrderId] = { ...state, status: 'cancelled' };
    this.commands.push({ type: 'cancel', clientOrderId });
    this.record({ type: 'OrderCancelled', at: this.at, clientOrderId, by: 'deal' });
  }

  setOrderStatus(clientOrderId: string, status: DealOrderState['status']): void {
    const state = this.orders[clientOrderId];
    if (state !== undefined) this.orders[clientOrderId] = { ...state, status };
  }

  openOrders(kind: DealOrderKind): DealOrderState[] {
    return Object.values(this.orders).filter((o) => o.status === 'open' && o.order.kind === kind);
  }

  cancelAll(): void {
    for (const state of Object.values(this.orders)) {
      if (state.status === 'open') this.cancel(state.order.clientOrderId);
    }
    this.takeProfitId = undefined;
  }

  build(): DealStep<Deal> {
    const deal: Deal = {
      config: this.config,
      status: this.status,
      plan: this.plan,
      orders: this.orders,
      fills: this.fills,
      events: this.events,
      stop: this.stop,
      trailingTakeProfit: this.trailingTakeProfit,
      trailingStop: this.trailingStop,
      takeProfitId: this.takeProfitId,
      watchedTakeProfit: this.watchedTakeProfit,
      revision: this.revision,
      nextSafetyLevel: this.nextSafetyLevel,
      targetsHit: this.targetsHit,
      pendingCloseReason: this.pendingCloseReason,
      closeReason: this.closeReason,
      dust: this.dust,
      openedAt: this.deal.openedAt,
      closedAt: this.closedAt,
      updatedAt: this.at,
    };
    return { deal, commands: this.commands };
  }
}
