// Builds the SQS client once per process; pointed at fauxqs in the local run and in tests.
import { SQSClient } from '@aws-sdk/client-sqs';
import { checkSqsAccess } from '../access-guard.js';

export interface SqsConnection {
  readonly region: string;
  /** Set only for the local emulator. */
  readonly endpoint?: string | undefined;
}

export function createSqsClient(conn: SqsConnection): SQSClient {
  const client = new SQSClient({
    region: conn.region,
    ...(conn.endpoint
      ? { endpoint: conn.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  });
  client.middlewareStack.add(
    (next, context) => (args) => {
      const input = args.input as { QueueUrl?: string };
      checkSqsAccess(context.commandName ?? '', input.QueueUrl);
      return next(args);
    },
    { step: 'initialize', name: 'verzekAccessGuard' },
  );
  return client;
}
