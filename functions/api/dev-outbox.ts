// GET /api/dev/outbox — local run only: the mails the platform would have sent, newest first, so a
// developer (or an e2e test) can follow a verification link without a mail server. Never deployed
// (localOnly), and it refuses to answer outside STAGE=local even if it were.
import { readOutbox } from '../../shared/adapters/security/mailers.js';
import { NotFound } from '../../shared/http/errors.js';
import { httpHandler } from '../../shared/http/http-handler.js';
import { createLogger } from '../../shared/observability/logger.js';
import { readFunctionEnv } from '../../shared/wiring/function-environment.js';
import { functionById } from '../../shared/wiring/manifest.js';

const fn = functionById('DevOutbox');
const env = readFunctionEnv(fn, ['LOCAL_OUTBOX_DIR']);
const logger = createLogger(fn.id);

export const handler = httpHandler(logger, async () => {
  const dir = env.LOCAL_OUTBOX_DIR;
  if (env.STAGE !== 'local' || !dir) throw new NotFound('ROUTE.NOT_FOUND', 'No such route');
  const mails = await readOutbox(dir);
  return {
    body: {
      items: mails.map((m) => ({
        to: m.to,
        subject: m.subject,
        text: m.text,
        purpose: m.purpose,
        sentAt: m.sentAt,
      })),
    },
  };
});
