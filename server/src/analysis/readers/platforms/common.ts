// What the platform readers share: reading YAML and JSON platform files (scalars, lists, a mapping
// of variables, numbers as written), the variables a platform sets in every process it runs, and
// the one-off commands it runs per deploy.
import type { MappedText, Token } from '../text';
import { literalToken } from '../text';
import { plainInt, type DeployEnv, type DeployProcess, type Written } from '../workload';
import { parseYamlDocuments, yscalar, type YamlNode, type YamlScalar } from '../yaml';

export function str(n: YamlNode | undefined): YamlScalar | undefined {
  return yscalar(n);
}

export function seq(n: YamlNode | undefined): YamlNode[] {
  return n?.kind === 'seq' ? n.items : [];
}

export function tok(s: YamlScalar): Token {
  return literalToken(s.map, s.loc, s.style !== 'plain');
}

export function writtenOf(s: YamlScalar | undefined): Written | undefined {
  if (!s) return undefined;
  const n = plainInt(s.value);
  return { text: s.value, loc: s.loc, ...(n !== undefined ? { value: n } : {}) };
}

/** A YAML/JSON mapping of variables (`env_variables:`, `setup: config:`, app.json's `env`). */
export function envMap(
  node: YamlNode | undefined,
  out: Map<string, DeployEnv>,
  objectValue?: (v: YamlNode) => DeployEnv | 'skip' | undefined,
): void {
  if (node?.kind !== 'map') return;
  for (const e of node.entries) {
    const v = e.value;
    if (v?.kind === 'map' && objectValue) {
      const got = objectValue(v);
      if (got === 'skip') continue;
      if (got) out.set(e.key.value, { ...got, name: e.key.value, nameLoc: e.key.loc });
      continue;
    }
    const s = str(v);
    if (s) out.set(e.key.value, { name: e.key.value, value: s.value, token: tok(s), nameLoc: e.key.loc });
  }
}

export function firstDoc(file: string, text: string): YamlNode | undefined {
  return parseYamlDocuments(file, text).documents[0];
}

/**
 * Variables a platform sets in every process it runs, unless the file sets them: `value` when the
 * platform's documentation gives it, else set to a value not known here.
 */
export function injected(
  out: Map<string, DeployEnv>,
  at: Token,
  vars: readonly (readonly [string, string | undefined])[],
  platform: string,
): void {
  for (const [name, value] of vars) {
    if (out.has(name)) continue;
    out.set(name, {
      name,
      value: value ?? '',
      token: at,
      nameLoc: at.loc,
      ...(value === undefined ? { from: `${platform}, which sets it in every process` } : {}),
    });
  }
}

/** A command the platform runs once per deploy (or once in all), with the process's environment. */
export function oneOff(label: string, file: string, shell: MappedText, env: ReadonlyMap<string, DeployEnv>, once: string): DeployProcess {
  return { label, file, shell, env, once, probes: [], ports: [], containerized: true };
}
