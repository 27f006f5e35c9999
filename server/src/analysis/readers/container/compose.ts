// docker-compose files: per service, the command it runs (`command:` and `entrypoint:` as a string,
// which compose splits into words without a shell, or as a list of arguments), its working_dir,
// environment, image/build, published ports (and what each publishes where: parsePort), ports
// exposed to the compose network only, mounted volumes, replica count, and labels (the service's
// own and Docker Swarm's `deploy.labels`, which Traefik reads). A file of several YAML documents is
// read as compose reads it: each document a layer over the ones before.
import * as path from 'node:path';
import type { Loc } from '../../eval/values';
import { splitWords } from '../shell';
import { isJinjaFile, templateAsYaml } from '../jinja';
import { literalToken, memoByText, subToken, type Token } from '../text';
import { parseYamlDocuments, yget, yscalar, type YamlNode, type YamlProblem, type YamlScalar } from '../yaml';

export interface ComposeValue {
  readonly value: string;
  readonly token: Token;
  readonly nameLoc: Loc;
  /**
   * The value is one variable compose interpolates (`${NAME}`, `$NAME`, `${NAME:-default}`,
   * `${NAME-default}`, `${NAME:?message}`) from the shell it runs in and the `.env` file beside the
   * compose file: which, what compose uses when it is unset (`default`, placed in the file), and
   * whether compose refuses to start without a non-empty value (`:?`).
   */
  readonly interpolates?: {
    readonly name: string;
    readonly default?: Token;
    /** `${NAME:-d}` (also used when NAME is empty) rather than `${NAME-d}`. */
    readonly colon?: boolean;
    readonly required?: boolean;
  };
}

const WHOLE_BRACED = /^\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?\}$/;
const WHOLE_PLAIN = /^\$([A-Za-z_][A-Za-z0-9_]*)$/;

/** An `environment:` value, with the variable it interpolates when it is one variable and nothing else. */
function envValue(token: Token, nameLoc: Loc): ComposeValue {
  const text = token.text;
  const plain = WHOLE_PLAIN.exec(text);
  if (plain) return { value: text, token, nameLoc, interpolates: { name: plain[1]! } };
  const m = WHOLE_BRACED.exec(text);
  if (!m) return { value: text, token, nameLoc };
  const name = m[1]!;
  if (m[3] === undefined) return { value: text, token, nameLoc, interpolates: { name } };
  if (m[3] === '?') return { value: text, token, nameLoc, interpolates: { name, required: true, colon: m[2] === ':' } };
  const start = name.length + 3 + m[2]!.length;
  const def = m[4]!;
  // a default that interpolates again (`${A:-${B}}`) is not followed
  if (def.includes('$')) return { value: text, token, nameLoc };
  return { value: text, token, nameLoc, interpolates: { name, colon: m[2] === ':', default: subToken(token, start, start + def.length) } };
}

/** An `env_file:` of a service (a path relative to the compose file's folder). */
export interface ComposeEnvFile {
  readonly path: string;
  readonly loc: Loc;
  /** `required: false` in the long syntax: compose starts without it. */
  readonly required: boolean;
}

export interface ComposeService {
  readonly name: string;
  readonly nameLoc: Loc;
  readonly image?: string;
  /** Where the image is written. */
  readonly imageLoc?: Loc;
  /**
   * The Dockerfile it builds (relative to the compose file's folder), when it builds one;
   * `dockerfileWritten` false when the file names none (`Dockerfile` by default, or, in a file
   * layered over another with `-f`, the one the other names: compose merges `build:` key by key).
   */
  readonly build?: { readonly context: string; readonly dockerfile: string; readonly dockerfileWritten: boolean; readonly target?: string };
  readonly command?: Token[];
  readonly commandLoc?: Loc;
  readonly entrypoint?: Token[];
  readonly workingDir?: string;
  readonly environment: Map<string, ComposeValue>;
  /**
   * Names `environment:` lists without a value (`- DJANGO_SECRET_KEY`, `DJANGO_SECRET_KEY:` with
   * nothing after it): compose passes the value the shell it runs in or its `.env` gives
   * (catalogue/composeEnvironment.ts), and leaves the variable unset without one.
   */
  readonly passThrough: { readonly name: string; readonly loc: Loc }[];
  /** `env_file:` entries, in order (a later file's variables win; `environment:` wins over all). */
  readonly envFiles: ComposeEnvFile[];
  /** `ports:` items (short syntax as written). */
  readonly ports: { readonly text: string; readonly loc: Loc }[];
  /** `volumes:` items (short syntax as written). */
  readonly volumes: string[];
  /**
   * `volumes:` items with where each is written and, in the long syntax, its `type` (`volume`,
   * `bind`, `tmpfs`…); `volumes` holds their text.
   */
  readonly volumeItems: readonly { readonly text: string; readonly loc: Loc; readonly type?: string }[];
  readonly profiles: string[];
  /**
   * `container_name:` as written (without a variable): compose's network resolves it as well as the
   * service's name (catalogue COMPOSE_CONTAINER_NAME_DNS).
   */
  readonly containerName?: string;
  /** `stop_signal:` as written (the signal compose stops the container with; SIGTERM when absent), and where. */
  readonly stopSignal?: { readonly text: string; readonly loc: Loc };
  /** `deploy: replicas:` or `scale:` as written (how many containers of the service run). */
  readonly replicas?: { readonly text: string; readonly loc: Loc };
  /** `user:` (the user the container runs as). */
  readonly user?: string;
  /**
   * `labels:` (a mapping, or a list of `key=value`) and Docker Swarm's `deploy.labels:`, in file
   * order: the container's labels, and the service's in a swarm (Traefik's swarm provider reads
   * those).
   */
  readonly labels: readonly ComposeLabel[];
  /** `expose:` items: ports open to the other services of the compose network only, never published. */
  readonly expose: readonly { readonly text: string; readonly loc: Loc }[];
  /** `network_mode:` as written (`host`: the container shares the host's network, every port it binds is the host's). */
  readonly networkMode?: { readonly text: string; readonly loc: Loc };
  /**
   * `extends:` as written (`{service: webapp, file: ./docker-services.yml}`, or a service's name
   * alone): the service it is laid over (withExtends merges it in; `resolved` once it has).
   */
  readonly extends?: { readonly service: string; readonly file?: string; readonly loc: Loc; readonly resolved?: boolean };
}

/** A label of a compose service. */
export interface ComposeLabel {
  readonly key: string;
  /** As written ('' for a key without a value); compose's `${VAR}` interpolation not applied. */
  readonly value: string;
  readonly keyLoc: Loc;
  /** Where the value is written (the key's place for a key without a value). */
  readonly valueLoc: Loc;
  /** Written under `deploy.labels` (the swarm service's label, not the container's). */
  readonly deploy: boolean;
}

/** What a `ports:` item publishes (parsePort). */
export interface PublishedPort {
  /** The host address it is published on, as written; '' when none is given (all of the host's interfaces). */
  readonly hostIp: string;
  /** The host port (or range) as written; '' when docker picks one. */
  readonly published: string;
  /** The container port (or range). */
  readonly target: string;
  readonly protocol?: string;
  /** Published on every interface of the host (no address, 0.0.0.0, :: or [::]). */
  readonly allInterfaces: boolean;
}

/**
 * A `ports:` item (short syntax, `[[HOST_IP:][HOST_PORT]:]CONTAINER_PORT[/PROTOCOL]`, or the long
 * syntax as the reader writes it, `host_ip:published:target`), compose's `${VAR:-default}` read as
 * its default; undefined when it cannot be read (a variable without a default, an odd form).
 */
export function parsePort(text: string): PublishedPort | undefined {
  let t = pathDefaults(text.trim());
  if (t === '' || t.includes('$')) return undefined;
  let protocol: string | undefined;
  const slash = t.lastIndexOf('/');
  if (slash >= 0) {
    protocol = t.slice(slash + 1);
    t = t.slice(0, slash);
  }
  let hostIp = '';
  if (t.startsWith('[')) {
    const close = t.indexOf(']');
    if (close < 0 || t[close + 1] !== ':') return undefined;
    hostIp = t.slice(0, close + 1);
    t = t.slice(close + 2);
  }
  const parts = t.split(':');
  let published = '';
  let target: string;
  if (parts.length === 1) target = parts[0]!;
  else if (parts.length === 2) [published, target] = parts as [string, string];
  else {
    // an IPv6 address written without brackets keeps its colons
    target = parts[parts.length - 1]!;
    published = parts[parts.length - 2]!;
    hostIp = parts.slice(0, -2).join(':');
  }
  const port = /^\d{1,5}(-\d{1,5})?$/;
  if (!port.test(target) || (published !== '' && !port.test(published))) return undefined;
  const ANY = ['', '0.0.0.0', '::', '[::]'];
  return { hostIp, published, target, ...(protocol ? { protocol } : {}), allInterfaces: ANY.includes(hostIp) };
}

export interface ComposeFile {
  /** The file (for files merged with `-f`, the last one: mergeComposeLayers). */
  readonly file: string;
  readonly services: ComposeService[];
  /**
   * The files compose merged into this one, in the order of their `-f` options (the first is the
   * base, whose folder relative paths are resolved from); undefined for a file read alone.
   */
  readonly layers?: readonly string[];
  /** YAML syntax errors (what could be read around them is read) and documents not read. */
  readonly problems: readonly YamlProblem[];
}

/**
 * The folder a compose file's relative paths (build contexts, env files, bind mounts) are resolved
 * from: its own, or for files merged with `-f`, the first file's (compose's project directory,
 * catalogue composeEnvironment.ts COMPOSE_FILE_ORDER).
 */
export function composeDir(c: ComposeFile): string {
  return path.dirname(c.layers?.[0] ?? c.file);
}

/** Words of a string command (compose splits it shell-style, without running a shell) or list items. */
function commandTokens(node: YamlNode | undefined, lookup: (name: string) => string | undefined): Token[] | undefined {
  if (!node) return undefined;
  if (node.kind === 'scalar') {
    if (node.style === 'plain' && (node.value === 'null' || node.value === '~' || node.value === '')) return undefined;
    const words = splitWords(node.map, 'split', lookup);
    // `command: ${COMMAND:-gunicorn app.wsgi}`: compose interpolates before it splits the command,
    // so the default, when the variable gives the whole command, is split into its words too
    const w = words.length === 1 ? words[0]! : undefined;
    if (w && !w.dynamic && /^\s*\$\{[A-Za-z_]\w*:?-[^}]*\}\s*$/.test(node.value)) {
      const out: Token[] = [];
      for (const m of w.text.matchAll(/\S+/g)) out.push(subToken(w, m.index, m.index + m[0].length));
      return out;
    }
    return words;
  }
  if (node.kind === 'seq') {
    return node.items.filter((i): i is YamlScalar => i.kind === 'scalar').map((i) => interpolated(i, lookup));
  }
  return undefined;
}

/** A list item: one argument, with compose's `${VAR:-default}` interpolation. */
function interpolated(s: YamlScalar, lookup: (name: string) => string | undefined): Token {
  if (!s.value.includes('$')) return literalToken(s.map, s.loc, s.style !== 'plain');
  // split mode on a single-quoted copy would break on spaces; interpolate by hand
  const words = splitWords(s.map, 'split', lookup);
  if (words.length === 1) return { ...words[0]!, loc: s.loc, quoted: s.style !== 'plain' };
  return { ...literalToken(s.map, s.loc, s.style !== 'plain'), dynamic: true, env: words.flatMap((w) => w.env) };
}

function scalarText(n: YamlNode | undefined): string | undefined {
  return yscalar(n)?.value;
}

/**
 * A build path with compose's `${VAR:-default}` (or `${VAR-default}`) read as its default, what
 * compose builds when the variable is not set where it runs (`Dockerfile.django-${OS:-debian}`);
 * a variable without a default leaves the path as written (not found, never guessed).
 */
export function pathDefaults(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const at = text.indexOf('${', i);
    if (at < 0) return out + text.slice(i);
    const end = text.indexOf('}', at);
    if (end < 0) return text;
    const inner = text.slice(at + 2, end);
    const dash = inner.indexOf('-');
    if (dash <= 0 || !/^[A-Za-z_][A-Za-z0-9_]*:?$/.test(inner.slice(0, dash))) return text;
    out += text.slice(i, at) + inner.slice(dash + 1);
    i = end + 1;
  }
  return out;
}

/** Parses a compose file's services (each text once: the result is shared, see memoByText). */
export const parseCompose = memoByText(readCompose);

/** Keys whose value a later layer replaces instead of merging (compose's "shell commands"). */
function replacedWhole(path: readonly string[]): boolean {
  return (
    path.length >= 3 &&
    path[0] === 'services' &&
    (((path[2] === 'command' || path[2] === 'entrypoint') && path.length === 3) ||
      (path[2] === 'healthcheck' && path[3] === 'test' && path.length === 4))
  );
}

/**
 * A document laid over the ones before it, as compose merges the documents of a file (and the
 * files given with -f): mappings merge key by key, sequences append, anything else (and `command`,
 * `entrypoint`, `healthcheck.test`) is replaced. Compose's finer rules (ports and volumes unique by
 * target, environment lists and mappings normalised before they merge) are not followed.
 */
function overlay(a: YamlNode | undefined, b: YamlNode | undefined, path: readonly string[]): YamlNode | undefined {
  if (!a) return b;
  if (!b) return a;
  if (a.kind === 'map' && b.kind === 'map') {
    const entries = new Map(a.entries.map((e) => [e.key.value, e]));
    for (const e of b.entries) {
      const before = entries.get(e.key.value);
      entries.set(e.key.value, before ? { key: before.key, value: overlay(before.value, e.value, [...path, e.key.value]) } : e);
    }
    return { kind: 'map', entries: [...entries.values()], loc: b.loc };
  }
  if (a.kind === 'seq' && b.kind === 'seq' && !replacedWhole(path)) return { kind: 'seq', items: [...a.items, ...b.items], loc: b.loc };
  return b;
}

/**
 * A line that is a template's statement (`{% if … %}`, `{%- endif %}`): a project template's compose
 * file (cookiecutter) is no YAML until it is rendered.
 */
function templateLine(text: string): boolean {
  let i = text.indexOf('{%');
  while (i >= 0) {
    let j = i - 1;
    while (j >= 0 && (text[j] === ' ' || text[j] === '\t')) j--;
    if (j < 0 || text[j] === '\n') return true;
    i = text.indexOf('{%', i + 2);
  }
  return false;
}

function readCompose(file: string, written: string): ComposeFile {
  // a compose file's Jinja template (an Ansible task renders `docker-compose.yml.j2`): read as the
  // YAML it renders to, its `if` blocks dropped and its expressions placeholders (readers/jinja.ts)
  const text = isJinjaFile(file) ? templateAsYaml(written) : written;
  const { documents, problems } = parseYamlDocuments(file, text);
  // what the YAML parser recovers around template statements is guesswork (a service named
  // `django:{% if … %} build`): a template that does not parse is not read, as before
  if (problems.length > 0 && templateLine(text)) return { file, services: [], problems };
  let root: YamlNode | undefined;
  for (const doc of documents) root = overlay(root, doc, []);
  const services: ComposeService[] = [];
  const svcNode = yget(root, 'services');
  if (svcNode?.kind !== 'map') return { file, services, problems };
  for (const { key, value } of svcNode.entries) {
    if (value?.kind !== 'map') continue;
    const environment = new Map<string, ComposeValue>();
    const passThrough: ComposeService['passThrough'] = [];
    const env = yget(value, 'environment');
    if (env?.kind === 'map') {
      for (const e of env.entries) {
        const v = yscalar(e.value);
        if (v) environment.set(e.key.value, envValue(literalToken(v.map, v.loc, v.style !== 'plain'), e.key.loc));
        else if (!e.value) passThrough.push({ name: e.key.value, loc: e.key.loc });
      }
    } else if (env?.kind === 'seq') {
      for (const item of env.items) {
        if (item.kind !== 'scalar') continue;
        const eq = item.value.indexOf('=');
        if (eq < 0 && /^[A-Za-z_][A-Za-z0-9_]*$/.test(item.value)) passThrough.push({ name: item.value, loc: item.loc });
        if (eq <= 0) continue;
        const map = item.map.sub(eq + 1, item.value.length);
        environment.set(
          item.value.slice(0, eq),
          envValue(literalToken(map, map.length > 0 ? map.loc(0, map.length) : item.loc, item.style !== 'plain'), item.map.loc(0, eq)),
        );
      }
    }
    // compose interpolates `${VAR:-default}` from the shell and the .env file, not from the service
    const lookup = (): string | undefined => undefined;
    const buildNode = yget(value, 'build');
    let build: ComposeService['build'];
    if (buildNode?.kind === 'scalar')
      build = { context: pathDefaults(buildNode.value), dockerfile: 'Dockerfile', dockerfileWritten: false };
    else if (buildNode?.kind === 'map') {
      // `target:` the stage built (the last one without it)
      const targetText = scalarText(yget(buildNode, 'target'));
      const target = targetText === undefined ? undefined : pathDefaults(targetText);
      const dockerfileText = scalarText(yget(buildNode, 'dockerfile'));
      build = {
        context: pathDefaults(scalarText(yget(buildNode, 'context')) ?? '.'),
        dockerfile: pathDefaults(dockerfileText ?? 'Dockerfile'),
        dockerfileWritten: dockerfileText !== undefined,
        ...(target ? { target } : {}),
      };
    }
    const cmdNode = yget(value, 'command');
    const list = (n: YamlNode | undefined): YamlScalar[] =>
      n?.kind === 'seq' ? n.items.filter((i): i is YamlScalar => i.kind === 'scalar') : [];
    const ports = list(yget(value, 'ports')).map((p) => ({ text: p.value, loc: p.loc }));
    const portsNode = yget(value, 'ports');
    if (portsNode?.kind === 'seq') {
      for (const p of portsNode.items) {
        if (p.kind !== 'map') continue;
        const published = yscalar(yget(p, 'published'));
        const target = scalarText(yget(p, 'target'));
        const hostIp = scalarText(yget(p, 'host_ip'));
        if (published) ports.push({ text: `${hostIp ? hostIp + ':' : ''}${published.value}:${target ?? ''}`, loc: published.loc });
      }
    }
    const volumeItems = (() => {
      const n = yget(value, 'volumes');
      if (n?.kind !== 'seq') return [];
      return n.items.map((i) => {
        if (i.kind === 'scalar') return { text: i.value, loc: i.loc };
        if (i.kind !== 'map') return { text: '', loc: i.loc };
        const type = scalarText(yget(i, 'type'));
        return {
          text: `${scalarText(yget(i, 'source')) ?? ''}:${scalarText(yget(i, 'target')) ?? ''}`,
          loc: (yscalar(yget(i, 'target')) ?? i).loc,
          ...(type ? { type } : {}),
        };
      });
    })();
    const volumes = volumeItems.map((v) => v.text);
    const deployNode = yget(value, 'deploy');
    const replicasNode = yscalar(deployNode?.kind === 'map' ? yget(deployNode, 'replicas') : undefined) ?? yscalar(yget(value, 'scale'));
    const envFiles: ComposeEnvFile[] = [];
    const envFileNode = yget(value, 'env_file');
    for (const item of envFileNode?.kind === 'seq' ? envFileNode.items : envFileNode ? [envFileNode] : []) {
      if (item.kind === 'scalar') envFiles.push({ path: item.value, loc: item.loc, required: true });
      else if (item.kind === 'map') {
        const p = yscalar(yget(item, 'path'));
        if (p) envFiles.push({ path: p.value, loc: p.loc, required: scalarText(yget(item, 'required')) !== 'false' });
      }
    }
    const labels = [
      ...labelsOf(yget(value, 'labels'), false),
      ...labelsOf(deployNode?.kind === 'map' ? yget(deployNode, 'labels') : undefined, true),
    ];
    const expose = (() => {
      const n = yget(value, 'expose');
      return n?.kind === 'seq'
        ? n.items.filter((i): i is YamlScalar => i.kind === 'scalar').map((i) => ({ text: i.value, loc: i.loc }))
        : [];
    })();
    const networkMode = yscalar(yget(value, 'network_mode'));
    const extendsNode = yget(value, 'extends');
    const extendsService = extendsNode?.kind === 'scalar' ? extendsNode.value : scalarText(yget(extendsNode, 'service'));
    const extendsFile = extendsNode?.kind === 'map' ? scalarText(yget(extendsNode, 'file')) : undefined;
    const containerName = scalarText(yget(value, 'container_name'));
    const stopSignal = yscalar(yget(value, 'stop_signal'));
    services.push({
      ...(replicasNode ? { replicas: { text: replicasNode.value, loc: replicasNode.loc } } : {}),
      ...(scalarText(yget(value, 'user')) ? { user: scalarText(yget(value, 'user')) } : {}),
      name: key.value,
      nameLoc: key.loc,
      image: scalarText(yget(value, 'image')),
      ...(yscalar(yget(value, 'image')) ? { imageLoc: yscalar(yget(value, 'image'))!.loc } : {}),
      build,
      command: commandTokens(cmdNode, lookup),
      commandLoc: cmdNode?.loc,
      entrypoint: commandTokens(yget(value, 'entrypoint'), lookup),
      workingDir: scalarText(yget(value, 'working_dir')),
      environment,
      passThrough,
      envFiles,
      ports,
      volumes,
      volumeItems,
      profiles: list(yget(value, 'profiles')).map((p) => p.value),
      ...(containerName && !containerName.includes('$') ? { containerName } : {}),
      ...(stopSignal ? { stopSignal: { text: stopSignal.value, loc: stopSignal.loc } } : {}),
      labels,
      expose,
      ...(networkMode ? { networkMode: { text: networkMode.value, loc: networkMode.loc } } : {}),
      ...(extendsNode && extendsService
        ? { extends: { service: extendsService, ...(extendsFile ? { file: extendsFile } : {}), loc: extendsNode.loc } }
        : {}),
    });
  }
  return { file, services, problems };
}

/** How many `extends:` a service is followed through (a service extending one that extends another…). */
const MAX_EXTENDS = 5;

/**
 * A compose file with each service that `extends` another laid over it, as compose does
 * (catalogue composeEnvironment.ts COMPOSE_EXTENDS): the extended service's keys (`env_file`,
 * `environment`, `image`, `build`, `command`, `volumes`…) merged with the extending one's by the
 * rules of merged files (mergeService), the extending one winning; the extended service from
 * `file` (relative to the file that names it, read by `read`) or from the same file. Paths stay as
 * written: the extended file's are relative to the main project's folder. A service whose extended
 * service cannot be read stays as written.
 */
export function withExtends(c: ComposeFile, read: (file: string) => ComposeFile | undefined): ComposeFile {
  if (!c.services.some((s) => s.extends && !s.extends.resolved)) return c;
  const resolve = (file: ComposeFile, s: ComposeService, depth: number): ComposeService => {
    const ext = s.extends;
    if (!ext || ext.resolved || depth >= MAX_EXTENDS) return s;
    const from = ext.file ? read(path.resolve(path.dirname(file.file), ext.file)) : file;
    const base = from?.services.find((x) => x.name === ext.service);
    if (!from || !base || (from === file && base === s)) return s;
    const merged = mergeService(resolve(from, base, depth + 1), s);
    return { ...merged, name: s.name, nameLoc: s.nameLoc, extends: { ...ext, resolved: true } };
  };
  return { ...c, services: c.services.map((s) => resolve(c, s, 0)) };
}

/** The labels of a `labels:` node: a mapping, or a list of `key=value` (a key alone has the value ''). */
function labelsOf(n: YamlNode | undefined, deploy: boolean): ComposeLabel[] {
  const out: ComposeLabel[] = [];
  if (n?.kind === 'map') {
    for (const e of n.entries) {
      const v = yscalar(e.value);
      out.push({ key: e.key.value, value: v?.value ?? '', keyLoc: e.key.loc, valueLoc: v?.loc ?? e.key.loc, deploy });
    }
  } else if (n?.kind === 'seq') {
    for (const item of n.items) {
      if (item.kind !== 'scalar') continue;
      const eq = item.value.indexOf('=');
      const key = eq < 0 ? item.value : item.value.slice(0, eq);
      if (key.trim() === '') continue;
      const keyLoc = item.map.length > 0 ? item.map.loc(0, key.length) : item.loc;
      const valueLoc = eq >= 0 && eq + 1 < item.value.length ? item.map.loc(eq + 1, item.value.length) : keyLoc;
      out.push({ key: key.trim(), value: eq < 0 ? '' : item.value.slice(eq + 1), keyLoc, valueLoc, deploy });
    }
  }
  return out;
}

/**
 * Compose files merged as `docker compose -f a.yml -f b.yml` merges them (catalogue
 * composeEnvironment.ts COMPOSE_MERGE): a service of a later file adds to the one of the same name
 * before it, key by key — `image`, `build`'s keys, `command`, `entrypoint`, `working_dir`, `user`,
 * `container_name`, `stop_signal`, the replica count and `network_mode` replaced; `environment`
 * and `labels` merged by name, the later file's value winning; `env_file`, `profiles` and `expose`
 * appended; `ports` appended, each published port once; `volumes` merged by their container path.
 * Every value keeps the place of the file that wrote it. The result is named for the last file,
 * the one a deployment's command names for production, and lists `layers`.
 */
export function mergeComposeLayers(layers: readonly ComposeFile[]): ComposeFile {
  const last = layers[layers.length - 1]!;
  const services = new Map<string, ComposeService>();
  for (const layer of layers)
    for (const s of layer.services) {
      const before = services.get(s.name);
      services.set(s.name, before ? mergeService(before, s) : s);
    }
  return {
    file: last.file,
    services: [...services.values()],
    problems: layers.flatMap((l) => l.problems),
    layers: layers.map((l) => l.file),
  };
}

/** The key a published port is unique by in compose (its address, published port, target and protocol). */
function portKey(text: string): string {
  const p = parsePort(text);
  return p ? `${p.hostIp}|${p.published}|${p.target}|${p.protocol ?? 'tcp'}` : text.trim();
}

/** The container path a `volumes:` item mounts at (what compose merges volumes by). */
function volumeTarget(text: string): string {
  const parts = text.split(':');
  return parts.length === 1 ? parts[0]! : parts[1]!;
}

/** Items of `a` then `b`, each key once: a later item of the same key takes the earlier one's place. */
function uniqueBy<T>(a: readonly T[], b: readonly T[], key: (x: T) => string): T[] {
  const out = new Map<string, T>();
  for (const x of [...a, ...b]) out.set(key(x), x);
  return [...out.values()];
}

/** A service `b` of a later compose file laid over the service `a` of the same name (mergeComposeLayers). */
function mergeService(a: ComposeService, b: ComposeService): ComposeService {
  const environment = new Map(a.environment);
  for (const p of b.passThrough) environment.delete(p.name);
  for (const [k, v] of b.environment) environment.set(k, v);
  const passThrough = [...a.passThrough.filter((p) => !b.environment.has(p.name)), ...b.passThrough].filter(
    (p, i, all) => all.findIndex((x) => x.name === p.name) === i,
  );
  const build: ComposeService['build'] =
    a.build && b.build
      ? {
          context: b.build.context,
          dockerfile: b.build.dockerfileWritten ? b.build.dockerfile : a.build.dockerfile,
          dockerfileWritten: a.build.dockerfileWritten || b.build.dockerfileWritten,
          ...((b.build.target ?? a.build.target) !== undefined ? { target: (b.build.target ?? a.build.target)! } : {}),
        }
      : (b.build ?? a.build);
  const volumeItems = uniqueBy(a.volumeItems, b.volumeItems, (v) => volumeTarget(v.text));
  const replaced = <K extends keyof ComposeService>(k: K): Partial<Pick<ComposeService, K>> =>
    b[k] !== undefined ? ({ [k]: b[k] } as Pick<ComposeService, K>) : a[k] !== undefined ? ({ [k]: a[k] } as Pick<ComposeService, K>) : {};
  return {
    ...replaced('replicas'),
    ...replaced('user'),
    ...replaced('containerName'),
    ...replaced('stopSignal'),
    ...replaced('networkMode'),
    name: a.name,
    // (the service is where it is first defined)
    nameLoc: a.nameLoc,
    ...(b.image !== undefined
      ? { image: b.image, ...(b.imageLoc ? { imageLoc: b.imageLoc } : {}) }
      : a.image !== undefined
        ? { image: a.image, ...(a.imageLoc ? { imageLoc: a.imageLoc } : {}) }
        : {}),
    ...(build ? { build } : {}),
    ...(b.command !== undefined
      ? { command: b.command, commandLoc: b.commandLoc }
      : a.command !== undefined
        ? { command: a.command, commandLoc: a.commandLoc }
        : {}),
    ...replaced('entrypoint'),
    ...replaced('workingDir'),
    environment,
    passThrough,
    envFiles: uniqueBy(a.envFiles, b.envFiles, (e) => e.path),
    ports: uniqueBy(a.ports, b.ports, (p) => portKey(p.text)),
    volumes: volumeItems.map((v) => v.text),
    volumeItems,
    profiles: [...new Set([...a.profiles, ...b.profiles])],
    labels: uniqueBy(a.labels, b.labels, (l) => `${l.deploy ? 'deploy' : ''}\0${l.key}`),
    expose: uniqueBy(a.expose, b.expose, (e) => e.text.trim()),
  };
}
