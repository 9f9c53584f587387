// Every function the manifest names must have its entry file, or `npm run synth` cannot bundle it.
// NOTE: expected to fail while functions/ is still being written; it is the check that it is done.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../cdk/lib/verzek-stack.js';
import { FUNCTIONS } from '../../shared/wiring/manifest.js';

describe('function entry files', () => {
  it.each(FUNCTIONS.map((fn) => [fn.id, fn.entry] as const))(
    '%s has its entry file %s on disk',
    (_id, entry) => {
      expect(existsSync(path.join(REPO_ROOT, entry))).toBe(true);
    },
  );
});
