// `npm run admin:grant -- <email> [--revoke]`: makes a registered user of the local run (DynamoDB
// Local of `npm start`, which must be running) an admin, or a plain user again with --revoke. The
// admin routes also need 2FA on: enroll and confirm it through /api/auth/2fa/*. For the cloud, see
// docs/deploy.md ("Granting the admin role"). Exit codes: 0 done, 1 failed or no such user.
import { DynamoUserAdminRepository } from '../../shared/adapters/dynamodb/admin-repositories.js';
import { createDocumentClient } from '../../shared/adapters/dynamodb/client.js';
import { DynamoUserAuthRepository } from '../../shared/adapters/dynamodb/user-auth-repository.js';
import { setRoleByEmail } from '../../shared/app/admin/admin.js';
import { LOCAL_REGION } from '../local-environment.js';

const args = process.argv.slice(2);
const revoke = args.includes('--revoke');
const email = args.find((a) => !a.startsWith('--'));
const port = process.env.LOCAL_DYNAMODB_PORT ?? '8765';
const tableName = process.env.TABLE_NAME ?? 'verzek-local-main';

async function main(): Promise<void> {
  if (!email) throw new Error('usage: npm run admin:grant -- <email> [--revoke]');
  const db = createDocumentClient({ region: LOCAL_REGION, endpoint: `http://127.0.0.1:${port}` });
  const deps = {
    users: new DynamoUserAuthRepository(db, tableName),
    admin: new DynamoUserAdminRepository(db, tableName),
  };
  const done = await setRoleByEmail(deps, email, revoke ? 'user' : 'admin');
  if (!done) throw new Error(`no registered user ${email} in ${tableName} (demo users cannot be admins)`);
  process.stdout.write(`${email} (${done.userId}) is now ${revoke ? 'a plain user' : 'an admin'}\n`);
  if (!revoke && !done.totpEnabled) {
    process.stdout.write('admin routes answer 403 AUTH.ADMIN_NEEDS_2FA until 2FA is turned on\n');
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`admin:grant: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
