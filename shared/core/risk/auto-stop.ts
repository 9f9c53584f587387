// Auto-stop: from a plain snapshot of one user's positions, closed trades and equity, decide which
// positions to close and whether new entries pause, each decision with the rule and its numbers.
// Time is passed in (`now`), never read, so the engine and the backtester decide alike.
import { type DecimalString, dec, str } from '../money/decimal.js';
import {
  type AutoStopDecision,
  AutoStopInputError,
  type AutoStopRuleName,
  type AutoStopRules,
  type AutoStopSnapshot,
  type EntryDecision,
  type EntryPause,
  type Instant,
  type KillSwitch,
  type OpenPositionRisk,
  type RuleFired,
} from './auto-stop-rules.js';

const DAY_MS = 86_400_000;

function epochMs(instant: Instant, what: string): number {
  const ms = typeof instant === 'number' ? instant : Date.parse(instant);
  if (!Number.isFinite(ms))
    throw new AutoStopInputError(`${what}: "${instant}" is not an ISO instant or epoch ms`);
  return ms;
}

const iso = (ms: number) => new Date(ms).toISOString();

function fired(rule: AutoStopRuleName, reason: string): RuleFired {
  return { rule, code: `AUTO_STOP.${rule}`, reason };
}

function positionRules(position: OpenPositionRisk, rules: AutoStopRules, nowMs: number): RuleFired[] {
  const found: RuleFired[] = [];
  const ageSeconds = Math.floor(
    (nowMs - epochMs(position.openedAt, `position ${position.positionId} openedAt`)) / 1000,
  );
  if (rules.positionTimeoutSeconds !== undefined && ageSeconds >= rules.positionTimeoutSeconds) {
    found.push(
      fired('POSITION_TIMEOUT', `open for ${ageSeconds} s, the timeout is ${rules.positionTimeoutSeconds} s`),
    );
  }
  const limit = rules.maxLossPerPosition;
  const loss = dec(position.unrealizedPnlQuote).neg();
  if (limit !== undefined && loss.gt(0)) {
    if (limit.quote !== undefined && loss.gte(limit.quote)) {
      found.push(
        fired('MAX_LOSS_PER_POSITION', `loss ${str(loss)} quote reaches the limit ${limit.quote} quote`),
      );
    }
    // Measured on margin: on futures that is the user's own money at stake, not the notional.
    const margin = dec(position.costQuote).div(position.leverage);
    if (limit.percent !== undefined && margin.gt(0)) {
      const percent = loss.div(margin).times(100);
      if (percent.gte(limit.percent)) {
        found.push(
          fired(
            'MAX_LOSS_PER_POSITION',
            `loss ${str(loss)} quote is ${str(percent.round(4))}% of the ${str(margin)} margin, the limit is ${limit.percent}%`,
          ),
        );
      }
    }
  }
  return found;
}

function dailyLossPause(snapshot: AutoStopSnapshot, limit: DecimalString, nowMs: number): EntryPause | null {
  const dayStart = Math.floor(nowMs / DAY_MS) * DAY_MS;
  const today = snapshot.closedTrades.filter((t) => {
    const at = epochMs(t.closedAt, 'closedAt');
    return at >= dayStart && at <= nowMs;
  });
  const pnl = today.reduce((sum, t) => sum.plus(t.realizedPnlQuote), dec(0));
  if (pnl.neg().lt(limit)) return null;
  return {
    ...fired(
      'DAILY_LOSS_LIMIT',
      `realized ${str(pnl)} quote over ${today.length} trades since ${iso(dayStart)}, the daily loss limit is ${limit}`,
    ),
    until: iso(dayStart + DAY_MS),
  };
}

/** Pauses entries once equity sits `percent` or more below its peak so far. */
function drawdownPause(
  snapshot: AutoStopSnapshot,
  percentLimit: DecimalString,
  nowMs: number,
): EntryPause | null {
  const points = snapshot.equity
    .map((p) => ({ at: epochMs(p.at, 'equity at'), equity: dec(p.equityQuote) }))
    .filter((p) => p.at <= nowMs)
    .sort((a, b) => a.at - b.at);
  const last = points.at(-1);
  if (last === undefined) return null;
  let peak = last.equity;
  for (const p of points) if (p.equity.gt(peak)) peak = p.equity;
  // A peak at or below zero leaves no drawdown to measure as a share of it.
  if (peak.lte(0)) return null;
  const percent = peak.minus(last.equity).div(peak).times(100);
  if (percent.lt(percentLimit)) return null;
  return {
    ...fired(
      'MAX_DRAWDOWN',
      `equity ${str(last.equity)} is ${str(percent.round(4))}% below its peak ${str(peak)}, the limit is ${percentLimit}%`,
    ),
    until: null,
  };
}

function consecutiveLossPause(
  snapshot: AutoStopSnapshot,
  rule: { readonly count: number; readonly coolDownSeconds: number },
  nowMs: number,
): EntryPause | null {
  const trades = snapshot.closedTrades
    .map((t) => ({ at: epochMs(t.closedAt, 'closedAt'), pnl: dec(t.realizedPnlQuote) }))
    .filter((t) => t.at <= nowMs)
    .sort((a, b) => a.at - b.at);
  let streak = 0;
  // A break-even trade ends a streak: it is not a loss.
  for (let i = trades.length - 1; i >= 0 && trades[i]?.pnl.lt(0); i--) streak++;
  const lastLoss = trades.at(-1);
  if (streak < rule.count || lastLoss === undefined) return null;
  const untilMs = lastLoss.at + rule.coolDownSeconds * 1000;
  if (untilMs <= nowMs) return null;
  return {
    ...fired(
      'CONSECUTIVE_LOSSES',
      `${streak} losing trades in a row (the limit is ${rule.count}), the last at ${iso(lastLoss.at)}; cooling down ${rule.coolDownSeconds} s`,
    ),
    until: iso(untilMs),
  };
}

function killSwitchPause(rule: 'USER_KILL_SWITCH' | 'GLOBAL_KILL_SWITCH', kill: KillSwitch | undefined) {
  if (kill?.engaged !== true) return null;
  const who = rule === 'USER_KILL_SWITCH' ? "the user's" : 'the global';
  const why = kill.reason === undefined ? '' : `: ${kill.reason}`;
  const closing = kill.closePositions ? ', closing every position' : '';
  return {
    ...fired(rule, `${who} kill switch is engaged${closing}${why}`),
    until: null,
    closePositions: kill.closePositions,
  };
}

/** Evaluates every rule against the snapshot at `now`; rules not configured never fire. */
export function evaluateAutoStop(
  snapshot: AutoStopSnapshot,
  rules: AutoStopRules,
  now: Instant,
): AutoStopDecision {
  const nowMs = epochMs(now, 'now');
  const pauses: EntryPause[] = [];
  const closeAll: RuleFired[] = [];

  for (const [rule, kill] of [
    ['GLOBAL_KILL_SWITCH', snapshot.globalKillSwitch],
    ['USER_KILL_SWITCH', snapshot.userKillSwitch],
  ] as const) {
    const pause = killSwitchPause(rule, kill);
    if (pause === null) continue;
    const { closePositions, ...entryPause } = pause;
    pauses.push(entryPause);
    if (closePositions) closeAll.push(fired(rule, entryPause.reason));
  }
  if (rules.dailyLossLimitQuote !== undefined) {
    const pause = dailyLossPause(snapshot, rules.dailyLossLimitQuote, nowMs);
    if (pause !== null) pauses.push(pause);
  }
  if (rules.maxDrawdown !== undefined) {
    const pause = drawdownPause(snapshot, rules.maxDrawdown.percent, nowMs);
    if (pause !== null) {
      pauses.push(pause);
      if (rules.maxDrawdown.closePositions) closeAll.push(fired('MAX_DRAWDOWN', pause.reason));
    }
  }
  if (rules.consecutiveLosses !== undefined) {
    const pause = consecutiveLossPause(snapshot, rules.consecutiveLosses, nowMs);
    if (pause !== null) pauses.push(pause);
  }

  const close = snapshot.openPositions.flatMap((position) => {
    const why = [...closeAll, ...positionRules(position, rules, nowMs)];
    return why.length === 0 ? [] : [{ positionId: position.positionId, symbol: position.symbol, rules: why }];
  });
  return { close, entries: entryDecision(pauses) };
}

function entryDecision(pauses: readonly EntryPause[]): EntryDecision {
  if (pauses.length === 0) return { paused: false };
  let untilMs = 0;
  for (const pause of pauses) {
    if (pause.until === null) return { paused: true, until: null, pauses };
    untilMs = Math.max(untilMs, Date.parse(pause.until));
  }
  return { paused: true, until: iso(untilMs), pauses };
}
