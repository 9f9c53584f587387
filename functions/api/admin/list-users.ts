// GET /api/admin/users?limit=&cursor= — admins (with 2FA) only: a page of users' account state
// (id, email, status, role, created, 2FA); never a hash or a secret.
import { documentClientFor } from '../../../shared/adapters/clients.js';
import { DynamoUserAdminRepository } from '../../../shared/adapters/dynamodb/admin-repositories.js';
import { DynamoUserAuthRepository } from '../../../shared/adapters/dynamodb/user-auth-repository.js';
import { adminListUsers, adminListUsersQuery } from '../../../shared/app/admin/admin.js';
import { userAuthenticator } from '../../../shared/http/authenticate.js';
import { httpHandler } from '../../../shared/http/http-handler.js';
import { parseQuery } from '../../../shared/http/request.js';
import { createLogger } from '../../../shared/observability/logger.js';
import { readFunctionEnv } from '../../../shared/wiring/function-environment.js';
import { functionById } from '../../../shared/wiring/manifest.js';

const fn = functionById('AdminListUsers');
const env = readFunctionEnv(fn, ['TABLE_NAME', 'JWT_PUBLIC_JWKS', 'JWT_ISSUER', 'JWT_AUDIENCE']);
const logger = createLogger(fn.id);
const db = documentClientFor(env);
const authenticate = userAuthenticator(env);
const deps = {
  users: new DynamoUserAuthRepository(db, env.TABLE_NAME),
  admin: new DynamoUserAdminRepository(db, env.TABLE_NAME),
};

export const handler = httpHandler(logger, async (event) => {
  const userId = await authenticate(event);
  const query = parseQuery(event, adminListUsersQuery);
  const page = await adminListUsers(deps, userId, query);
  logger.info('admin listed users', { userId, count: page.items.length });
  return { body: page };
});
