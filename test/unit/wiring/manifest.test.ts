import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FUNCTIONS } from '../../../shared/wiring/manifest.js';
import { QUEUES } from '../../../shared/wiring/resources.js';

describe('wiring manifest', () => {
  it('has unique function ids and unique HTTP routes', () => {
    const ids = FUNCTIONS.map((f) => f.id);
    expect(new Set(ids).size).toBe(ids.length);
    const routes = FUNCTIONS.flatMap((f) =>
      f.trigger.kind === 'http' ? [`${f.trigger.method} ${f.trigger.path}`] : [],
    );
    expect(new Set(routes).size).toBe(routes.length);
  });

  it.each(FUNCTIONS.map((f) => [f.id, f] as const))(
    '%s points at an entry file that exports a handler',
    (_id, fn) => {
      expect(existsSync(fn.entry)).toBe(true);
      expect(readFileSync(fn.entry, 'utf8')).toMatch(/export const handler\b/);
    },
  );

  it('gives each queue exactly one consumer, with a batch FIFO queues allow', () => {
    const consumers = FUNCTIONS.flatMap((f) => (f.trigger.kind === 'queue' ? [f.trigger] : []));
    for (const queue of Object.values(QUEUES)) {
      const mine = consumers.filter((c) => c.queue === queue.id);
      expect(mine.length, `consumers of ${queue.id}`).toBeLessThanOrEqual(1);
      for (const c of mine) {
        if (queue.fifo) {
          expect(c.batchSize).toBeLessThanOrEqual(10);
          expect(c.maxBatchingWindowSeconds).toBeUndefined();
        }
      }
    }
  });

  it("keeps each queue's visibility timeout at or above its consumer's timeout", () => {
    for (const fn of FUNCTIONS) {
      if (fn.trigger.kind !== 'queue') continue;
      expect(QUEUES[fn.trigger.queue].visibilityTimeoutSeconds).toBeGreaterThanOrEqual(6 * fn.timeoutSeconds);
    }
  });

  it('puts only exchange-calling functions behind the static egress', () => {
    const egress = FUNCTIONS.filter((f) => f.staticEgress).map((f) => f.id);
    expect(egress).toEqual(['CheckExchangeKey', 'AddExchangeAccount', 'ExecuteSignal', 'RunBot']);
  });

  it('keeps local-only helpers off the deployed list', () => {
    expect(FUNCTIONS.filter((f) => f.localOnly).map((f) => f.id)).toEqual([
      'DevLogin',
      'ApiDocs',
      'DevOutbox',
    ]);
  });
});
