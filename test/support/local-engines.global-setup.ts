// Vitest globalSetup: starts DynamoDB Local and fauxqs once for the whole project and hands their
// endpoints to every test file (startLocalServices() then gives each file its own table and queues
// on them). One JVM instead of one per file: on two cores that saves ~2-4 s per integration file.
// Enable it per project in vitest.config.ts: globalSetup: ['test/support/local-engines.global-setup.ts'].
import type { TestProject } from 'vitest/node';
import { type LocalEngineEndpoints, startLocalEngines } from './local-engines.js';

declare module 'vitest' {
  export interface ProvidedContext {
    verzekLocalEngines?: LocalEngineEndpoints;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const engines = await startLocalEngines();
  project.provide('verzekLocalEngines', {
    dynamoEndpoint: engines.dynamoEndpoint,
    sqsEndpoint: engines.sqsEndpoint,
  });
  return () => engines.stop();
}
