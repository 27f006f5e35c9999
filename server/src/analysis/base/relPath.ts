// How a message names a file: its path from the project's root (or the repository's, or the
// workspace's), with forward slashes — `docker/single/Dockerfile`, never `Dockerfile` alone, which
// in a repository with several Dockerfiles names none of them. The editor turns these into links.
import * as nodePath from 'node:path';

/** `file` relative to `root`, with forward slashes; its own name when it is the root itself. */
export function relPath(root: string, file: string): string {
  const rel = nodePath.relative(root, file).split(nodePath.sep).join('/');
  return rel || nodePath.basename(file);
}

/** How messages name a project's file: from the workspace folder the project was found in (DjangoProject.shownRoot). */
export function shownPath(project: { readonly shownRoot: string }, file: string): string {
  return relPath(project.shownRoot, file);
}

/**
 * A process's or a hop's label with the file it comes from: the file's own name at the start of the
 * label becomes its path (`cla_backend.ini (uWSGI)` → `docker/cla_backend.ini (uWSGI)`); a label that
 * does not start with it gets the path after it (`Deployment web (container app) in k8s/web.yaml`).
 */
export function labelWithPath(label: string, root: string, file: string): string {
  const rel = relPath(root, file);
  if (label === rel || label.startsWith(`${rel} `) || label.includes(` in ${rel}`)) return label;
  const base = nodePath.basename(file);
  if (label === base || label.startsWith(`${base} `)) return rel + label.slice(base.length);
  return `${label} in ${rel}`;
}

/**
 * A name as a reader knows it, without Helm's template text: `{{ include "cla-backend.fullname" . }}-worker`
 * → `cla-backend-worker` (a chart's fullname helper gives the release's name with the chart's, the
 * chart's name standing for both), `{{ .Chart.Name }}` → the chart's folder name; any other
 * expression (`{{ .Values.app.name }}`) → `…`. `file` is where the name is written (a chart's
 * `templates/` file), for the chart's name.
 */
export function readableName(text: string, file?: string): string {
  if (!text.includes('{{')) return text;
  // the chart: the folder above the file's templates/ (or above a templates/ the text names)
  const parts = (file ?? templatesPath(text)).split(/[\\/]/);
  const t = parts.lastIndexOf('templates');
  const chart = t > 0 ? parts[t - 1] : undefined;
  let out = '';
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('{{', i);
    if (open < 0) {
      out += text.slice(i);
      break;
    }
    const close = text.indexOf('}}', open + 2);
    if (close < 0) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, open);
    const expr = text
      .slice(open + 2, close)
      .replace(/^-|-$/g, '')
      .trim();
    const helper = /^(?:include|template)\s+"([\w.-]+)\.(?:fullname|name)"/.exec(expr);
    out += helper ? helper[1] : /^\.Chart\.Name\b/.test(expr) && chart ? chart : /^\.Release\.Name\b/.test(expr) && chart ? chart : '…';
    i = close + 2;
  }
  return out;
}

/** The path up to the first `templates/` a text names (`helm/cla-backend/templates/`), '' when none. */
function templatesPath(text: string): string {
  const at = text.indexOf('/templates/');
  if (at < 0) return '';
  let from = at;
  while (from > 0 && /[\w./-]/.test(text[from - 1]!)) from--;
  return text.slice(from, at + '/templates/'.length);
}
