// The front door's route table, built from the manifest's http triggers as the API Gateway routes
// are (cdk/lib/api.ts). Paths match exactly, segment by segment; `{name}` captures one segment and
// `{name+}` the rest of the path, as in API Gateway route keys.
import type { FunctionDefinition, HttpMethod } from '../shared/wiring/manifest.js';

export interface Route {
  readonly method: HttpMethod;
  readonly path: string;
  /** "POST /api/house-signals/ingest", as API Gateway's routeKey. */
  readonly routeKey: string;
  readonly functionId: string;
  readonly pattern: RegExp;
  readonly parameterNames: readonly string[];
}

export type RouteMatch =
  | {
      readonly kind: 'found';
      readonly route: Route;
      readonly pathParameters: Record<string, string> | undefined;
    }
  | { readonly kind: 'method-not-allowed'; readonly allowed: readonly HttpMethod[] }
  | { readonly kind: 'not-found' };

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function compilePath(path: string): { pattern: RegExp; parameterNames: string[] } {
  const parameterNames: string[] = [];
  const source = path
    .split('/')
    .map((segment) => {
      const param = /^\{([A-Za-z0-9_]+)(\+?)\}$/.exec(segment);
      if (!param?.[1]) return escapeRegExp(segment);
      parameterNames.push(param[1]);
      return param[2] === '+' ? '(.+)' : '([^/]+)';
    })
    .join('/');
  return { pattern: new RegExp(`^${source}$`), parameterNames };
}

export function buildRoutes(definitions: readonly FunctionDefinition[]): Route[] {
  const routes: Route[] = [];
  for (const definition of definitions) {
    const { trigger } = definition;
    if (trigger.kind !== 'http') continue;
    const routeKey = `${trigger.method} ${trigger.path}`;
    const clash = routes.find((r) => r.routeKey === routeKey);
    if (clash)
      throw new Error(`Route ${routeKey} is declared by both ${clash.functionId} and ${definition.id}`);
    routes.push({
      method: trigger.method,
      path: trigger.path,
      routeKey,
      functionId: definition.id,
      ...compilePath(trigger.path),
    });
  }
  // Literal paths win over parameterised ones, as in API Gateway ("most specific route").
  return routes.sort((a, b) => a.parameterNames.length - b.parameterNames.length);
}

function decodeSegment(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export function matchRoute(routes: readonly Route[], method: string, rawPath: string): RouteMatch {
  const allowed: HttpMethod[] = [];
  for (const route of routes) {
    const match = route.pattern.exec(rawPath);
    if (!match) continue;
    if (route.method !== method) {
      allowed.push(route.method);
      continue;
    }
    const pathParameters =
      route.parameterNames.length === 0
        ? undefined
        : Object.fromEntries(
            route.parameterNames.map((name, i) => [name, decodeSegment(match[i + 1] ?? '')]),
          );
    return { kind: 'found', route, pathParameters };
  }
  return allowed.length > 0 ? { kind: 'method-not-allowed', allowed } : { kind: 'not-found' };
}
