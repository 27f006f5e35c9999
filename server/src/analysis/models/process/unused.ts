// Files of the deployment's kinds that nothing in the repository uses, beside one of their kind that
// is used: a shell script no command line runs and no file names, beside a script the image copies
// or a command runs; an nginx configuration no image copies, no compose file or workload mounts, no
// configuration includes and no file names, beside one that is; a Dockerfile with a name of its own
// (`Dockerfile.py38`) no compose file, workload or file names, beside one that is built. Such a file
// is a stale copy or a leftover as far as the repository shows: presumed production's, not known.
// A file of a kind of which the repository shows no use at all is not one (nothing to compare with).
import * as path from 'node:path';
import type { FileView } from '../../files/view';
import type { FileKind } from '../../files/scan';
import type { DjangoProject } from '../project/model';
import type { ProcessModel } from './model';
import { filesMountedIntoPods } from './productionMounts';
import { composeDir } from '../../readers/container/compose';

type UnusedClass = 'script' | 'nginx' | 'dockerfile';

/** The kinds of files whose text may name another deployment file (a COPY, a volume, a `-f`, a call). */
const NAMING_KINDS = new Set<FileKind>([
  'dockerfile',
  'compose',
  'shell',
  'ci',
  'procfile',
  'manifest',
  'config',
  'systemd',
  'appconfig',
  'proxy',
  'dotenv',
]);
/** Bounds of the texts read for names. */
const MAX_FILES = 400;
const MAX_CHARS = 4_000_000;

/** A file left unused, with the file of its kind beside it that is used. */
export interface UnusedFile {
  readonly file: string;
  readonly kind: UnusedClass;
  readonly used: string;
}

function classOf(file: string, kind: FileKind): UnusedClass | undefined {
  const base = path.basename(file);
  if (kind === 'shell') return 'script';
  if (kind === 'proxy' || (kind === 'config' && base === 'nginx.conf')) return 'nginx';
  if (kind === 'dockerfile') return 'dockerfile';
  return undefined;
}

/** A path as written, without its leading `./`, `../` and `/`, and with `\` as `/`; undefined when it says nothing of a path. */
function normalize(token: string): string | undefined {
  let t = token.replace(/\\/g, '/');
  for (;;) {
    if (t.startsWith('./')) t = t.slice(2);
    else if (t.startsWith('../')) t = t.slice(3);
    else if (t.startsWith('/')) t = t.slice(1);
    else break;
  }
  while (t.endsWith('/')) t = t.slice(0, -1);
  if (t === '' || t === '.' || t === '..' || t.includes('$') || t.includes('{')) return undefined;
  return t;
}

/**
 * The files of the project's deployment kinds that nothing uses while a file of their kind in the
 * same folder or below it is used (see the top of this file). Bounded: at most MAX_FILES texts,
 * MAX_CHARS characters; a bound reached reads every file as used.
 */
export function unusedFiles(ws: FileView, project: DjangoProject, m: ProcessModel): Map<string, UnusedFile> {
  const out = new Map<string, UnusedFile>();
  const candidates = new Map<string, UnusedClass>();
  for (const f of project.files) {
    const c = classOf(f.path, f.kind);
    if (c) candidates.set(f.path, c);
  }
  if (candidates.size < 2) return out;
  const used = new Set<string>();
  // scripts a command line runs, configurations a workload mounts or another includes
  for (const s of m.scripts) if (s.file) used.add(s.file);
  for (const f of filesMountedIntoPods(m)) used.add(f);
  // Dockerfiles compose or a deployment builds; the one `docker build .` builds
  for (const c of m.compose)
    for (const s of c.services) if (s.build) used.add(path.resolve(composeDir(c), s.build.context, s.build.dockerfile));
  for (const w of m.workloads) if (w.process.dockerfile) used.add(w.process.dockerfile.file);
  for (const [file, c] of candidates) if (c === 'dockerfile' && path.basename(file) === 'Dockerfile') used.add(file);
  // a Dockerfile named for what a settings module or another deployment file is named for
  // (`Dockerfile.cabotage` beside settings/cabotage.py, `Dockerfile.render` beside Procfile.render)
  const deployWords = new Set<string>();
  for (const mod of project.settingsModules) deployWords.add(mod.name.split('.').pop()!.toLowerCase());
  for (const f of project.files)
    if (f.kind === 'procfile' || f.kind === 'compose' || f.kind === 'config' || f.kind === 'systemd')
      for (const w of path
        .basename(f.path)
        .toLowerCase()
        .split(/[^a-z0-9]+/))
        deployWords.add(w);
  for (const [file, c] of candidates) {
    if (c !== 'dockerfile') continue;
    const word = path
      .basename(file)
      .toLowerCase()
      .replace(/^dockerfile[.-]?|[.-]?dockerfile$/g, '');
    if (word !== '' && deployWords.has(word)) used.add(file);
  }
  // folders an image copies whole: the context of an nginx image (`COPY . /etc/nginx/`), a folder (`COPY nginx/ …`)
  const wholeDirs: string[] = [];
  const contexts = new Map<string, string[]>();
  for (const c of m.compose)
    for (const s of c.services)
      if (s.build) {
        const context = path.resolve(composeDir(c), s.build.context);
        const file = path.resolve(context, s.build.dockerfile);
        contexts.set(file, [...(contexts.get(file) ?? []), context]);
      }
  const copyDirs: string[] = [];
  for (const d of m.dockerfiles) {
    const nginx = d.stages.some((s) => /(^|\/)(nginx|openresty)([:@]|$)/i.test(s.base));
    for (const st of d.stages)
      for (const copy of st.copies) {
        if (copy.from) continue;
        for (const src of copy.sources) {
          const t = normalize(src);
          if (t === undefined) {
            if (nginx) wholeDirs.push(path.dirname(d.file), ...(contexts.get(d.file) ?? []));
          } else if (!t.includes('*')) copyDirs.push(t);
        }
      }
  }
  // names written in the deployment's texts (not in the file itself): each a file (its path's end) or a folder
  const names: { readonly t: string; readonly from: string }[] = [];
  let files = 0;
  let chars = 0;
  for (const f of project.files) {
    if (!NAMING_KINDS.has(f.kind)) continue;
    if (++files > MAX_FILES) return out;
    const text = ws.fs.readText(f.path);
    if (text === undefined) continue;
    chars += text.length;
    if (chars > MAX_CHARS) return out;
    for (const raw of text.split(/[\s"'`:=,;()[\]<>|&]+/)) {
      // a path's characters only (not a regular expression's or a URL's query)
      if ((!raw.includes('/') && !raw.includes('.')) || !/^[\w./*@+~-]+$/.test(raw)) continue;
      const t = normalize(raw);
      if (t !== undefined) names.push({ t, from: f.path });
    }
  }
  // paths from the repository's root (or the project's): a name is matched against them, not against the folders above
  const top = project.repositoryRoot ?? project.root;
  const fromTop = (file: string): string => `/${path.relative(top, file).replace(/\\/g, '/')}`;
  const named = (file: string, c: UnusedClass): boolean => {
    const unix = fromTop(file);
    const base = path.basename(unix);
    for (const { t, from } of names) {
      if (from === file) continue;
      if (t.includes('*')) {
        // a glob (`include conf.d/*.conf`, `COPY nginx/*.conf`, `COPY *.sh`): the files of its folder
        // whose names end as it does; a pattern of another language (`.*`, `s/(a.*b)/`) is none
        const dir = t.slice(0, t.lastIndexOf('/') + 1);
        const name = t.slice(dir.length);
        const star = name.indexOf('*');
        const head = name.slice(0, star);
        const tail = name.slice(star + 1);
        if (name.indexOf('*', star + 1) >= 0 || (tail === '' && dir === '') || !/^[\w-]*$/.test(head)) continue;
        if (!/^[\w.-]*$/.test(tail) || !base.startsWith(head) || !base.endsWith(tail)) continue;
        if (dir === '' || unix.endsWith(`/${dir}${base}`)) return true;
        continue;
      }
      if (path.basename(t) === base) {
        // a bare name, or a path whose end is this file's path (relative to its context), or the end
        // of whose path this file's path is (a container's path: /app/scripts/run.sh)
        if (!t.includes('/') || unix.endsWith(`/${t}`) || `/${t}`.endsWith(unix)) return true;
        continue;
      }
      // a folder mounted or copied whole (`./nginx:/etc/nginx/conf.d`) holds its configurations
      if (c === 'nginx' && t.includes('/') && unix.includes(`/${t}/`)) return true;
    }
    return false;
  };
  for (const [file, c] of candidates) {
    if (used.has(file)) continue;
    const unix = fromTop(file);
    if (c === 'nginx' && (wholeDirs.some((d) => file.startsWith(`${d}${path.sep}`)) || copyDirs.some((d) => unix.includes(`/${d}/`))))
      used.add(file);
    else if (named(file, c)) used.add(file);
  }
  // an nginx configuration included by one that is used is used
  for (const cfg of m.proxy.nginx) if (used.has(cfg.file)) for (const f of cfg.files) used.add(f);
  for (const [file, c] of candidates) {
    if (used.has(file)) continue;
    const folder = path.dirname(file);
    const beside = [...candidates].find(([o, oc]) => oc === c && o !== file && used.has(o) && o.startsWith(`${folder}${path.sep}`));
    if (beside) out.set(file, { file, kind: c, used: beside[0] });
  }
  return out;
}
