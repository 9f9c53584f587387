// `npm run --silent captcha:solve [-- <api-url>]`: fetches a CAPTCHA challenge from the running
// stack (GET /api/auth/captcha), solves it as the browser widget would, and prints the payload to
// pass as `captcha` to register or login. For curl flows against `npm start`; the local stack asks
// for a fraction of the cloud's work, so it takes well under a second. Exit codes: 0 printed, 1 failed.
import { type Challenge, solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';

const api = (process.argv[2] ?? process.env.API ?? 'http://127.0.0.1:3000').replace(/\/+$/, '');

async function main(): Promise<void> {
  const res = await fetch(`${api}/api/auth/captcha`);
  if (!res.ok) throw new Error(`GET ${api}/api/auth/captcha answered ${res.status}`);
  const challenge = (await res.json()) as Challenge;
  const solution = await solveChallenge({ challenge, deriveKey, timeout: 60_000 });
  if (!solution) throw new Error('the challenge was not solved within 60 s');
  const payload = {
    challenge: { parameters: challenge.parameters, signature: challenge.signature },
    solution,
  };
  process.stdout.write(`${Buffer.from(JSON.stringify(payload)).toString('base64')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`captcha:solve: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
