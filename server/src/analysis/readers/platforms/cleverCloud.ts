// Clever Cloud's clevercloud/python.json: the Python application it describes (`deploy.module`, the
// WSGI object its runtime serves), the `manage.py` tasks it runs at each deploy
// (`deploy.managetasks`), and the variables Clever Cloud sets in the application: PORT, and those of
// the add-ons linked to it (catalogue/platformVariables.ts). The file is Clever Cloud's older way of
// configuring a Python app, which its documentation dropped in 2025 for CC_PYTHON_MODULE and
// CC_PYTHON_MANAGE_TASKS (set in the console, not in the repository); projects still commit it.
import * as path from 'node:path';
import { CLEVER_CLOUD_ADDONS, CLEVER_CLOUD_MANAGE_TASKS, CLEVER_CLOUD_PROVIDED } from '../../catalogue/platformVariables';
import { literalToken, MappedBuilder, MappedText, type Token } from '../text';
import type { DeployEnv, DeployFile, DeployProcess } from '../workload';
import { yget, type YamlScalar } from '../yaml';
import { firstDoc, oneOff, seq, str, tok } from './common';

export function readCleverCloud(file: string, text: string): DeployFile {
  const doc = firstDoc(file, text);
  const deploy = yget(doc, 'deploy');
  const module = str(yget(deploy, 'module'));
  const name = path.basename(file);
  const format = 'Clever Cloud python.json';
  if (!deploy) return { file, format, processes: [] };
  const anchor: Token = module ? tok(module) : literalToken(MappedText.slice(file, text, 0, 0), { file, start: 0, end: 0 }, false);
  const env = new Map<string, DeployEnv>();
  for (const [v, value] of CLEVER_CLOUD_PROVIDED.variables) env.set(v, { name: v, value, token: anchor, nameLoc: anchor.loc });
  for (const a of CLEVER_CLOUD_ADDONS)
    for (const v of a.variables)
      env.set(v, {
        name: v,
        value: '',
        token: anchor,
        nameLoc: anchor.loc,
        from: `Clever Cloud, which sets it in an application linked to a ${a.addon} add-on`,
      });
  const web: DeployProcess = {
    label: `${name} (Clever Cloud application)`,
    file,
    env,
    probes: [],
    ports: [],
    containerized: true,
    nativeRuntime: {
      what: `Clever Cloud runs ${module ? module.value : 'the application'} on its Python runtime`,
      loc: anchor.loc,
      runtime: 'python',
    },
  };
  // each task as the command it is (`python manage.py migrate --no-input`), the words the file
  // writes mapped to where it writes them and the words Clever Cloud adds to the task's start
  const tasks = seq(yget(deploy, 'managetasks'))
    .map((n) => str(n))
    .filter((s): s is YamlScalar => s !== undefined && s.value.trim() !== '')
    .map((s) => {
      const b = new MappedBuilder(file, s.loc.start);
      b.push('python manage.py ', s.loc.start, s.loc.start);
      b.pushMapped(s.map);
      return oneOff(`${name} (managetasks)`, file, b.build(), env, CLEVER_CLOUD_MANAGE_TASKS.when);
    });
  return { file, format, processes: [web, ...tasks] };
}
