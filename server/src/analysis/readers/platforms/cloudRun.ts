// Cloud Run services written outside a Knative service.yaml (which readers/kubernetes/manifests.ts
// reads): Terraform's `google_cloud_run_service` and `google_cloud_run_v2_service` resources in a
// `*.tf` file, and the `gcloud run deploy SERVICE --image …` step of a Cloud Build `cloudbuild.yaml`
// (a step of the `gcr.io/cloud-builders/gcloud` image, or any image with `entrypoint: gcloud`). Each
// is a process Cloud Run runs from an image: without a command of its own, the image's ENTRYPOINT
// and CMD (the repository's Dockerfile's, models/requestPath/path.ts imageRunners), scaled by Cloud
// Run as requests come.
//
// Terraform's HCL is read by a small bounded reader of just what these resources write: blocks,
// attributes whose values are strings, lists of strings, objects of strings, or other expressions
// (kept as written, their value unknown). It scans each character once; nesting is bounded.
import * as path from 'node:path';
import { PLATFORM_COMMANDS } from '../../catalogue/platformCommands';
import type { Loc } from '../../eval/values';
import { subToken, type Token } from '../text';
import { type DeployEnv, type DeployFile, type DeployProcess, type Instances, plainInt, spanToken } from '../workload';
import { yget, type YamlScalar } from '../yaml';
import { firstDoc, seq, str, tok } from './common';

/** The format of a Terraform Cloud Run service (models/requestPath/path.ts: behind Cloud Run). */
export const CLOUD_RUN_TERRAFORM_FORMAT = 'Cloud Run service (Terraform)';
/** The format of a Cloud Build step that deploys to Cloud Run. */
export const CLOUD_RUN_CLOUDBUILD_FORMAT = 'Cloud Run service (cloudbuild.yaml gcloud run deploy)';

const MAX_TEXT = 512 * 1024;
const MAX_DEPTH = 24;
/** The resource types of a Cloud Run service (Terraform's google provider). */
const RESOURCE_TYPES: ReadonlySet<string> = new Set(['google_cloud_run_service', 'google_cloud_run_v2_service']);

/** Whether a Terraform file's text may hold a Cloud Run service (a cheap test before reading it). */
export function mentionsCloudRunResource(text: string): boolean {
  return text.includes('"google_cloud_run_service"') || text.includes('"google_cloud_run_v2_service"');
}

// ---- HCL ---------------------------------------------------------------------------------------------

type HclValue =
  | { readonly kind: 'str'; readonly value: string; readonly start: number; readonly end: number; readonly plain: boolean }
  | { readonly kind: 'list'; readonly items: readonly HclValue[]; readonly start: number; readonly end: number }
  | { readonly kind: 'object'; readonly entries: readonly HclAttr[]; readonly start: number; readonly end: number }
  | { readonly kind: 'expr'; readonly text: string; readonly start: number; readonly end: number };

interface HclAttr {
  readonly name: string;
  readonly nameStart: number;
  readonly nameEnd: number;
  readonly value: HclValue;
}

interface HclBlock {
  readonly type: string;
  readonly labels: readonly string[];
  readonly start: number;
  readonly typeEnd: number;
  readonly attrs: readonly HclAttr[];
  readonly blocks: readonly HclBlock[];
}

const IDENT = /[A-Za-z0-9_-]/;

/** A bounded reader of HCL's native syntax: the top-level blocks of a file (undefined when it cannot read it). */
class Hcl {
  private i = 0;
  constructor(private readonly t: string) {}

  body(depth: number, close: string | undefined): { attrs: HclAttr[]; blocks: HclBlock[] } {
    const attrs: HclAttr[] = [];
    const blocks: HclBlock[] = [];
    if (depth > MAX_DEPTH) throw new Error('too deep');
    for (;;) {
      this.blank(true);
      if (this.i >= this.t.length) {
        if (close) throw new Error('unclosed block');
        return { attrs, blocks };
      }
      const ch = this.t[this.i]!;
      if (close && ch === close) {
        this.i++;
        return { attrs, blocks };
      }
      if (ch === ',' || ch === ';') {
        this.i++;
        continue;
      }
      const start = this.i;
      const name = ch === '"' ? this.string().value : this.ident();
      if (!name) throw new Error(`unexpected ${ch}`);
      const nameEnd = this.i;
      this.blank(false);
      const next = this.t[this.i];
      if (next === '=' || next === ':') {
        this.i++;
        attrs.push({ name, nameStart: start, nameEnd, value: this.value(depth + 1) });
        continue;
      }
      // a block: its labels, then `{`
      const labels: string[] = [];
      for (let k = 0; k < 8 && this.t[this.i] !== '{'; k++) {
        const l = this.t[this.i] === '"' ? this.string().value : this.ident();
        if (!l) throw new Error('bad block label');
        labels.push(l);
        this.blank(false);
      }
      if (this.t[this.i] !== '{') throw new Error('expected {');
      this.i++;
      const inner = this.body(depth + 1, '}');
      blocks.push({ type: name, labels, start, typeEnd: nameEnd, ...inner });
    }
  }

  private value(depth: number): HclValue {
    if (depth > MAX_DEPTH) throw new Error('too deep');
    this.blank(false);
    const start = this.i;
    const ch = this.t[this.i];
    if (ch === '"') {
      const s = this.string();
      // (a string followed by more of the expression: `"a" == var.x ? …`, kept as an expression)
      const after = this.restOfLine();
      return after.trim() === '' ? s : { kind: 'expr', text: this.t.slice(start, this.i), start, end: this.i };
    }
    if (ch === '[') {
      this.i++;
      const items: HclValue[] = [];
      for (;;) {
        this.blank(true);
        if (this.i >= this.t.length) throw new Error('unclosed list');
        if (this.t[this.i] === ']') {
          this.i++;
          return { kind: 'list', items, start, end: this.i };
        }
        if (this.t[this.i] === ',') {
          this.i++;
          continue;
        }
        items.push(this.value(depth + 1));
      }
    }
    if (ch === '{') {
      this.i++;
      const inner = this.body(depth + 1, '}');
      return { kind: 'object', entries: inner.attrs, start, end: this.i };
    }
    this.restOfLine();
    return { kind: 'expr', text: this.t.slice(start, this.i).trim(), start, end: this.i };
  }

  /** The rest of an expression: to the end of its line, a `,` or a closing bracket at its own depth. */
  private restOfLine(): string {
    const start = this.i;
    let depth = 0;
    while (this.i < this.t.length) {
      const ch = this.t[this.i]!;
      if (ch === '"') {
        this.string();
        continue;
      }
      if (ch === '(' || ch === '[' || ch === '{') depth++;
      else if (ch === ')' || ch === ']' || ch === '}') {
        if (depth === 0) break;
        depth--;
      } else if ((ch === '\n' || ch === ',' || ch === '#') && depth === 0) break;
      else if (ch === '/' && (this.t[this.i + 1] === '/' || this.t[this.i + 1] === '*') && depth === 0) break;
      this.i++;
    }
    return this.t.slice(start, this.i);
  }

  /** A quoted string from `"` (its value with simple escapes read; `${…}` kept as written: not plain). */
  private string(): HclValue & { kind: 'str' } {
    const start = this.i;
    this.i++;
    let value = '';
    let plain = true;
    let interp = 0;
    while (this.i < this.t.length) {
      const ch = this.t[this.i]!;
      if (ch === '\\' && this.i + 1 < this.t.length) {
        const e = this.t[this.i + 1]!;
        value += e === 'n' ? '\n' : e === 't' ? '\t' : e;
        this.i += 2;
        continue;
      }
      if ((ch === '$' || ch === '%') && this.t[this.i + 1] === '{') {
        plain = false;
        interp++;
        value += `${ch}{`;
        this.i += 2;
        continue;
      }
      if (ch === '}' && interp > 0) interp--;
      else if (ch === '"' && interp === 0) {
        this.i++;
        return { kind: 'str', value, start, end: this.i, plain };
      } else if (ch === '\n' && interp === 0) throw new Error('unclosed string');
      value += ch;
      this.i++;
    }
    throw new Error('unclosed string');
  }

  private ident(): string {
    const start = this.i;
    while (this.i < this.t.length && IDENT.test(this.t[this.i]!)) this.i++;
    return this.t.slice(start, this.i);
  }

  /** Skips blanks and comments (and line breaks when `lines`); a heredoc is skipped where a value starts. */
  private blank(lines: boolean): void {
    while (this.i < this.t.length) {
      const ch = this.t[this.i]!;
      if (ch === ' ' || ch === '\t' || ch === '\r' || (lines && ch === '\n')) this.i++;
      else if (ch === '#' || (ch === '/' && this.t[this.i + 1] === '/')) {
        const nl = this.t.indexOf('\n', this.i);
        this.i = nl < 0 ? this.t.length : lines ? nl + 1 : nl;
      } else if (ch === '/' && this.t[this.i + 1] === '*') {
        const end = this.t.indexOf('*/', this.i + 2);
        this.i = end < 0 ? this.t.length : end + 2;
      } else if (ch === '<' && this.t[this.i + 1] === '<') this.heredoc();
      else return;
    }
  }

  private heredoc(): void {
    const m = /^<<-?([A-Za-z_]\w{0,40})\r?\n/.exec(this.t.slice(this.i, this.i + 48));
    if (!m) throw new Error('bad heredoc');
    const marker = m[1]!;
    let pos = this.i + m[0].length;
    while (pos < this.t.length) {
      const nl = this.t.indexOf('\n', pos);
      const end = nl < 0 ? this.t.length : nl;
      if (this.t.slice(pos, end).trim() === marker) {
        this.i = end;
        return;
      }
      pos = end + 1;
    }
    throw new Error('unclosed heredoc');
  }
}

function attr(b: HclBlock | undefined, name: string): HclValue | undefined {
  return b?.attrs.find((a) => a.name === name)?.value;
}
function blocksOf(b: HclBlock | undefined, type: string): HclBlock[] {
  return b ? b.blocks.filter((x) => x.type === type) : [];
}
function blockOf(b: HclBlock | undefined, type: string): HclBlock | undefined {
  return blocksOf(b, type)[0];
}

/** The Cloud Run services of a Terraform file. */
export function readTerraformCloudRun(file: string, text: string): DeployFile {
  const out: DeployFile = { file, format: CLOUD_RUN_TERRAFORM_FORMAT, processes: [] };
  if (text.length > MAX_TEXT || !mentionsCloudRunResource(text)) return out;
  let top: HclBlock[];
  try {
    top = new Hcl(text).body(0, undefined).blocks;
  } catch {
    return out;
  }
  const name = path.basename(file);
  const loc = (start: number, end: number): Loc => ({ file, start, end });
  const token = (v: HclValue): Token =>
    v.kind === 'str' ? spanToken(file, text, v.start + 1, v.end - 1, true) : spanToken(file, text, v.start, v.end);
  for (const r of top) {
    if (r.type !== 'resource' || !RESOURCE_TYPES.has(r.labels[0] ?? '')) continue;
    const v2 = r.labels[0] === 'google_cloud_run_v2_service';
    const template = blockOf(r, 'template');
    const spec = v2 ? template : blockOf(template, 'spec');
    const containers = blocksOf(spec, 'containers');
    // the service's scaling: v1's autoscaling annotations on the template's metadata, v2's `scaling` block
    const scale = (v: HclValue | undefined): number | undefined =>
      v?.kind === 'str' ? plainInt(v.value) : v?.kind === 'expr' ? plainInt(v.text) : undefined;
    let min: number | undefined;
    let max: number | undefined;
    if (v2) {
      const s = blockOf(template, 'scaling');
      min = scale(attr(s, 'min_instance_count'));
      max = scale(attr(s, 'max_instance_count'));
    } else {
      const annotations = attr(blockOf(template, 'metadata'), 'annotations');
      if (annotations?.kind === 'object') {
        min = scale(annotations.entries.find((e) => e.name === 'autoscaling.knative.dev/minScale')?.value);
        max = scale(annotations.entries.find((e) => e.name === 'autoscaling.knative.dev/maxScale')?.value);
      }
    }
    const kindLoc = loc(r.start, r.typeEnd);
    const instances: Instances = {
      min: min ?? 0,
      ...(max !== undefined ? { max } : {}),
      autoscaled: true,
      why: `Cloud Run starts instances as requests come${max !== undefined ? `, up to ${max}` : ''}`,
      loc: kindLoc,
    };
    containers.forEach((c, k) => {
      const env = new Map<string, DeployEnv>();
      const unreadEnv: string[] = [];
      for (const e of blocksOf(c, 'env')) {
        const n = attr(e, 'name');
        if (n?.kind !== 'str' || !n.plain) continue;
        const v = attr(e, 'value');
        const nameLoc = loc(n.start, n.end);
        if (v?.kind === 'str' && v.plain) env.set(n.value, { name: n.value, value: v.value, token: token(v), nameLoc });
        else {
          // (a Terraform expression, or `value_from` / `value_source`: a secret's)
          const at = v ?? n;
          env.set(n.value, {
            name: n.value,
            value: '',
            token: token(at),
            nameLoc,
            from: v ? `the Terraform expression ${v.kind === 'expr' ? v.text : text.slice(v.start, v.end)}` : 'a secret Cloud Run reads',
          });
        }
      }
      if (blocksOf(c, 'env_from').length > 0) unreadEnv.push(`env_from of ${name} (not in the repository)`);
      const image = attr(c, 'image');
      const words = (v: HclValue | undefined): Token[] | undefined => (v?.kind === 'list' ? v.items.map(token) : undefined);
      const command = words(attr(c, 'command'));
      const args = words(attr(c, 'args'));
      const p: DeployProcess = {
        label: `${name} (${r.labels[0]} ${r.labels[1] ?? ''}${containers.length > 1 ? `, container ${k + 1}` : ''})`.replace(' )', ')'),
        file,
        ...(command && command.length > 0 ? { words: [...command, ...(args ?? [])] } : {}),
        env,
        instances,
        probes: [],
        ports: [],
        containerized: true,
        ...(image?.kind === 'str' ? { image: image.value, imageLoc: loc(image.start, image.end) } : {}),
        ...(unreadEnv.length > 0 ? { unreadEnv } : {}),
      };
      out.processes.push(p);
    });
  }
  return out;
}

// ---- cloudbuild.yaml ---------------------------------------------------------------------------------

/** The images whose default entrypoint is gcloud (Cloud Build's gcloud builder). */
const GCLOUD_BUILDERS = /^gcr\.io\/cloud-builders\/gcloud(?:-slim)?(?::|@|$)/;

/** The Cloud Run services the `gcloud run deploy` steps of a Cloud Build configuration deploy. */
export function readCloudBuild(file: string, text: string): DeployFile {
  const out: DeployFile = { file, format: CLOUD_RUN_CLOUDBUILD_FORMAT, processes: [] };
  if (text.length > MAX_TEXT) return out;
  const syntax = PLATFORM_COMMANDS.find((c) => c.platform === 'cloudrun')!;
  const name = path.basename(file);
  for (const step of seq(yget(firstDoc(file, text), 'steps'))) {
    const image = str(yget(step, 'name'))?.value ?? '';
    const entrypoint = str(yget(step, 'entrypoint'))?.value;
    if (!(entrypoint === 'gcloud' || (!entrypoint && GCLOUD_BUILDERS.test(image)))) continue;
    const args = seq(yget(step, 'args'))
      .map((a) => str(a))
      .filter((a): a is YamlScalar => a !== undefined);
    const words = args.map((a) => a.value);
    const sub = syntax.subcommands.find((s) => s.length <= words.length && s.every((w, i) => words[i] === w));
    if (!sub || sub[sub.length - 1] !== 'deploy') continue;
    let service: YamlScalar | undefined;
    let imageArg: { text: string; at: YamlScalar } | undefined;
    let command: YamlScalar | undefined;
    let commandArgs: YamlScalar | undefined;
    const env = new Map<string, DeployEnv>();
    for (let i = sub.length; i < args.length; i++) {
      const a = args[i]!;
      const w = a.value;
      const eq = w.indexOf('=');
      const opt = w.startsWith('--') && eq > 0 ? w.slice(0, eq) : w;
      const inline = w.startsWith('--') && eq > 0;
      const optionValue = (): { text: string; at: YamlScalar } | undefined =>
        inline ? { text: w.slice(eq + 1), at: a } : args[i + 1] ? { text: args[++i]!.value, at: args[i]! } : undefined;
      if (opt === '--image') {
        const v = optionValue();
        if (v) imageArg = v;
      } else if (opt === '--command' || opt === '--args') {
        const v = optionValue();
        if (v && opt === '--command') command = v.at;
        else if (v) commandArgs = v.at;
      } else if (syntax.listOptions?.includes(opt)) {
        const v = optionValue();
        if (v) listVariables(v.text, v.at, env);
      } else if (syntax.valueOptions.includes(opt)) {
        if (!inline) i++;
      } else if (!w.startsWith('-') && !service) service = a;
    }
    const anchor = service ?? args[0]!;
    out.processes.push({
      label: `${name} (gcloud run deploy ${service?.value ?? ''})`.replace(' )', ')'),
      file,
      // (`--command`: the image's entrypoint replaced, with `--args` or the image's CMD as its arguments; read as written)
      ...(command ? { words: [...commaWords(command), ...(commandArgs ? commaWords(commandArgs) : [])] } : {}),
      env,
      instances: { min: 0, autoscaled: true, why: 'Cloud Run starts instances as requests come', loc: anchor.loc },
      probes: [],
      ports: [],
      containerized: true,
      ...(imageArg ? { image: imageArg.text, imageLoc: imageArg.at.loc } : {}),
    });
  }
  return out;
}

/** The words of gcloud's comma-separated `--command` / `--args` value, each mapped to where it is written. */
function commaWords(s: YamlScalar): Token[] {
  const t = tok(s);
  const out: Token[] = [];
  let from = 0;
  for (;;) {
    const comma = t.text.indexOf(',', from);
    const end = comma < 0 ? t.text.length : comma;
    if (end > from) out.push(subToken(t, from, end));
    if (comma < 0) return out;
    from = comma + 1;
  }
}

/** `K=V,K2=V2` of `--set-env-vars` (`^X^` first: X separates the items), each value as written. */
function listVariables(text: string, at: YamlScalar, env: Map<string, DeployEnv>): void {
  let sep = ',';
  let from = 0;
  const custom = /^\^([^^]{1,3})\^/.exec(text);
  if (custom) {
    sep = custom[1]!;
    from = custom[0].length;
  }
  const t = tok(at);
  for (const item of text.slice(from).split(sep)) {
    const eq = item.indexOf('=');
    if (eq <= 0) continue;
    const name = item.slice(0, eq).trim();
    if (!/^[A-Za-z_]\w*$/.test(name)) continue;
    const value = item.slice(eq + 1);
    const dynamic = value.includes('$');
    env.set(name, {
      name,
      value: dynamic ? '' : value,
      token: t,
      nameLoc: at.loc,
      ...(dynamic ? { from: `a substitution Cloud Build fills in (${value})` } : {}),
    });
  }
}
