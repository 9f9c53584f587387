// Builds the DynamoDB document client once per process. Money is stored as decimal strings, never
// as DynamoDB numbers, so no amount passes through a binary float on read.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { checkDynamoAccess } from '../access-guard.js';

export interface DynamoConnection {
  readonly region: string;
  /** Set only for DynamoDB Local. */
  readonly endpoint?: string | undefined;
}

export function createDynamoClient(conn: DynamoConnection): DynamoDBClient {
  const client = new DynamoDBClient({
    region: conn.region,
    ...(conn.endpoint
      ? { endpoint: conn.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  });
  client.middlewareStack.add(
    (next, context) => (args) => {
      checkDynamoAccess(context.commandName ?? '');
      return next(args);
    },
    { step: 'initialize', name: 'verzekAccessGuard' },
  );
  return client;
}

export function createDocumentClient(conn: DynamoConnection): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(createDynamoClient(conn), {
    marshallOptions: { removeUndefinedValues: true },
  });
}
