// The gunicorn release of a project: the one its dependency files pin exactly, else (assumed) the
// newest this analysis knows, and the note a finding that holds only under that assumption adds.
import type { ProjectFileView } from '../project/files';
import type { DjangoProject } from '../project/model';
import { compareVersions, detectPackage } from '../project/version';
import { readLockFile, readRequirementsText, readTomlDependencies } from '../../readers/python/dependencies';
import { GUNICORN_NEWEST_VERSION } from '../../catalogue/gunicornSettings';
import type { AppServerModel } from './types';

/**
 * The gunicorn release a dependency file pins exactly, if it does (read by the dependency readers:
 * requirement lines, TOML through its parser, Pipfile.lock as JSON). Ranges (`>=21`, `~=21.2`) are
 * not pins: the installed release is not known, so nothing version-specific is reported.
 */
export function pinnedGunicorn(kind: string, text: string): string | undefined {
  if (!/gunicorn/i.test(text)) return undefined;
  const r =
    kind === 'requirements'
      ? readRequirementsText(text, 'requirements.txt', 'gunicorn')
      : kind === 'lockfile'
        ? readLockFile(text, 'lock', 'gunicorn')
        : readTomlDependencies(text, kind, 'gunicorn');
  return r && !('error' in r) ? r.exact : undefined;
}

/** The gunicorn release the project's dependency files pin (the project model reads them). */
export function detectGunicornVersion(ws: ProjectFileView, project: DjangoProject): { version: string; source: string } | undefined {
  const g = project.versions
    ? project.versions.gunicorn
    : detectPackage(ws.fs, project.files, project.root, 'gunicorn', undefined, undefined, project.shownRoot);
  return g?.exact ? { version: g.exact, source: g.source } : undefined;
}

/** The newest gunicorn when the project does not pin one. */
export function gunicornVersionOf(model: AppServerModel): string {
  return model.gunicornVersion?.version ?? GUNICORN_NEWEST_VERSION;
}

/**
 * The gunicorn release version-dependent findings are judged against: the one the dependency files
 * pin, or (assumed) the newest this analysis knows. A finding that holds only because of the
 * assumption is information, and says so (see assumedNote).
 */
export function gunicornRelease(model: AppServerModel): { readonly version: string; readonly assumed: boolean } {
  return model.gunicornVersion
    ? { version: model.gunicornVersion.version, assumed: false }
    : { version: GUNICORN_NEWEST_VERSION, assumed: true };
}

/** " Assuming gunicorn 26.2.0 (no dependency file pins it): pin gunicorn to confirm." for assumed releases. */
export function assumedNote(pkg: string, release: { readonly version: string; readonly assumed: boolean }): string {
  return release.assumed ? ` Assuming ${pkg} ${release.version} (no dependency file pins it): pin ${pkg} to confirm.` : '';
}

/** Whether the project's gunicorn is at least `v` (true when unknown). */
export function gunicornAtLeast(model: AppServerModel, v: string): boolean {
  return compareVersions(gunicornVersionOf(model), v) >= 0;
}
