// POST /api/dev/login — local run only: an access token for a seeded demo user, by email, so the
// walking skeleton can be driven before real sign-in exists. Never deployed (localOnly), and it
// refuses to answer outside STAGE=local even if it were.
import { documentClientFor } from '../../shared/adapters/clients.js';
import { DynamoUserRepository } from '../../shared/adapters/dynamodb/account-repositories.js';
import { issueAccessToken } from '../../shared/app/access-tokens.js';
import { loadSecret } from '../../shared/config/secrets.js';
import { NotFound, Unauthorized } from '../../shared/http/errors.js';
import { httpHandler } from '../../shared/http/http-handler.js';
import { parseJsonBody } from '../../shared/http/request.js';
import { devLoginBody } from '../../shared/http/route-schemas.js';
import { createLogger } from '../../shared/observability/logger.js';
import { systemClock } from '../../shared/ports/clock.js';
import { readFunctionEnv } from '../../shared/wiring/function-environment.js';
import { functionById } from '../../shared/wiring/manifest.js';

const fn = functionById('DevLogin');
const env = readFunctionEnv(fn, ['TABLE_NAME', 'JWT_ISSUER', 'JWT_AUDIENCE']);
const logger = createLogger(fn.id);
const users = new DynamoUserRepository(documentClientFor(env), env.TABLE_NAME);
const TOKEN_TTL_SECONDS = 3600;

const bodySchema = devLoginBody;

export const handler = httpHandler(logger, async (event) => {
  if (env.STAGE !== 'local') throw new NotFound('ROUTE.NOT_FOUND', 'No such route');
  const { email } = parseJsonBody(event, bodySchema);
  const user = await users.findByEmail(email);
  if (!user) throw new Unauthorized('AUTH.UNKNOWN_DEMO_USER', 'No seeded demo user has this email');
  const accessToken = await issueAccessToken(
    {
      privateJwk: await loadSecret('JWT_PRIVATE_KEY'),
      issuer: env.JWT_ISSUER,
      audience: env.JWT_AUDIENCE,
      ttlSeconds: TOKEN_TTL_SECONDS,
    },
    user.userId,
    systemClock.now(),
  );
  return { body: { accessToken, tokenType: 'Bearer', expiresIn: TOKEN_TTL_SECONDS, userId: user.userId } };
});
