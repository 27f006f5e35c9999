// The two parsing libraries of the dependency readers, both ES modules: TypeScript (module Node16)
// will not let a CommonJS file import them, esbuild bundles them either way, so their types are
// imported as ES module types and the values required (esbuild resolves the `require` condition).
import type * as Pep440 from '@renovatebot/pep440' with { 'resolution-mode': 'import' };
import type * as SmolToml from 'smol-toml' with { 'resolution-mode': 'import' };

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const pep440: typeof Pep440 = require('@renovatebot/pep440');
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const toml: typeof SmolToml = require('smol-toml');
