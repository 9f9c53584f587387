// An HTTP request with an exact, ordered header list (fetch merges repeated headers itself), for
// tests of how the front door turns raw requests into events.
import { request } from 'node:http';

export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

export function rawRequest(
  baseUrl: string,
  options: { path: string; method: string; headers: readonly string[]; body?: Buffer },
): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  // A raw header list gets no defaults: HTTP/1.1 needs the Host header.
  const headers = ['Host', `${hostname}:${port}`, ...options.headers];
  return new Promise((resolve, reject) => {
    const req = request(
      { host: hostname, port, path: options.path, method: options.method, headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}
