// The local stand-in for API Gateway's HTTP API: a node:http server that routes each request to the
// function the manifest names, as a payload 2.0 event, and answers the gateway's own errors (404,
// 405, 413, 500) itself. One log line per request: method, path, status, duration.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type InvocationOutcome, invokeFunction, type LoadedFunction } from './function-invoker.js';
import {
  buildHttpEvent,
  type HttpResponse,
  jsonResponse,
  MAX_BODY_BYTES,
  responseFromResult,
} from './http-event.js';
import { buildRoutes, matchRoute } from './http-routes.js';
import { PortInUseError } from './ports.js';
import type { RunnerLog } from './runner-log.js';

export interface HttpFrontDoor {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

export interface HttpFrontDoorOptions {
  readonly functions: ReadonlyMap<string, LoadedFunction>;
  /** 0 picks a free port. */
  readonly port: number;
  readonly region: string;
  readonly log: RunnerLog;
  readonly portEnvVar?: string;
}

const INTERNAL_ERROR = { code: 'INTERNAL', message: 'Internal server error' };

/** Past this, an oversized upload is cut off rather than drained. */
const DRAIN_LIMIT_BYTES = 8 * MAX_BODY_BYTES;

/**
 * The whole body, or 'too-large' once it passes the gateway's limit. An oversized body is still read
 * (and dropped) to its end before the 413 goes out, so the client sees the answer rather than a
 * connection reset in the middle of its upload.
 */
function readBody(request: IncomingMessage): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      else if (size > DRAIN_LIMIT_BYTES) request.destroy();
    });
    request.on('end', () => resolve(size > MAX_BODY_BYTES ? 'too-large' : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, reply: HttpResponse, requestId: string | undefined): void {
  const headers: Record<string, string | string[]> = {
    ...reply.headers,
    'content-length': String(reply.body.length),
  };
  if (requestId) headers['apigw-requestid'] = requestId;
  if (reply.cookies.length > 0) headers['set-cookie'] = [...reply.cookies];
  response.writeHead(reply.statusCode, headers);
  response.end(reply.body);
}

export async function startHttpFrontDoor(options: HttpFrontDoorOptions): Promise<HttpFrontDoor> {
  const { functions, region, log } = options;
  const routes = buildRoutes([...functions.values()].map((f) => f.definition));
  const inFlight = new Set<Promise<void>>();

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const startedAt = Date.now();
    const method = request.method ?? 'GET';
    const rawPath = (request.url ?? '/').split('?')[0] ?? '/';
    let status = 500;
    let requestId: string | undefined;
    try {
      const match = matchRoute(routes, method, rawPath);
      if (match.kind !== 'found') {
        request.resume(); // discard any body
        const reply =
          match.kind === 'not-found'
            ? jsonResponse(404, { code: 'ROUTE.NOT_FOUND', message: `No route for ${method} ${rawPath}` })
            : jsonResponse(
                405,
                { code: 'ROUTE.METHOD_NOT_ALLOWED', message: `${rawPath} does not accept ${method}` },
                { allow: match.allowed.join(', ') },
              );
        status = reply.statusCode;
        send(response, reply, undefined);
        return;
      }
      const body = await readBody(request);
      if (body === 'too-large') {
        status = 413;
        send(
          response,
          jsonResponse(413, {
            code: 'REQUEST.TOO_LARGE',
            message: `The body exceeds ${MAX_BODY_BYTES} bytes`,
          }),
          undefined,
        );
        return;
      }
      const event = buildHttpEvent({
        request,
        route: match.route,
        pathParameters: match.pathParameters,
        body,
        receivedAt: new Date(startedAt),
      });
      requestId = event.requestContext.requestId;
      const fn = functions.get(match.route.functionId);
      const outcome: InvocationOutcome = fn
        ? await invokeFunction(fn, event, region)
        : {
            ok: false,
            error: new Error(`No function ${match.route.functionId}`),
            timedOut: false,
            durationMs: 0,
          };
      let reply: HttpResponse;
      if (outcome.ok) {
        try {
          reply = responseFromResult(outcome.result);
        } catch (error) {
          log.error(`${match.route.functionId} returned a response API Gateway would reject`, error);
          reply = jsonResponse(500, INTERNAL_ERROR);
        }
      } else {
        log.error(
          `${match.route.functionId} ${outcome.timedOut ? 'timed out' : 'failed'} on ${method} ${rawPath}`,
          outcome.error,
        );
        reply = jsonResponse(500, INTERNAL_ERROR);
      }
      status = reply.statusCode;
      send(response, reply, requestId);
    } catch (error) {
      log.error(`front door failed on ${method} ${rawPath}`, error);
      status = 500;
      if (!response.headersSent) send(response, jsonResponse(500, INTERNAL_ERROR), requestId);
      else response.destroy();
    } finally {
      log.info(`${method} ${rawPath} ${status} ${Date.now() - startedAt}ms`);
    }
  };

  const server: Server = createServer((request, response) => {
    const task = handle(request, response);
    inFlight.add(task);
    void task.finally(() => inFlight.delete(task));
  });
  // Lambda-backed requests can take a while; do not let node:http cut them off.
  server.requestTimeout = 0;

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        const hint = options.portEnvVar
          ? ` Stop whatever holds it or set ${options.portEnvVar} (or --port).`
          : '';
        reject(
          new PortInUseError(
            `The HTTP front door cannot start: port ${options.port} is already in use.${hint}`,
          ),
        );
      } else reject(error);
    });
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  let stopped = false;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // Let requests in progress finish (bounded), then drop whatever is left.
      await Promise.race([
        Promise.allSettled([...inFlight]),
        new Promise((r) => setTimeout(r, 5_000).unref()),
      ]);
      server.closeAllConnections();
      await closed;
    },
  };
}
