// Seeds the demo users through the application's own use case (shared/app/seed-demo-data.ts), which
// is idempotent, so every start calls it. Imported lazily, after the stack has set process.env, so
// nothing it pulls in can read the environment before the environment exists.
import { createDocumentClient } from '../shared/adapters/dynamodb/client.js';

export interface SeededUser {
  readonly userId: string;
  readonly email: string;
  /** Whether the user's account trades signals automatically (it then gets positions). */
  readonly autoTrade: boolean;
}

export interface SeedInput {
  readonly dynamoEndpoint: string;
  readonly region: string;
  readonly tableName: string;
}

export async function seedDemoUsers(input: SeedInput): Promise<SeededUser[]> {
  const { seedDemoData } = await import('../shared/app/seed-demo-data.js');
  const db = createDocumentClient({ region: input.region, endpoint: input.dynamoEndpoint });
  try {
    const { users } = await seedDemoData({ db, tableName: input.tableName, now: new Date() });
    return users;
  } finally {
    db.destroy();
  }
}
