// `npm run signal:post -- [--port <n>] [<signal.json> | -]`: posts a house signal to the running
// local stack (`npm start`) as the house engine would: the bearer token from .local/house-engine-token
// and the exact body bytes signed with .local/house-signing-secret (X-Verzek-Timestamp,
// X-Verzek-Signature; shared/http/request-signature.ts). Reads the JSON from the file, or from stdin
// when no file (or "-") is given. Prints the status and the answer. Exit codes: 0 for a 2xx, 1 otherwise.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { signHouseRequest } from '../../shared/http/request-signature.js';
import { REPOSITORY_ROOT } from '../repository-root.js';
import { readHouseCredentials } from '../secrets.js';

const USAGE = `Usage: npm run signal:post -- [--port <n>] [--secrets-dir <dir>] [<signal.json> | -]

  <signal.json>        the signal to post; stdin when omitted or "-"
  --port <n>           port of the running \`npm start\` (default: $PORT or 3000)
  --secrets-dir <dir>  where the house token and signing secret are (default: .local/)`;

const ROUTE = '/api/house-signals/ingest';

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks);
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: {
      port: { type: 'string' },
      'secrets-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (positionals.length > 1) throw new Error(`one signal file at most\n${USAGE}`);
  const port = values.port ?? process.env.PORT ?? '3000';
  if (!/^\d{1,5}$/.test(port) || Number(port) > 65535)
    throw new Error(`--port must be a port number, got "${port}"`);

  const file = positionals[0];
  // The bytes as they are: the signature covers exactly what is sent.
  const body = file === undefined || file === '-' ? await readStdin() : await readFile(file);
  if (body.length === 0) throw new Error(`no signal given (empty ${file ?? 'stdin'})\n${USAGE}`);
  const { token, signingSecret } = await readHouseCredentials(
    values['secrets-dir'] ?? join(REPOSITORY_ROOT, '.local'),
  );

  const url = `http://127.0.0.1:${port}${ROUTE}`;
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        ...signHouseRequest(signingSecret, body, new Date()),
      },
      body,
    });
  } catch {
    throw new Error(`nothing answers at ${url}: is \`npm start\` running on port ${port}?`);
  }
  const text = await res.text();
  let shown = text;
  try {
    shown = JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    // not JSON: print it as it came
  }
  process.stdout.write(`${res.status} ${res.statusText}\n${shown}\n`);
  if (!res.ok) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`signal:post: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
