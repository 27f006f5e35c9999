// Programs committed in the repository that generate production's Kubernetes manifests: a cdk8s app
// (`import { App, Chart } from "cdk8s"`), a Pulumi program with the Kubernetes provider
// (`@pulumi/kubernetes`, `pulumi_kubernetes`), a Tanka environment's Jsonnet, or a script of the
// project's own in a deployment folder (kubernetes/manifest.mts printing `{kind: "Deployment", …}`
// as YAML, its output git-ignored). The analysis does not run them: what they deploy is known only
// as far as their text shows plainly — that they build a workload, and the command or arguments a
// container is given (`args: ["gunicorn", "shop.wsgi", …]`). The environment they give the app is
// open (models/process/deploymentVariables.ts), as a chart's the repository does not hold.
// Catalogue: catalogue/manifestGenerators.ts.
import * as path from 'node:path';
import { MANIFEST_GENERATORS, type ManifestGeneratorTool } from '../../catalogue/manifestGenerators';
import type { Loc } from '../../eval/values';
import type { FileSystem } from '../../files/fs';
import type { ScannedFile } from '../../files/scan';
import { devReasonOfPath } from '../devPaths';

/** A container's `command` or `args` as a generator's text writes it. */
export interface GeneratedCommand {
  readonly field: 'command' | 'args';
  /** The array's text between its brackets, as written. */
  readonly text: string;
  /** The words of the array that are quoted strings, in order. */
  readonly words: readonly string[];
  readonly loc: Loc;
}

export interface ManifestGenerator {
  readonly file: string;
  readonly tool: ManifestGeneratorTool;
  /** The containers' `command`/`args` its text writes, in order. */
  readonly commands: readonly GeneratedCommand[];
}

/** Longer than this, a file is not read (a bundle, generated code). */
const MAX_TEXT = 400_000;
/** A workload object, as a program builds it: `kind: "Deployment"`, `"kind": 'StatefulSet'`. */
const WORKLOAD_KIND = /\bkind["']?\s*[:=]\s*["'](?:Deployment|StatefulSet|DaemonSet)["']/;
/** A workload a library's constructor builds: `new k8s.apps.v1.Deployment(`, `KubeDeployment(`, `deployment.new(`. */
const WORKLOAD_CONSTRUCTOR = /\b(?:apps\.v1\.|Kube|kplus\.)?(?:Deployment|StatefulSet|DaemonSet)\s*\(|\b(?:deployment|statefulSet)\.new\(/;
/** A container's environment, as a program writes it. */
const ENVIRONMENT = /\b(?:secretKeyRef|valueFrom|envFrom|configMapKeyRef)\b|\benv["']?\s*[:=]/;
/** The start of a container's command or arguments: `args: [`, `"command": [`, `args=[`. */
const COMMAND = /\b(command|args)["']?\s*[:=]\s*\[/g;
/** How far an array's closing bracket is looked for. */
const MAX_ARRAY = 600;
/** A quoted word of an array. */
const QUOTED = /"([^"\n]*)"|'([^'\n]*)'/g;
/** A Python program's name as cdk8s and Pulumi write it. */
const PYTHON_MAIN = new Set(['main.py', '__main__.py', 'app.py']);

/**
 * The programs of the project that generate production's Kubernetes manifests: a file of a tool of
 * the catalogue (by its import) or, in a deployment folder, one whose text builds a workload with an
 * environment; none in a development or example folder.
 */
export function manifestGenerators(fs: FileSystem, root: string, files: readonly ScannedFile[]): ManifestGenerator[] {
  const out: ManifestGenerator[] = [];
  for (const f of files) {
    const python = f.kind === 'python' && PYTHON_MAIN.has(path.basename(f.path));
    if (f.kind !== 'generator' && !python) continue;
    const rel = path.relative(root, f.path);
    if (rel.startsWith('..') || devReasonOfPath(rel) !== undefined) continue;
    const text = fs.readText(f.path);
    if (text === undefined || text.length > MAX_TEXT) continue;
    const tool = toolOf(f.path, text);
    if (!tool) continue;
    out.push({ file: f.path, tool, commands: commandsOf(f.path, text) });
  }
  return out;
}

/** The tool a program is of, when it generates a workload; undefined when it is none of them. */
function toolOf(file: string, text: string): ManifestGeneratorTool | undefined {
  const workload = WORKLOAD_KIND.test(text) || WORKLOAD_CONSTRUCTOR.test(text);
  if (!workload) return undefined;
  for (const t of MANIFEST_GENERATORS) if (t.imports.some((w) => text.includes(w))) return t;
  // (a Jsonnet environment's main file: Tanka's, whatever library it imports)
  if (/\.jsonnet$/i.test(file) && path.basename(file).toLowerCase() === 'main.jsonnet')
    return MANIFEST_GENERATORS.find((t) => t.id === 'tanka');
  // a program of the project's own: a workload object with an environment, in a deployment folder
  // (the scan's `generator` kind; a Python file only by its tool's import)
  if (/\.py$/i.test(file) || !WORKLOAD_KIND.test(text) || !ENVIRONMENT.test(text)) return undefined;
  return MANIFEST_GENERATORS.find((t) => t.id === 'program');
}

function commandsOf(file: string, text: string): GeneratedCommand[] {
  const out: GeneratedCommand[] = [];
  for (const m of text.matchAll(COMMAND)) {
    const open = m.index + m[0].length;
    const close = text.indexOf(']', open);
    if (close < 0 || close - open > MAX_ARRAY) continue;
    const inner = text.slice(open, close);
    const words: string[] = [];
    for (const q of inner.matchAll(QUOTED)) words.push(q[1] ?? q[2] ?? '');
    const start = m.index;
    out.push({ field: m[1] as 'command' | 'args', text: inner.trim(), words, loc: { file, start, end: close + 1 } });
  }
  return out;
}
