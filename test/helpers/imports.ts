// The files a source file imports, read with TypeScript's own pre-processor (the import, export …
// from, import() and require() specifiers it finds, comments and strings understood as the compiler
// understands them), relative specifiers resolved to files of the tree. Shared by the import-cycle
// and the layering tests.
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { REPO } from './paths';

type PreProcess = (text: string, readImportFiles: boolean, detectJavaScriptImports: boolean) => { importedFiles: { fileName: string }[] };
const ts = createRequire(path.join(REPO, 'package.json'))('typescript') as { preProcessFile: PreProcess };

/** The files a source file imports (relative imports resolved to files of the tree). */
export function importsOf(file: string, text: string): string[] {
  const out: string[] = [];
  for (const { fileName: spec } of ts.preProcessFile(text, true, true).importedFiles) {
    if (!spec.startsWith('.')) continue;
    const base = path.resolve(path.dirname(file), spec);
    const hit = [base, `${base}.ts`, path.join(base, 'index.ts')].find((c) => existsSync(c) && statSync(c).isFile());
    if (hit) out.push(hit);
  }
  return out;
}
