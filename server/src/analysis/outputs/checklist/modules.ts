// For each settings module of a project, why it is production or why not, in a few words: what the
// module picker ("Choose the Production Settings Module") says beside each module, so that a
// `production.py` no deployment uses is not a mystery next to the module production runs.
import { readableName, relPath } from '../../base/relPath';
import type { ModuleResult } from '../../eval/scope';
import type { DjangoProject } from '../../models/project/model';
import { roleByName } from '../../models/project/roles';

export interface ModuleWhy {
  readonly name: string;
  readonly file: string;
  /** Whether it is the module analysed as production. */
  readonly production: boolean;
  /** "named by docker/cla_backend.ini:6 (DJANGO_SETTINGS_MODULE)…", "its name says tests", "no deployment file names it; …". */
  readonly why: string;
}

/** Each settings module of the project with why it is, or is not, production. */
export function settingsModulesWhy(project: DjangoProject, evaluation?: ModuleResult): ModuleWhy[] {
  const prod = project.production;
  const read = evaluation?.files ?? new Set<string>();
  const at = (m: { file: string; line: number }): string => `${relPath(project.shownRoot, m.file)}:${m.line + 1}`;
  return project.settingsModules.map((m) => {
    if (prod && m.name === prod.module.name) return { name: m.name, file: m.file, production: true, why: readableName(prod.reason) };
    const mentions = project.mentions.filter((x) => x.module === m.name);
    const deployed = mentions.filter((x) => !x.devOnly && x.kind !== 'manage');
    const devOnly = mentions.filter((x) => x.devOnly || x.kind === 'manage');
    const role = roleByName(m.name);
    const reasons: string[] = [];
    if (prod && read.has(m.file)) reasons.push(`${prod.module.name} reads it (it is part of production's settings)`);
    else if (role === 'test') reasons.push('its name says tests');
    else if (role === 'development') reasons.push('its name says development');
    if (deployed.length > 0)
      reasons.push(
        `also named by ${deployed
          .slice(0, 2)
          .map((x) => `${at(x)}${x.process ? ` (${readableName(x.process)})` : ''}`)
          .join(', ')}`,
      );
    else if (devOnly.length > 0) reasons.push(`named only by development or test files (${devOnly.slice(0, 2).map(at).join(', ')})`);
    else if (!(prod && read.has(m.file))) reasons.push('no deployment file names it');
    if (role === 'production' && deployed.length === 0) reasons.unshift('its name says production, but');
    const why = reasons.join(role === 'production' && deployed.length === 0 ? ' ' : '; ');
    const instead = prod ? `; production runs ${prod.module.name}` : '';
    return { name: m.name, file: m.file, production: false, why: `${why}${prod && !read.has(m.file) ? instead : ''}` };
  });
}
