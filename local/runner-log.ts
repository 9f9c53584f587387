// The local runner's own log lines (requests, pollers, start-up), kept human-readable because they are
// read in a terminal; the handlers' structured JSON logs pass through untouched.

export type RunnerLogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface RunnerLogLine {
  readonly level: RunnerLogLevel;
  readonly message: string;
  readonly error?: unknown;
}

export interface RunnerLog {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string, error?: unknown): void;
  error(message: string, error?: unknown): void;
}

export interface RunnerLogOptions {
  /** Print debug lines too (`npm start -- --verbose`). */
  readonly verbose?: boolean;
  /** Print nothing below error. */
  readonly quiet?: boolean;
  /** Print nothing at all; pair it with `sink` in tests that provoke failures on purpose. */
  readonly silent?: boolean;
  /** Receives every line, whatever the level; tests use it to assert what was logged. */
  readonly sink?: (line: RunnerLogLine) => void;
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}

export function createRunnerLog(options: RunnerLogOptions = {}): RunnerLog {
  const print = (line: RunnerLogLine) => {
    options.sink?.(line);
    if (options.silent) return;
    if (line.level === 'debug' && !options.verbose) return;
    if (options.quiet && line.level !== 'error') return;
    const text = `[local] ${line.message}${line.error === undefined ? '' : `\n${describeError(line.error)}`}`;
    if (line.level === 'error' || line.level === 'warn') console.error(text);
    else console.log(text);
  };
  return {
    debug: (message) => print({ level: 'debug', message }),
    info: (message) => print({ level: 'info', message }),
    warn: (message, error) => print({ level: 'warn', message, error }),
    error: (message, error) => print({ level: 'error', message, error }),
  };
}
