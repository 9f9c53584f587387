// Four projects, all run by `npm test`: fast unit tests, integration tests against DynamoDB Local
// and fauxqs, assertions on the synthesized CDK template, and the end-to-end walking skeleton.
import { defineConfig } from 'vitest/config';

// Every worker's output is captured, and at the end scanned for the exchange secrets tests used.
const LOG_SCAN = 'test/support/log-scan.global-setup.ts';
const LOG_CAPTURE = 'test/support/log-capture.setup.ts';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
          globalSetup: [LOG_SCAN],
          setupFiles: [LOG_CAPTURE],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          // One DynamoDB Local and one fauxqs for every integration file; each file gets its own table and queues.
          globalSetup: ['test/support/local-engines.global-setup.ts', LOG_SCAN],
          setupFiles: [LOG_CAPTURE],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'cdk',
          include: ['test/cdk/**/*.test.ts'],
          globalSetup: [LOG_SCAN],
          setupFiles: [LOG_CAPTURE],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: [LOG_SCAN],
          setupFiles: [LOG_CAPTURE],
          environment: 'node',
          testTimeout: 90_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
