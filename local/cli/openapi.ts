// `npm run openapi`: writes docs/openapi.json from the manifest and the route schemas.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildOpenApiDocument, undocumentedRoutes } from '../../shared/http/openapi.js';
import { REPOSITORY_ROOT } from '../repository-root.js';

const missing = undocumentedRoutes();
if (missing.length > 0) {
  console.error(`No ROUTE_DOCS entry (shared/http/openapi.ts) for: ${missing.join(', ')}`);
  process.exitCode = 1;
} else {
  const path = join(REPOSITORY_ROOT, 'docs/openapi.json');
  writeFileSync(path, `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`);
  console.log(`wrote ${path}`);
}
