// docs/openapi.json is generated (`npm run openapi`): it must match what the code builds today, and
// every HTTP route of the manifest must be in it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPOSITORY_ROOT } from '../../../local/repository-root.js';
import { buildOpenApiDocument, undocumentedRoutes } from '../../../shared/http/openapi.js';
import { FUNCTIONS } from '../../../shared/wiring/manifest.js';

describe('OpenAPI document', () => {
  it('documents every HTTP route of the manifest', () => {
    expect(undocumentedRoutes()).toEqual([]);
    const paths = buildOpenApiDocument().paths as Record<string, Record<string, unknown>>;
    for (const fn of FUNCTIONS) {
      if (fn.trigger.kind !== 'http') continue;
      expect(paths[fn.trigger.path]?.[fn.trigger.method.toLowerCase()], fn.id).toBeDefined();
    }
  });

  it('is what docs/openapi.json holds (run `npm run openapi` after changing a route)', () => {
    const onDisk = JSON.parse(readFileSync(join(REPOSITORY_ROOT, 'docs/openapi.json'), 'utf8')) as unknown;
    expect(onDisk).toEqual(JSON.parse(JSON.stringify(buildOpenApiDocument())));
  });

  it('describes request bodies from the zod schemas, strict ones closed to extra fields', () => {
    const paths = buildOpenApiDocument().paths as Record<string, Record<string, { requestBody?: unknown }>>;
    const body = JSON.stringify(paths['/api/exchange-accounts']?.post?.requestBody);
    expect(body).toContain('"apiKey"');
    expect(body).toContain('"additionalProperties":false');
  });
});
