// The request path as the outputs show it (the checklist's "HTTPS & cookies" and "Reverse proxy"
// groups, `checklist --format json`): per deployment of the production app, each hop in front of it
// with what it does of each protection and where that is said; and what the repository's nginx or
// Caddy in front of the app does. Plain data, workspace-relative paths, nothing to compute later.
import * as path from 'node:path';
import type { AppServerModel } from '../appServer/model';
import type { DjangoProject } from '../project/model';
import { proxyCover } from './coverage';
import { type HopAnswer, type PathProtection, requestPaths } from './path';

export interface HopDoesView {
  readonly state: 'yes' | 'no' | 'unknown';
  /** How, and from where ("force_https = true in fly.toml", "…by default"). */
  readonly text: string;
  /** The vendor's page, when it rests on a documented default. */
  readonly source?: string;
}

export interface HopView {
  readonly label: string;
  /** Workspace-relative file that describes the hop. */
  readonly file: string;
  readonly presumed?: string;
  /** The app is reached only from other apps (Cloud Foundry's internal routes): what says so. */
  readonly internal?: string;
  readonly tls: HopDoesView;
  readonly does: Readonly<Record<PathProtection, HopDoesView>>;
}

export interface RequestPathView {
  readonly deployments: readonly { readonly label: string; readonly file: string; readonly hops: readonly HopView[] }[];
  /** What the repository's nginx or Caddy tied to the app does of each protection ('' when nothing). */
  readonly proxy: Readonly<Record<PathProtection, string>>;
}

const PROTECTIONS: readonly PathProtection[] = ['https-redirect', 'hsts', 'access-log'];

function shown(a: HopAnswer): HopDoesView {
  return a.state === 'unknown'
    ? { state: 'unknown', text: a.why }
    : { state: a.state, text: a.how, ...(a.source ? { source: a.source } : {}) };
}

export function requestPathView(project: DjangoProject, appServer: AppServerModel): RequestPathView {
  const rel = (f: string): string => path.relative(project.shownRoot, f).split(path.sep).join('/');
  const paths = requestPaths(project, appServer);
  const ctx = { project, appServer };
  return {
    deployments: paths.deployments.map((d) => ({
      label: d.label,
      file: rel(d.file),
      hops: d.hops.map((h) => ({
        label: h.label,
        file: rel(h.file),
        ...(h.presumed ? { presumed: h.presumed } : {}),
        ...(h.internal ? { internal: h.internal } : {}),
        tls: shown(h.tls),
        does: Object.fromEntries(PROTECTIONS.map((p) => [p, shown(h.does[p])])) as Record<PathProtection, HopDoesView>,
      })),
    })),
    proxy: Object.fromEntries(PROTECTIONS.map((p) => [p, proxyCover(ctx, p).note.trim()])) as Record<PathProtection, string>,
  };
}
