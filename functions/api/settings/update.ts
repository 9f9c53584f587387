// PUT /api/settings — replaces the caller's settings: { expectedVersion, settings, totpCode? |
// recoveryCode? }. A stale version answers 409 with the current one, so the client can reload and
// reapply. With 2FA on, a save that raises risk needs the second factor (403 naming the changes).
import { documentClientFor } from '../../../shared/adapters/clients.js';
import { DynamoSettingsRepository } from '../../../shared/adapters/dynamodb/settings-repository.js';
import { secondFactorCheckFor } from '../../../shared/adapters/second-factor.js';
import { DynamoAuditLog } from '../../../shared/adapters/security/dynamo-audit-log.js';
import { SettingsVersionConflict, updateSettings } from '../../../shared/app/settings/user-settings.js';
import { userAuthenticator } from '../../../shared/http/authenticate.js';
import { Conflict } from '../../../shared/http/errors.js';
import { httpHandler } from '../../../shared/http/http-handler.js';
import { clientIp, parseJsonBody } from '../../../shared/http/request.js';
import { updateSettingsBody } from '../../../shared/http/route-schemas.js';
import { createLogger } from '../../../shared/observability/logger.js';
import { systemClock } from '../../../shared/ports/clock.js';
import {
  readFunctionEnv,
  SECRET_BOX_ENV,
  USER_ROUTE_ENV,
} from '../../../shared/wiring/function-environment.js';
import { functionById } from '../../../shared/wiring/manifest.js';

const fn = functionById('UpdateSettings');
const env = readFunctionEnv(fn, [...USER_ROUTE_ENV, ...SECRET_BOX_ENV]);
const logger = createLogger(fn.id);
const db = documentClientFor(env);
const deps = {
  settings: new DynamoSettingsRepository(db, env.TABLE_NAME),
  audit: new DynamoAuditLog(db, env.TABLE_NAME),
  secondFactor: secondFactorCheckFor(db, env.TABLE_NAME, env),
};
const authenticate = userAuthenticator(env);

const bodySchema = updateSettingsBody;

export const handler = httpHandler(logger, async (event) => {
  const userId = await authenticate(event);
  const body = parseJsonBody(event, bodySchema);
  try {
    const stored = await updateSettings(deps, userId, body, {
      at: systemClock.now().toISOString(),
      ip: clientIp(event),
    });
    return { body: stored };
  } catch (error) {
    if (error instanceof SettingsVersionConflict) {
      throw new Conflict('SETTINGS.VERSION_CONFLICT', error.message, {
        currentVersion: error.currentVersion,
      });
    }
    throw error;
  }
});
