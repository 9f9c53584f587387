// The local stand-in for the EventBridge rate rules: each rule of each scheduled function fires on
// the wall-clock minutes divisible by its everyMinutes (like EventBridge, whole minutes only), and
// once shortly after start so heartbeats and bots beat immediately. The event is exactly what the
// cloud rule's target input builds: { rule, time, detail } (shared/wiring/scheduled-event.ts).
import type { ScheduledInvocation } from '../shared/wiring/scheduled-event.js';
import { invokeFunction, type LoadedFunction } from './function-invoker.js';
import type { RunnerLog } from './runner-log.js';

export interface Scheduler {
  stop(): Promise<void>;
}

export interface SchedulerOptions {
  readonly functions: ReadonlyMap<string, LoadedFunction>;
  readonly region: string;
  readonly log: RunnerLog;
  /** Delay of the first, catch-up firing after start; default 2 s. */
  readonly firstFireDelayMs?: number;
}

const MINUTE_MS = 60_000;

/** The next instant after `nowMs` on a whole minute whose count since the epoch divides by everyMinutes. */
export function nextFireTime(nowMs: number, everyMinutes: number): number {
  const period = Math.max(1, Math.round(everyMinutes)) * MINUTE_MS;
  return (Math.floor(nowMs / period) + 1) * period;
}

/** EventBridge event time: ISO 8601 in UTC, whole seconds. */
export function eventBridgeTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export function startScheduler(options: SchedulerOptions): Scheduler {
  const { region, log } = options;
  const timers = new Set<NodeJS.Timeout>();
  const inFlight = new Set<Promise<void>>();
  let stopped = false;

  const at = (whenMs: number, task: () => void) => {
    const timer = setTimeout(
      () => {
        timers.delete(timer);
        if (!stopped) task();
      },
      Math.max(0, whenMs - Date.now()),
    );
    timers.add(timer);
  };

  const fire = (fn: LoadedFunction, event: ScheduledInvocation) => {
    const run = invokeFunction(fn, event, region).then((outcome) => {
      const id = `${fn.definition.id} (${event.rule})`;
      if (outcome.ok) log.debug(`schedule → ${id}: ok ${outcome.durationMs}ms`);
      else log.error(`schedule → ${id} ${outcome.timedOut ? 'timed out' : 'failed'}`, outcome.error);
    });
    inFlight.add(run);
    void run.finally(() => inFlight.delete(run));
  };

  const startedAt = Date.now();
  for (const fn of options.functions.values()) {
    const { trigger } = fn.definition;
    if (trigger.kind !== 'schedule') continue;
    for (const rule of trigger.rules) {
      const event = (timeMs: number): ScheduledInvocation => ({
        rule: rule.name,
        time: eventBridgeTime(timeMs),
        detail: { ...rule.detail },
      });
      const everyTick = (whenMs: number) => {
        at(whenMs, () => {
          fire(fn, event(whenMs));
          everyTick(nextFireTime(whenMs, rule.everyMinutes));
        });
      };
      const firstAt = startedAt + (options.firstFireDelayMs ?? 2_000);
      at(firstAt, () => fire(fn, event(firstAt)));
      everyTick(nextFireTime(startedAt, rule.everyMinutes));
    }
  }

  return {
    stop: async () => {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await Promise.race([
        Promise.allSettled([...inFlight]),
        new Promise((r) => setTimeout(r, 10_000).unref()),
      ]);
    },
  };
}
