// The variables a deployment runbook (DEPLOY.md, docs/deploy*.md, docs/production*.md, a README's
// code blocks) or a committed deploy script (deploy*.sh) sets with the platform's command line
// (readers/platformCommands.ts: `dokku config:set myapp IN_PRODUCTION=True`, `heroku config:set …`):
// production's environment as the runbook sets it, for the platform the repository deploys to —
// a command for Dokku or Heroku beside a Procfile or app.json, cf beside a Cloud Foundry manifest,
// fly beside fly.toml, railway beside its file, and any of them when the repository shows no
// platform —, never a command for an app named for another environment (`myapp-staging`).
import * as path from 'node:path';
import { type CommandPlatform, NON_PRODUCTION_APP_WORDS } from '../../catalogue/platformCommands';
import type { Loc } from '../../eval/values';
import { filledInWhereDeployed } from '../../secrets/templateValues';
import type { FileSystem } from '../../files/fs';
import {
  mentionsPlatformCommand,
  type PlatformCommand,
  platformCommandsOfMarkdown,
  platformCommandsOfScript,
} from '../../readers/platformCommands';
import type { DjangoProject } from '../project/model';

export interface RunbookVariable {
  readonly name: string;
  /** As the runbook writes it; undefined when it is not a literal, or two commands set it differently. */
  readonly value?: string;
  readonly loc: Loc;
}

export interface RunbookFile {
  readonly file: string;
  /** "dokku config:set". */
  readonly commands: readonly string[];
  readonly variables: number;
}

export interface RunbookEnvironment {
  readonly variables: ReadonlyMap<string, RunbookVariable>;
  readonly files: readonly RunbookFile[];
}

/** The platforms each platform file of the repository says production runs on. */
function shownPlatforms(project: DjangoProject): Set<CommandPlatform | 'other'> {
  const out = new Set<CommandPlatform | 'other'>();
  for (const f of project.files) {
    const name = path.basename(f.path);
    if (f.kind === 'procfile' || name === 'app.json' || name === 'heroku.yml') {
      out.add('heroku');
      out.add('dokku');
    } else if (f.kind !== 'config') continue;
    else if (/^fly(\.[\w.-]+)?\.toml$/.test(name)) out.add('fly');
    else if (name === 'manifest.yml' || name === 'manifest.yaml') out.add('cloudfoundry');
    else if (name === 'railway.json' || name === 'railway.toml') out.add('railway');
    else if (
      name === 'render.yaml' ||
      name === 'app.yaml' ||
      name === 'app.yml' ||
      f.path.includes('/.do/') ||
      f.path.includes('clevercloud/')
    )
      out.add('other');
  }
  return out;
}

/** An app, service or environment named for another environment than production (`myapp-staging`). */
function namedForOtherEnvironment(app: string): boolean {
  const words = app.toLowerCase().split(/[-_.:/]/);
  return words.some((w) => NON_PRODUCTION_APP_WORDS.includes(w));
}

const SCRIPT_NAME = /^deploy[\w.-]*\.sh$/i;
const DOC_NAME = /^(deploy|deployment|production)[\w.-]*\.md$/i;
const README_NAME = /^readme[\w.-]*\.md$/i;

/** The runbook files of the project: deploy scripts, deployment docs, READMEs. */
function runbookFiles(fs: FileSystem, project: DjangoProject): { file: string; markdown: boolean; readme: boolean }[] {
  const out = new Map<string, { file: string; markdown: boolean; readme: boolean }>();
  for (const f of project.files) {
    const name = path.basename(f.path);
    if (f.kind === 'shell' && SCRIPT_NAME.test(name)) out.set(f.path, { file: f.path, markdown: false, readme: false });
    else if (f.kind === 'rollback' && DOC_NAME.test(name)) out.set(f.path, { file: f.path, markdown: true, readme: false });
  }
  for (const e of safeReadDir(fs, project.root)) {
    const p = path.join(project.root, e.name);
    if (e.isFile && README_NAME.test(e.name)) out.set(p, { file: p, markdown: true, readme: true });
    if (e.isFile && DOC_NAME.test(e.name) && !out.has(p)) out.set(p, { file: p, markdown: true, readme: false });
  }
  // docs/**/deploy*.md, docs/**/production*.md (three levels at most)
  const walk = (dir: string, depth: number): void => {
    if (depth > 3) return;
    for (const e of safeReadDir(fs, dir).slice(0, 500)) {
      const p = path.join(dir, e.name);
      if (e.isDirectory) walk(p, depth + 1);
      else if (e.isFile && DOC_NAME.test(e.name) && !out.has(p)) out.set(p, { file: p, markdown: true, readme: false });
    }
  };
  walk(path.join(project.root, 'docs'), 0);
  return [...out.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

function safeReadDir(fs: FileSystem, dir: string): { name: string; isFile: boolean; isDirectory: boolean }[] {
  try {
    if (!fs.isDirectory(dir)) return [];
    return fs.readDir(dir).map((e) => ({ name: e.name, isFile: e.isFile, isDirectory: e.isDirectory && !e.isSymbolicLink }));
  } catch {
    return [];
  }
}

/** See the file's comment. */
export function runbookEnvironment(fs: FileSystem, project: DjangoProject): RunbookEnvironment {
  const shown = shownPlatforms(project);
  const accepts = (c: PlatformCommand): boolean => (shown.size === 0 || shown.has(c.platform)) && !c.apps.some(namedForOtherEnvironment);
  const variables = new Map<string, RunbookVariable>();
  // the variables set so far only with a value filled in where it deploys (a secret's, a placeholder
  // `DATABASE_URL=postgresql://...`): a value the runbook gives elsewhere is the one production gets
  const standIns = new Set<string>();
  const files: RunbookFile[] = [];
  for (const r of runbookFiles(fs, project)) {
    if (namedForOtherEnvironment(path.basename(r.file).replace(/\.\w+$/, ''))) continue;
    const text = fs.readText(r.file);
    if (text === undefined || !mentionsPlatformCommand(text)) continue;
    const commands = (r.markdown ? platformCommandsOfMarkdown(r.file, text) : platformCommandsOfScript(r.file, text)).filter(accepts);
    if (commands.length === 0) continue;
    const names = new Set<string>();
    for (const c of commands)
      for (const v of c.variables) {
        names.add(v.name);
        const had = variables.get(v.name);
        // (a secret's value or one that only stands in for one, `SECRET_KEY='xxx'`: filled in where it
        // deploys, as a committed template's is: set there, not known here)
        const standIn = v.value !== undefined && filledInWhereDeployed(v.name, v.value);
        const value = v.value !== undefined && !standIn ? v.value : undefined;
        if (!had || (!standIn && standIns.has(v.name))) {
          variables.set(v.name, { name: v.name, ...(value !== undefined ? { value } : {}), loc: v.loc });
          if (standIn) standIns.add(v.name);
          else standIns.delete(v.name);
        } else if (!standIn && had.value !== value) variables.set(v.name, { name: v.name, loc: had.loc });
      }
    files.push({ file: r.file, commands: [...new Set(commands.map((c) => c.label))], variables: names.size });
  }
  return { variables, files };
}
