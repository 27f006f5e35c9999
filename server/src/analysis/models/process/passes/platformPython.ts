// The Python a production platform builds the app on when no image of the repository runs it: the
// version a Python buildpack reads (Heroku and the platforms that run its buildpack from a Procfile:
// runtime.txt, then .python-version), Cloud Foundry's Python buildpack (runtime.txt alone, `python-3.8.x`
// naming the series), render's PYTHON_VERSION (then .python-version) for a service on
// its python runtime, App Engine standard's `runtime: python3X`. Only the files the platform reads,
// in its order (catalogue/endOfLife.ts HEROKU_PYTHON_VERSION, RENDER_PYTHON_VERSION), at the folder of
// the file that says the platform; the first that names a version wins.
import * as path from 'node:path';
import {
  APP_ENGINE_PYTHON,
  CLOUD_FOUNDRY_PYTHON_VERSION,
  HEROKU_PYTHON_VERSION,
  RENDER_PYTHON_VERSION,
} from '../../../catalogue/endOfLife';
import { CF_DETECTED_BUILDPACK, CF_FORMAT, CLOUD_GOV_FORMAT } from '../../../readers/platforms/cloudFoundry';
import type { Loc } from '../../../eval/values';
import type { Collected } from '../collect';
import type { PlatformPython, ProcessSource, Workload } from '../model';

/** The first line of a version file that says something, with its place (runtime.txt, .python-version). */
function versionFile(r: Collected, file: string, pattern: RegExp): { version?: string; written: string; loc: Loc } | undefined {
  const text = r.ws.fs.readText(file);
  if (text === undefined) return undefined;
  let offset = 0;
  for (const raw of text.split('\n').slice(0, 50)) {
    // a comment after the version (`python-3.8.10  # pinned`) is set aside, and the version read (the
    // buildpack itself wants the version alone on its line; the fixtures mark their lines this way)
    const hash = raw.search(/[ \t]#/);
    const line = (hash >= 0 ? raw.slice(0, hash) : raw).trim();
    if (line !== '' && !line.startsWith('#')) {
      const start = offset + raw.indexOf(line);
      const m = pattern.exec(line);
      return { ...(m ? { version: `${m[1]}.${m[2]}` } : {}), written: line, loc: { file, start, end: start + line.length } };
    }
    offset += raw.length + 1;
  }
  return undefined;
}

const RUNTIME_TXT = /^python-(\d)\.(\d{1,2})(?:\.\d{1,3})?$/;
/** Cloud Foundry's runtime.txt: also with the patch release left to the buildpack (`python-3.8.x`, `python-3.9.*`). */
const CF_RUNTIME_TXT = /^python-(\d)\.(\d{1,2})(?:\.(?:\d{1,3}|[xX*]))?$/;
const PYTHON_VERSION_FILE = /^(\d)\.(\d{1,2})(?:\.\d{1,3})?$/;

/** The version the files of `dir` give, read in `order` (the first file present decides, even when it names no version we read). */
function fromFiles(
  r: Collected,
  dir: string,
  order: readonly string[],
): { version?: string; written: string; loc: Loc; file: string } | undefined {
  for (const name of order) {
    const v = versionFile(r, path.join(dir, name), name === 'runtime.txt' ? RUNTIME_TXT : PYTHON_VERSION_FILE);
    if (v) return { ...v, file: name };
  }
  return undefined;
}

export function readPlatformPython(r: Collected, sources: readonly ProcessSource[]): PlatformPython[] {
  const out: PlatformPython[] = [];
  const seen = new Set<string>();
  const push = (p: PlatformPython): void => {
    const key = `${p.loc.file}:${p.loc.start}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(p);
  };
  const production = (w: Workload): boolean => w.source.production && !w.process.once && !w.process.scheduled;
  const container = r.workloads.some((w) => w.source.format === 'heroku.yml');
  // Heroku's buildpacks: a production Procfile (presumed Heroku's, or Scalingo's or Dokku's, which run the
  // same buildpack), or app.json's buildpacks; not heroku.yml's container stack
  const heroku: { dir: string; file: string; buildpacks: boolean }[] = [];
  if (!container) {
    for (const w of r.workloads)
      if (w.source.production && w.source.format === 'app.json' && w.process.nativeRuntime)
        heroku.push({ dir: path.dirname(w.source.file), file: w.source.file, buildpacks: true });
    for (const s of sources)
      if (s.production && s.kind === 'procfile') heroku.push({ dir: path.dirname(s.file), file: s.file, buildpacks: false });
  }
  // Cloud Foundry's applications built by its Python buildpack: runtime.txt at the folder cf push uploads
  // (a Procfile there is the one the buildpack runs, not Heroku's: its runtime.txt is said once, as Cloud Foundry's)
  const cloudFoundry = new Set<string>();
  for (const w of r.workloads) {
    if (!production(w) || (w.source.format !== CF_FORMAT && w.source.format !== CLOUD_GOV_FORMAT)) continue;
    const rt = w.process.nativeRuntime?.runtime;
    if (!rt || (rt !== CF_DETECTED_BUILDPACK && !/python/i.test(rt))) continue;
    const dir = w.process.pushedDir ?? path.dirname(w.source.file);
    cloudFoundry.add(dir);
    const v = versionFile(r, path.join(dir, 'runtime.txt'), CF_RUNTIME_TXT);
    if (v?.version)
      push({
        version: v.version,
        written: v.written,
        loc: v.loc,
        platform: CLOUD_FOUNDRY_PYTHON_VERSION,
        said: w.source.file,
        how: `${rt === CF_DETECTED_BUILDPACK ? 'the Python buildpack Cloud Foundry detects' : `the ${rt}`} reads runtime.txt`,
        onlyWithoutDockerfile: false,
      });
  }
  for (const h of heroku) {
    if (cloudFoundry.has(h.dir)) continue;
    const v = fromFiles(r, h.dir, HEROKU_PYTHON_VERSION.reads);
    if (v?.version)
      push({
        version: v.version,
        written: v.written,
        loc: v.loc,
        platform: HEROKU_PYTHON_VERSION,
        said: h.file,
        how: `the Python buildpack reads ${v.file}${v.file === '.python-version' ? ', there being no runtime.txt' : ''}`,
        onlyWithoutDockerfile: !h.buildpacks,
        ...(h.buildpacks ? {} : { presumed: 'presumed from the Procfile; Scalingo and Dokku read the same files' }),
      });
  }
  for (const w of r.workloads) {
    if (!production(w)) continue;
    const rt = w.process.nativeRuntime?.runtime;
    if (!rt) continue;
    if (w.source.format === 'App Engine app.yaml') {
      const m = /^python(3)(\d{1,2})$|^python(2)(7)$/.exec(rt);
      if (!m) continue;
      push({
        version: m[1] ? `3.${m[2]}` : '2.7',
        written: `runtime: ${rt}`,
        loc: w.process.nativeRuntime!.loc,
        platform: APP_ENGINE_PYTHON,
        said: w.source.file,
        how: "App Engine standard's runtime",
        onlyWithoutDockerfile: false,
        ...(m[3] ? { legacy: true } : {}),
      });
    } else if (rt === 'python' && /^render/i.test(w.source.format ?? path.basename(w.source.file))) {
      const env = w.process.env.get('PYTHON_VERSION');
      const m = env && !env.from && !env.maybe && !env.token.dynamic ? /^(\d)\.(\d{1,2})(?:\.\d{1,3})?$/.exec(env.value.trim()) : null;
      if (m) {
        push({
          version: `${m[1]}.${m[2]}`,
          written: `PYTHON_VERSION=${env!.value.trim()}`,
          loc: env!.token.loc,
          platform: RENDER_PYTHON_VERSION,
          said: w.source.file,
          how: "render's python runtime reads PYTHON_VERSION",
          onlyWithoutDockerfile: false,
        });
        continue;
      }
      if (env) continue; // set, but not to a version read here
      const v = fromFiles(r, path.dirname(w.source.file), ['.python-version']);
      if (v?.version)
        push({
          version: v.version,
          written: v.written,
          loc: v.loc,
          platform: RENDER_PYTHON_VERSION,
          said: w.source.file,
          how: "render's python runtime reads .python-version, there being no PYTHON_VERSION",
          onlyWithoutDockerfile: false,
        });
    }
  }
  return out;
}
