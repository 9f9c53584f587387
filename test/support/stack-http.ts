// One JSON request to a running local stack, as the end-to-end suites make them: an optional JSON
// body (a string goes as it is, e.g. a body that was signed byte for byte), an optional bearer
// token, extra headers; the answer with its text and its parsed JSON.
export interface StackAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly body: Record<string, unknown>;
}

export interface StackRequest {
  readonly body?: unknown;
  readonly bearer?: string | undefined;
  readonly headers?: Readonly<Record<string, string>>;
}

export async function callStack(
  baseUrl: string,
  method: string,
  path: string,
  request: StackRequest = {},
): Promise<StackAnswer> {
  const { body, bearer, headers } = request;
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
      ...headers,
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    text,
    body: (text ? JSON.parse(text) : {}) as Record<string, unknown>,
  };
}
