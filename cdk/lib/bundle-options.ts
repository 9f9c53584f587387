// The esbuild options every Lambda bundle is built with, shared by the CDK app and the bundle bench
// so the figures in docs/benchmarks.md measure what is deployed.

// ESM bundles have no `require`; some CommonJS dependencies still call it, so give them one.
export const ESM_REQUIRE_SHIM =
  "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

/**
 * Left out of every bundle: modules ccxt's base class loads with a dynamic import only for exchanges
 * we do not trade (dYdX's protobuf types, MEXC's protobuf decoder). Bundled, they would need the
 * optional `protobufjs` peer; left out, the import would fail only if such an exchange were used.
 */
export const BUNDLE_EXTERNALS: readonly string[] = [
  '*/dydx-v4-client/registry.js',
  '*/v1beta1/tx.js',
  '*/v1beta1/signing.js',
  '*/protobuf/mexc/compiled.cjs',
];
