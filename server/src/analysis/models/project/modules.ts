// Python module files of a project: a file's dotted module name under an import root, the file a
// dotted name resolves to (or the workspace module whose name ends with it, for a process run from
// a subfolder), where a module missing from the workspace would be, and the template beside it
// that the deployment turns into it.
import * as path from 'node:path';
import type { FileSystem } from '../../files/fs';
import type { ScanResult } from '../../files/scan';
import { isTemplateName } from '../../catalogue/templateNames';
import type { SettingsModule } from './types';

/** Dotted module name of `file` relative to `root`, or undefined when it is not importable from there. */
export function moduleNameOf(root: string, file: string): { name: string; isPackage: boolean } | undefined {
  const rel = path.relative(root, file);
  if (rel.startsWith('..') || path.isAbsolute(rel) || !rel.endsWith('.py')) return undefined;
  const parts = rel.slice(0, -3).split(path.sep);
  let isPackage = false;
  if (parts[parts.length - 1] === '__init__') {
    parts.pop();
    isPackage = true;
  }
  if (parts.length === 0 || !parts.every((p) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(p))) return undefined;
  return { name: parts.join('.'), isPackage };
}

/** Resolves a dotted module name under the given roots to a file. */
export function resolveModuleFile(
  fs: FileSystem,
  roots: readonly string[],
  name: string,
  known?: ReadonlySet<string>,
): SettingsModule | undefined {
  const rel = name.split('.');
  for (const root of roots) {
    const base = path.join(root, ...rel);
    const asFile = base + '.py';
    const asPkg = path.join(base, '__init__.py');
    if (known ? known.has(asFile) : fs.exists(asFile)) return { name, file: asFile, isPackage: false };
    if (known ? known.has(asPkg) : fs.exists(asPkg)) return { name, file: asPkg, isPackage: true };
  }
  return undefined;
}

/** Whether `file` is `dir` or inside it. */
export function isInside(dir: string, file: string): boolean {
  return file === dir || file.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);
}

/** The workspace module whose dotted name ends with `name` (the app of a process run from a subfolder). */
export function suffixModule(scan: ScanResult, root: string, name: string): SettingsModule | undefined {
  const tail = path.sep + name.split('.').join(path.sep) + '.py';
  for (const file of scan.pythonFiles) {
    if (!isInside(root, file) || !file.endsWith(tail)) continue;
    return { name, file, isPackage: false };
  }
  return undefined;
}

/** Where a module missing from the workspace would be, when its package exists (settings/config.py). */
export function missingModulePath(fs: FileSystem, roots: readonly string[], name: string): string | undefined {
  const parts = name.split('.');
  if (parts.length < 2) return undefined;
  const pkg = resolveModuleFile(fs, roots, parts.slice(0, -1).join('.'));
  return pkg?.isPackage ? path.join(path.dirname(pkg.file), parts[parts.length - 1]! + '.py') : undefined;
}

/** The template beside a module file the deployment supplies (see isTemplateName), if any. */
export function templateBeside(fs: FileSystem, file: string): string | undefined {
  const stem = path.basename(file, '.py');
  return fs
    .readDir(path.dirname(file))
    .filter((e) => e.isFile && isTemplateName(stem, e.name))
    .map((e) => e.name)
    .sort()[0];
}
