// Runs in every test worker: copies everything written to stdout/stderr (the handlers' JSON log
// lines, through Powertools) and to the console into this worker's file in VERZEK_TEST_LOG_DIR, for
// the end-of-suite scan for secrets.
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';

const dir = process.env.VERZEK_TEST_LOG_DIR;
const marker = Symbol.for('verzek.logCapture');
const state = globalThis as unknown as Record<symbol, boolean>;

if (dir && !state[marker]) {
  state[marker] = true;
  const file = join(dir, `worker-${process.pid}.log`);
  const keep = (chunk: unknown) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    appendFileSync(file, text);
  };
  // A test may swap `write` for its own capture (and put it back later): whatever is assigned is
  // wrapped too, so nothing written while it is in place escapes the scan.
  for (const stream of [process.stdout, process.stderr]) {
    const wrap =
      (write: (...args: unknown[]) => boolean) =>
      (chunk: unknown, ...rest: unknown[]) => {
        keep(chunk);
        return write(chunk, ...rest);
      };
    let current = wrap(stream.write.bind(stream) as (...args: unknown[]) => boolean);
    Object.defineProperty(stream, 'write', {
      configurable: true,
      get: () => current,
      set: (write: (...args: unknown[]) => boolean) => {
        current = wrap(write);
      },
    });
  }
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    const original = console[level].bind(console);
    console[level] = (...args: unknown[]) => {
      keep(`${format(...args)}\n`);
      original(...args);
    };
  }
}
