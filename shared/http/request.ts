// Reading an HTTP API (payload v2) request: the JSON body through a zod schema, and query values.
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { z } from 'zod';
import { UnsupportedMediaType, ValidationError } from './errors.js';

/** Zod issues as `{ path, message }`, the shape every 400 carries in `details`. */
export function describeIssues(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({ path: issue.path.join('.') || '(body)', message: issue.message }));
}

export function parseJsonBody<S extends z.ZodType>(event: APIGatewayProxyEventV2, schema: S): z.infer<S> {
  const contentType = event.headers['content-type'] ?? '';
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType)) throw new UnsupportedMediaType();
  const text = event.isBase64Encoded
    ? Buffer.from(event.body ?? '', 'base64').toString('utf8')
    : (event.body ?? '');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new ValidationError('BODY.INVALID_JSON', 'The body is not valid JSON');
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new ValidationError(
      'BODY.INVALID',
      'The body does not match the expected shape',
      describeIssues(parsed.error),
    );
  }
  return parsed.data;
}

export function parseQuery<S extends z.ZodType>(event: APIGatewayProxyEventV2, schema: S): z.infer<S> {
  const parsed = schema.safeParse(event.queryStringParameters ?? {});
  if (!parsed.success) {
    throw new ValidationError('QUERY.INVALID', 'The query string is not valid', describeIssues(parsed.error));
  }
  return parsed.data;
}

/** The caller's IP as API Gateway saw it (the local front door fills the same field). */
export function clientIp(event: APIGatewayProxyEventV2): string {
  return event.requestContext?.http?.sourceIp ?? 'unknown';
}
