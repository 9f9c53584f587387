// Builds the DynamoDB document client once per process. Numbers are not converted to JS numbers
// on read: money is stored as decimal strings and must never pass through a binary float.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface DynamoConnection {
  readonly region: string;
  /** Set only for DynamoDB Local. */
  readonly endpoint?: string | undefined;
}

export function createDynamoClient(conn: DynamoConnection): DynamoDBClient {
  return new DynamoDBClient({
    region: conn.region,
    ...(conn.endpoint
      ? { endpoint: conn.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  });
}

export function createDocumentClient(conn: DynamoConnection): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(createDynamoClient(conn), {
    marshallOptions: { removeUndefinedValues: true },
  });
}
