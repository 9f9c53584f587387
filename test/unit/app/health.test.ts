import { describe, expect, it } from 'vitest';
import { checkHealth, expectedHeartbeats } from '../../../shared/app/health.js';

const now = new Date('2026-11-25T10:00:00Z');
const allBeatingNow = () => expectedHeartbeats().map((h) => ({ name: h.name, at: now.toISOString() }));

function probes(overrides: Partial<Parameters<typeof checkHealth>[0]> = {}) {
  return {
    queues: ['signals', 'execution'] as const,
    clock: { now: () => now },
    tableStatus: async () => 'ACTIVE',
    queueDepth: async () => ({ visible: 0, inFlight: 0, delayed: 0 }),
    heartbeats: async () => allBeatingNow(),
    ...overrides,
  };
}

describe('health', () => {
  it('expects a heartbeat from every schedule rule and every bot in the manifest', () => {
    expect(expectedHeartbeats().map((h) => h.name)).toEqual([
      'schedule:bot-scalping',
      'schedule:bot-trend',
      'schedule:bot-qfl',
      'schedule:bot-ai',
      'bot:scalping',
      'bot:trend',
      'bot:qfl',
      'bot:ai',
    ]);
  });

  it('is ok when everything answers and beats on time', async () => {
    const { httpStatus, body } = await checkHealth(probes());
    expect(httpStatus).toBe(200);
    expect(body.status).toBe('ok');
  });

  it('is degraded (still 200) when a heartbeat is late or has never come', async () => {
    const late = new Date(now.getTime() - 10 * 60_000).toISOString();
    const { httpStatus, body } = await checkHealth(
      probes({
        heartbeats: async () =>
          allBeatingNow()
            .map((b) => (b.name === 'bot:scalping' ? { ...b, at: late } : b))
            .slice(1),
      }),
    );
    expect(httpStatus).toBe(200);
    expect(body.status).toBe('degraded');
    expect(body.heartbeats.find((h) => h.name === 'bot:scalping')?.status).toBe('late');
    expect(body.heartbeats.find((h) => h.name === 'schedule:bot-scalping')?.status).toBe('never');
  });

  it('is down (503) when a queue cannot be reached, naming the error but no internals', async () => {
    const { httpStatus, body } = await checkHealth(
      probes({
        queueDepth: async (q) => {
          if (q === 'execution') throw new TypeError('fetch failed to 10.0.0.1 with secret stuff');
          return { visible: 1, inFlight: 0, delayed: 0 };
        },
      }),
    );
    expect(httpStatus).toBe(503);
    expect(body.status).toBe('down');
    expect(body.queues.execution).toEqual({ status: 'error', error: 'TypeError' });
  });
});
