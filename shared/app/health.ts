// Health: can we reach the table and every queue, and is every scheduled function beating on time?
// Expected heartbeats come from the wiring manifest, so a new schedule is watched without extra code.
import type { Clock } from '../ports/clock.js';
import type { Heartbeat } from '../ports/repositories.js';
import { BOTS, FUNCTIONS } from '../wiring/manifest.js';
import type { QueueId } from '../wiring/resources.js';

export interface QueueDepth {
  readonly visible: number;
  readonly inFlight: number;
  readonly delayed: number;
}

export interface HealthProbes {
  readonly tableStatus: () => Promise<string>;
  readonly queueDepth: (queue: QueueId) => Promise<QueueDepth>;
  readonly heartbeats: () => Promise<Heartbeat[]>;
  readonly queues: readonly QueueId[];
  readonly clock: Clock;
}

export interface ExpectedHeartbeat {
  readonly name: string;
  readonly everySeconds: number;
}

export function expectedHeartbeats(): ExpectedHeartbeat[] {
  const expected: ExpectedHeartbeat[] = [];
  for (const fn of FUNCTIONS) {
    if (fn.trigger.kind === 'schedule') {
      for (const rule of fn.trigger.rules)
        expected.push({ name: `schedule:${rule.name}`, everySeconds: rule.everyMinutes * 60 });
    }
  }
  for (const bot of BOTS) expected.push({ name: `bot:${bot.name}`, everySeconds: bot.cadenceSeconds });
  return expected;
}

type Check<T> = ({ status: 'ok' } & T) | { status: 'error'; error: string };

async function check<T extends object>(probe: () => Promise<T>): Promise<Check<T>> {
  try {
    return { status: 'ok', ...(await probe()) };
  } catch (error) {
    return { status: 'error', error: error instanceof Error ? error.name : 'unknown' };
  }
}

export async function checkHealth(probes: HealthProbes) {
  const now = probes.clock.now();
  const [table, beats, ...queueChecks] = await Promise.all([
    check(async () => ({ tableStatus: await probes.tableStatus() })),
    check(async () => ({ items: await probes.heartbeats() })),
    ...probes.queues.map((q) => check(() => probes.queueDepth(q))),
  ]);
  const queues = Object.fromEntries(probes.queues.map((q, i) => [q, queueChecks[i]]));
  const seen = new Map((beats.status === 'ok' ? beats.items : []).map((b) => [b.name, b]));
  const heartbeats = expectedHeartbeats().map(({ name, everySeconds }) => {
    const beat = seen.get(name);
    if (!beat) return { name, everySeconds, status: 'never' as const };
    const ageSeconds = Math.round((now.getTime() - Date.parse(beat.at)) / 1000);
    // Late after three missed beats plus slack for a cold start.
    const status = ageSeconds > everySeconds * 3 + 30 ? ('late' as const) : ('ok' as const);
    return { name, everySeconds, lastBeatAt: beat.at, ageSeconds, status };
  });
  const reachable =
    table.status === 'ok' && table.tableStatus === 'ACTIVE' && queueChecks.every((q) => q?.status === 'ok');
  const punctual = beats.status === 'ok' && heartbeats.every((h) => h.status === 'ok');
  return {
    httpStatus: reachable ? 200 : 503,
    body: {
      status: !reachable ? 'down' : punctual ? 'ok' : 'degraded',
      checkedAt: now.toISOString(),
      table,
      queues,
      heartbeats,
    },
  };
}
