// Port checks for the local engines: find a free port for tests, and turn "address in use" into a
// message that says which service wanted the port and how to choose another.
import { createServer } from 'node:net';

export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
}

function listenOnce(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    // No host: bind every interface, as DynamoDB Local and fauxqs do, so any listener conflicts.
    server.listen({ port, exclusive: true }, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address !== null ? address.port : port;
      server.close(() => resolve(bound));
    });
  });
}

/** A port that was free a moment ago (the OS picks it). */
export function findFreePort(): Promise<number> {
  return listenOnce(0);
}

/** Throws a PortInUseError naming the service and the variable that moves it. */
export async function ensurePortFree(port: number, service: string, envVar?: string): Promise<void> {
  try {
    await listenOnce(port);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    const hint = envVar
      ? ` Stop whatever holds it (another \`npm start\`?) or set ${envVar} to another port.`
      : '';
    throw new PortInUseError(`${service} cannot start: port ${port} is already in use.${hint}`);
  }
}
