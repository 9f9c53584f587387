// The secrets tests hand to the platform (the fake exchanges' API secrets), recorded so the whole
// suite's captured log lines can be scanned for them at the end (test/support/log-scan.global-setup.ts).
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';

export function registerTestSecret(secret: string): void {
  const dir = process.env.VERZEK_TEST_LOG_DIR;
  if (!dir || secret.length < 8) return;
  appendFileSync(join(dir, `secrets-${process.pid}.txt`), `${secret}\n`);
}
