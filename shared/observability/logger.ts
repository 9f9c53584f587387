// Structured JSON logs (Powertools). A correlation id follows a signal from ingest to every order it
// causes. Never log a secret, a token, an API key or a request body that may carry one.
import { Logger } from '@aws-lambda-powertools/logger';

export function createLogger(serviceName: string): Logger {
  return new Logger({
    serviceName,
    logLevel: (process.env.LOG_LEVEL as 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | undefined) ?? 'INFO',
  });
}
