// Every project of the suite shares one directory of captured output (log-capture.setup.ts) and of
// registered test secrets (test-secrets.ts). At the end, no captured line may contain a secret:
// exchange API secrets must never reach a log, whatever test produced it.
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const dir = join(tmpdir(), `verzek-test-logs-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  process.env.VERZEK_TEST_LOG_DIR = dir;
  return () => {
    if (!existsSync(dir)) return;
    const files = readdirSync(dir);
    const secrets = new Set(
      files
        .filter((f) => f.startsWith('secrets-'))
        .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n'))
        .filter((s) => s.length >= 8),
    );
    const leaks: string[] = [];
    for (const file of files.filter((f) => f.endsWith('.log'))) {
      const text = readFileSync(join(dir, file), 'utf8');
      for (const secret of secrets) {
        if (text.includes(secret))
          leaks.push(`${file}: a registered secret (${secret.slice(0, 3)}…) was logged`);
      }
    }
    if (leaks.length > 0) throw new Error(`Secrets in the test suite's logs:\n${leaks.join('\n')}`);
  };
}
