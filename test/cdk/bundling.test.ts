// One real synth with esbuild bundling, as `npm run synth` does: every deployed function must bundle
// (an import esbuild cannot resolve fails here, not at deploy time) into an ESM asset of sane size.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../cdk/lib/app.js';
import { deployedFunctions } from '../../shared/wiring/manifest.js';
import { cdkJsonContext } from './stack-fixture.js';

describe('synth with bundling', () => {
  it('bundles every deployed function into an ESM asset under 4 MB', () => {
    const { app, stack } = buildApp({ context: cdkJsonContext() });
    const assembly = app.synth();
    const template = Template.fromStack(stack).toJSON() as {
      Resources: Record<string, { Type: string; Properties?: { Code?: { S3Key?: unknown } } }>;
    };
    const tagged = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function');
    expect(tagged.length).toBeGreaterThanOrEqual(deployedFunctions().length);
    const assets = readdirSync(assembly.directory).filter((d) => d.startsWith('asset.'));
    const bundles = assets
      .map((d) => path.join(assembly.directory, d, 'index.mjs'))
      .filter((file) => existsSync(file));
    expect(bundles.length).toBe(deployedFunctions().length);
    for (const file of bundles) {
      const bytes = statSync(file).size;
      expect(bytes, file).toBeGreaterThan(10_000);
      expect(bytes, file).toBeLessThan(4 * 1024 * 1024);
    }
  });
});
