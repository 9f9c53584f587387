// How an exchange's answer to a key check reads over HTTP, the same for every route that checks a
// key (the check alone, and adding an account). The gateway's messages carry no credentials.
import type { ExchangeError } from '../ports/exchange-gateway.js';
import { AppError } from './errors.js';

export function exchangeErrorAsHttp(error: ExchangeError): AppError {
  switch (error.kind) {
    case 'auth':
    case 'permission':
      return new AppError(422, 'EXCHANGE_KEY.REFUSED', `The exchange refused this key: ${error.message}`);
    case 'rate-limited':
      return new AppError(
        429,
        'EXCHANGE.RATE_LIMITED',
        'The exchange asks us to slow down; try again shortly',
        undefined,
        {
          'retry-after': String(Math.ceil((error.retryAfterMs ?? 5_000) / 1000)),
        },
      );
    case 'exchange-unavailable':
    case 'network-timeout':
      return new AppError(
        503,
        'EXCHANGE.UNAVAILABLE',
        'The exchange could not be reached; try again shortly',
      );
    default:
      return new AppError(
        502,
        'EXCHANGE.UNEXPECTED_REPLY',
        `The exchange answered unexpectedly: ${error.message}`,
      );
  }
}
