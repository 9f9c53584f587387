// Builds the SQS client once per process; pointed at fauxqs in the local run and in tests.
import { SQSClient } from '@aws-sdk/client-sqs';

export interface SqsConnection {
  readonly region: string;
  /** Set only for the local emulator. */
  readonly endpoint?: string | undefined;
}

export function createSqsClient(conn: SqsConnection): SQSClient {
  return new SQSClient({
    region: conn.region,
    ...(conn.endpoint
      ? { endpoint: conn.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  });
}
