// Demo users for the local run: two auto-trading paper accounts and one with auto-trade off (it must
// see no positions). Idempotent: a second start keeps what the first one wrote, balances included.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  DynamoTradingAccountRepository,
  DynamoUserRepository,
} from '../adapters/dynamodb/account-repositories.js';
import { fundPaperAccount } from '../adapters/paper/paper-exchange.js';

export const DEMO_USERS = [
  {
    userId: 'user-demo-alice',
    email: 'alice@demo.verzek.local',
    displayName: 'Alice (demo)',
    autoTrade: true,
  },
  { userId: 'user-demo-bob', email: 'bob@demo.verzek.local', displayName: 'Bob (demo)', autoTrade: true },
  {
    userId: 'user-demo-carol',
    email: 'carol@demo.verzek.local',
    displayName: 'Carol (demo, auto-trade off)',
    autoTrade: false,
  },
] as const;

export const DEMO_STARTING_BALANCE = { USDT: '10000' } as const;

export async function seedDemoData(deps: {
  db: DynamoDBDocumentClient;
  tableName: string;
  now: Date;
}): Promise<{ users: { userId: string; email: string; autoTrade: boolean }[] }> {
  const users = new DynamoUserRepository(deps.db, deps.tableName);
  const accounts = new DynamoTradingAccountRepository(deps.db, deps.tableName);
  for (const demo of DEMO_USERS) {
    if (!(await users.findByEmail(demo.email))) {
      await users.put({
        userId: demo.userId,
        email: demo.email,
        displayName: demo.displayName,
        createdAt: deps.now.toISOString(),
      });
    }
    const accountId = `acc-${demo.userId.replace(/^user-/, '')}-paper`;
    if (!(await accounts.get(demo.userId, accountId))) {
      await accounts.put({
        userId: demo.userId,
        accountId,
        exchange: 'paper',
        mode: 'demo',
        label: 'Paper (demo)',
        autoTrade: demo.autoTrade,
        baseOrderQuote: '100',
        defaultTakeProfitPercent: '1.5',
      });
    }
    await fundPaperAccount(
      deps.db,
      deps.tableName,
      { userId: demo.userId, accountId },
      DEMO_STARTING_BALANCE,
    );
  }
  return { users: DEMO_USERS.map(({ userId, email, autoTrade }) => ({ userId, email, autoTrade })) };
}
