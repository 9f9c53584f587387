// Ingest: validate, store once, enqueue. The same signal twice is stored once; the same id with
// different content is refused. A signal stored but not yet enqueued (the function died between the
// two writes) is enqueued again when its source retries, so nothing is lost.
import { createHash } from 'node:crypto';
import type { Signal } from '../core/signals/signal.js';
import { Conflict } from '../http/errors.js';
import type { Clock } from '../ports/clock.js';
import type { QueuePublisher } from '../ports/queue-publisher.js';
import type { SignalRepository, StoredSignal } from '../ports/repositories.js';
import type { SignalQueued } from './messages.js';

export interface IngestDeps {
  readonly signals: SignalRepository;
  readonly queue: QueuePublisher;
  readonly clock: Clock;
}

export interface IngestResult {
  readonly signalKey: string;
  readonly duplicate: boolean;
  readonly status: StoredSignal['status'];
}

export function signalKeyOf(signal: Pick<Signal, 'source' | 'signalId'>): string {
  return `${signal.source}:${signal.signalId}`;
}

/** Canonical JSON (sorted keys) so that key order in the request does not change the fingerprint. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function fingerprintOf(signal: Signal): string {
  return createHash('sha256').update(canonical(signal)).digest('hex');
}

export async function ingestSignal(deps: IngestDeps, signal: Signal): Promise<IngestResult> {
  const signalKey = signalKeyOf(signal);
  const fingerprint = fingerprintOf(signal);
  const { created, stored } = await deps.signals.putIfAbsent({
    signalKey,
    signal,
    fingerprint,
    status: 'received',
    receivedAt: deps.clock.now().toISOString(),
  });
  if (!created && stored.fingerprint !== fingerprint) {
    throw new Conflict(
      'SIGNAL.ID_REUSED',
      `Signal ${signal.signalId} was already received with different content`,
    );
  }
  if (stored.status !== 'received') {
    return { signalKey, duplicate: !created, status: stored.status };
  }
  const message: SignalQueued = { signalKey };
  await deps.queue.send('signals', [{ body: message, idempotencyKey: signalKey, correlationId: signalKey }]);
  await deps.signals.markStatus(signalKey, 'enqueued');
  return { signalKey, duplicate: !created, status: 'enqueued' };
}
