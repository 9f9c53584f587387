// Solves an ALTCHA challenge as the browser widget would (altcha-lib's solveChallenge) and returns
// the base64 payload the widget submits: `{ challenge, solution }`.
import { type Challenge, solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';

export async function solveAltcha(challenge: Record<string, unknown>, timeoutMs = 60_000): Promise<string> {
  const typed = challenge as unknown as Challenge;
  const solution = await solveChallenge({ challenge: typed, deriveKey, timeout: timeoutMs });
  if (!solution) throw new Error('the ALTCHA challenge was not solved in time');
  const payload = { challenge: { parameters: typed.parameters, signature: typed.signature }, solution };
  return Buffer.from(JSON.stringify(payload)).toString('base64');
}
