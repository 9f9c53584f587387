// The small set of errors that cross a boundary, each with an HTTP status and a stable code.
// Middleware maps them, once, to `{ code, message, details? }` responses.
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends AppError {
  constructor(code: string, message: string, details?: unknown) {
    super(400, code, message, details);
  }
}

export class Unauthorized extends AppError {
  constructor(code = 'AUTH.UNAUTHORIZED', message = 'Missing or invalid credentials') {
    super(401, code, message, undefined, { 'www-authenticate': 'Bearer' });
  }
}

export class NotFound extends AppError {
  constructor(code: string, message: string) {
    super(404, code, message);
  }
}

export class Conflict extends AppError {
  constructor(code: string, message: string, details?: unknown) {
    super(409, code, message, details);
  }
}

export class UnsupportedMediaType extends AppError {
  constructor() {
    super(415, 'BODY.UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json');
  }
}

/** 429 with Retry-After (seconds): a rate limit or a lockout. */
export class TooManyRequests extends AppError {
  constructor(code: string, message: string, retryAfterSeconds: number) {
    super(429, code, message, undefined, {
      'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))),
    });
  }
}

export class Forbidden extends AppError {
  constructor(code: string, message: string) {
    super(403, code, message);
  }
}
