// Starts fauxqs, an in-process SQS emulator. fauxqs 1.9.2 (the newest that runs on Node 20) keeps
// queues in memory only: durable state lives in DynamoDB, but messages still in flight when the
// stack stops are lost, and the next start creates the queues afresh.
import { buildApp } from 'fauxqs';
import { PortInUseError } from './ports.js';

export interface SqsEmulator {
  readonly endpoint: string;
  readonly port: number;
  stop(): Promise<void>;
}

export async function startSqsEmulator(options: { port: number; portEnvVar?: string }): Promise<SqsEmulator> {
  try {
    // buildApp + listen rather than startFauxqs, which binds every interface: nothing outside this
    // machine should reach the emulator. Without a configured host, queue URLs take the request's
    // host, so they read http://127.0.0.1:<port>/000000000000/<name>.
    const app = buildApp({ logger: false });
    await app.listen({ port: options.port, host: '127.0.0.1' });
    const address = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : options.port;
    let stopped = false;
    return {
      endpoint: `http://127.0.0.1:${port}`,
      port,
      stop: async () => {
        if (stopped) return;
        stopped = true;
        await app.close();
      },
    };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      const hint = options.portEnvVar ? ` Stop whatever holds it or set ${options.portEnvVar}.` : '';
      throw new PortInUseError(
        `The SQS emulator cannot start: port ${options.port} is already in use.${hint}`,
      );
    }
    throw error;
  }
}
