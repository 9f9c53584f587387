// GET /api/auth/captcha — a fresh proof-of-work challenge (ALTCHA) for the register and login forms.
// Issuing needs only the signing key; the functions that accept a solution check it and record it as
// used. Never cached: each challenge is good for one request within 10 minutes.
import { captchaWorkFor, createCaptchaChallenge } from '../../../shared/adapters/security/altcha-captcha.js';
import { loadSecret } from '../../../shared/config/secrets.js';
import { httpHandler } from '../../../shared/http/http-handler.js';
import { createLogger } from '../../../shared/observability/logger.js';
import { systemClock } from '../../../shared/ports/clock.js';
import { readFunctionEnv } from '../../../shared/wiring/function-environment.js';
import { functionById } from '../../../shared/wiring/manifest.js';

const fn = functionById('AuthCaptcha');
const env = readFunctionEnv(fn, []);
const logger = createLogger(fn.id);
const work = captchaWorkFor(env.STAGE);

export const handler = httpHandler(logger, async () => {
  const challenge = await createCaptchaChallenge(
    await loadSecret('ALTCHA_HMAC_KEY'),
    systemClock.now(),
    work,
  );
  return { body: challenge };
});
