// The deployment items of the checklist, read from the files that can show them: CI and pre-commit
// configs, Dockerfiles, build and start scripts, Procfiles, platform configs, urls.py, runbooks.
// Evidence found → passed (with the place); nothing found → needs attention (files cannot prove
// that a step is missing, so this is never "failing").
import * as path from 'node:path';
import { relPath } from '../../base/relPath';
import { devReasonOfPath } from '../../readers/devPaths';
import type { Loc } from '../../eval/values';
import type { DjangoProject } from '../../models/project/model';
import type { FileKind } from '../../files/scan';
import type { FileView } from '../../files/view';

export interface Evidence {
  readonly label: string;
  readonly loc: Loc;
}

export interface DeploymentFacts {
  readonly [itemId: string]: { readonly evidence: Evidence[]; readonly lookedIn: string };
}

export interface Probe {
  readonly item: string;
  readonly kinds: readonly FileKind[];
  /** Its first match (no g flag) is the evidence: the line it starts on. */
  readonly pattern: RegExp;
  readonly lookedIn: string;
  readonly label: (m: RegExpExecArray) => string;
  /** Only in files that also match this (a Kubernetes manifest that is a Job). */
  readonly fileMust?: RegExp;
}

/**
 * The source of a pattern that finds the first `key` of a line, matched from the line's start (a
 * line feed before it or the text's start): a probe `key[^\n]*tail` tried at each occurrence of
 * `key` read the rest of its line again each time, quadratic on a line of keys. When a later
 * occurrence is followed by the tail on its line, so is the first. The match starts at the line.
 */
const firstOnLine = (key: string): string => String.raw`(?<![^\n])(?:(?!${key})[^\n])*(?:${key})`;

/** A release phase or a platform's pre-deploy command (`release: …`, `releaseCommand = …`), a one-off compose container. */
const RELEASE_KEY = String.raw`\b(?:release_command|releaseCommand|preDeployCommand|pre_deploy_command|predeploy|release)\b["']?[^\S\n]*[:=]|\bcompose[^\S\n]+run\b`;

export const PROBES: readonly Probe[] = [
  {
    item: 'ci-deploy-check',
    kinds: ['ci', 'precommit', 'shell', 'dockerfile', 'config'],
    pattern: /\bcheck\s+--deploy\b|django-deploy-check|django-deploy-hygiene/,
    lookedIn: 'CI workflows, pre-commit and build scripts',
    label: (m) => (m[0].includes('deploy-') ? 'django-deploy-check runs here' : 'manage.py check --deploy runs here'),
  },
  {
    item: 'ci-migrations',
    kinds: ['ci', 'precommit', 'shell'],
    pattern: new RegExp(String.raw`${firstOnLine(String.raw`\bmakemigrations\b`)}[^\n]*--check\b|\bmakemigrations\s+--check\b`),
    lookedIn: 'CI workflows, pre-commit and scripts',
    label: () => 'makemigrations --check runs here',
  },
  {
    item: 'collectstatic',
    kinds: ['dockerfile', 'shell', 'procfile', 'compose', 'config', 'ci', 'manifest'],
    pattern: /\bcollectstatic\b/,
    lookedIn: 'Dockerfiles, build scripts, Procfiles, platform configs and Kubernetes manifests',
    label: () => 'collectstatic runs here',
  },
  {
    // a release phase, a platform's pre-deploy command, a one-off container or job in a deploy script
    item: 'migrations-step',
    kinds: ['procfile', 'config', 'compose', 'ci', 'shell'],
    // (a service named like a migration: `  migrate:` at two spaces, exactly)
    pattern: new RegExp(
      String.raw`${firstOnLine(RELEASE_KEY)}[^\n]*\bmigrate\b|(?<![^\n])[^\S\n]{2}(?=[\w-]*migrat)[\w-]+[^\S\n]*:[^\S\n]*$`,
      'm',
    ),
    lookedIn: 'Procfile release processes, platform configs, compose one-off services, Kubernetes Jobs and deploy scripts',
    label: () => 'migrations run in a release step here',
  },
  {
    // a Kubernetes Job running migrate (a Helm pre-install/pre-upgrade hook, an Argo CD PreSync hook):
    // once per release, before the new pods start
    item: 'migrations-step',
    kinds: ['manifest'],
    pattern: /(?<![\w-])migrate(?![\w-])/,
    fileMust: /^kind:[^\S\n]*Job\b/m,
    lookedIn: 'Kubernetes Jobs',
    label: () => 'migrations run in a Kubernetes Job here',
  },
  {
    // a process of its own: a Procfile type, a compose service, a unit or a platform worker
    item: 'background-workers',
    kinds: ['procfile', 'compose', 'systemd', 'config', 'manifest'],
    // on a line (up to a `&`) that is not the web process; each command read once from the line's start
    pattern:
      /(?<![^\n])(?!web\s*:)(?:[^\n&]*?\b(?:rqworker|rq\s+worker|dramatiq|huey_consumer|run_huey|qcluster|db_worker)\b|(?:(?!\bcelery\b)[^\n&])*\bcelery\b[^\n&]*\b(?:worker|beat)\b|(?:(?!\bprocrastinate\b)[^\n&])*\bprocrastinate\b[^\n&]*\bworker\b)/,
    lookedIn: 'Procfiles, compose services, systemd units, platform configs and Kubernetes manifests',
    label: () => 'a background worker runs as its own process here',
  },
];

const HEALTH_URL =
  /(?:path|re_path|url)\(\s*r?["'][^"']*\b(health|healthz|healthcheck|health-check|ready|readiness|readyz|live|liveness|livez|ping)\b/i;
const HEALTH_APPS = /["'](health_check|watchman|django_healthchecks|health_check\.db)["']/;

/** A file for development or tests by its path, or a documentation build (a Sphinx docs/Makefile). */
function notDeployment(rel: string): boolean {
  return devReasonOfPath(rel) !== undefined || /(^|\/)docs?\//.test(rel);
}

/**
 * Whether the comment lines just above a match (up to three, or the same line's) say that the step
 * is for local development: `# used to generate static files for local development.`
 */
function saysDevelopment(text: string, index: number): boolean {
  let end = text.lastIndexOf('\n', index);
  const sameLine = text.slice(end + 1, text.indexOf('\n', index) < 0 ? text.length : text.indexOf('\n', index));
  if (DEV_COMMENT.test(sameLine.slice(sameLine.indexOf('#') + 1)) && sameLine.includes('#')) return true;
  for (let k = 0; k < 6 && end > 0; k++) {
    const start = text.lastIndexOf('\n', end - 1) + 1;
    const line = text.slice(start, end).trim();
    end = start - 1;
    if (line === '' || /^(fi|then|else|do|done|\{|\})$/.test(line) || /^(if|while|for)\b/.test(line)) continue;
    if (!line.startsWith('#')) return false;
    if (DEV_COMMENT.test(line)) return true;
  }
  return false;
}

const DEV_COMMENT =
  /\b(?:local|development|dev)[^\S\n]+(?:development|only|environment|use|setup)\b|\bfor[^\S\n]+(?:local|development|dev)\b/i;

/** The Helm or Argo CD hook a Job runs as (`helm.sh/hook: pre-upgrade`), said beside its evidence. */
function hookOf(text: string): string | undefined {
  const m = /["']?helm\.sh\/hook["']?[^\S\n]*:[^\S\n]*["']?([\w,-]+)/.exec(text);
  if (m) return `Helm ${m[1]!.replace(/,/g, ', ')} hook`;
  const argo = /["']?argocd\.argoproj\.io\/hook["']?[^\S\n]*:[^\S\n]*["']?(\w+)/.exec(text);
  return argo ? `Argo CD ${argo[1]} hook` : undefined;
}

function lineLoc(file: string, text: string, index: number): Loc {
  const start = text.lastIndexOf('\n', index) + 1;
  let end = text.indexOf('\n', index);
  if (end < 0) end = text.length;
  return { file, start: start + (text.slice(start, end).length - text.slice(start, end).trimStart().length), end };
}

export function deploymentFacts(ws: FileView, project: DjangoProject): DeploymentFacts {
  const facts: Record<string, { evidence: Evidence[]; lookedIn: string }> = {};
  const texts = new Map<string, string | undefined>();
  const read = (f: string): string | undefined => {
    if (!texts.has(f)) texts.set(f, ws.fs.readText(f));
    return texts.get(f);
  };
  for (const probe of PROBES) {
    const evidence: Evidence[] = facts[probe.item]?.evidence ?? [];
    for (const f of project.files) {
      if (!probe.kinds.includes(f.kind)) continue;
      const rel = relPath(project.root, f.path);
      // what a development file, a documentation build or a step commented as one for local
      // development does is no evidence of what production does
      if (notDeployment(rel)) continue;
      const text = read(f.path);
      if (!text || (probe.fileMust && !probe.fileMust.test(text))) continue;
      const m = probe.pattern.exec(text);
      if (!m || saysDevelopment(text, m.index)) continue;
      const hook = probe.fileMust ? hookOf(text) : undefined;
      evidence.push({
        label: `${probe.label(m)}${hook ? ` (${hook})` : ''}: ${relPath(project.shownRoot, f.path)}`,
        loc: lineLoc(f.path, text, m.index),
      });
    }
    const lookedIn = facts[probe.item] ? `${facts[probe.item]!.lookedIn}; ${probe.lookedIn}` : probe.lookedIn;
    facts[probe.item] = { evidence, lookedIn };
  }
  // health endpoint: a URL pattern named like a probe, or a health-check app
  const health: Evidence[] = [];
  for (const f of project.files) {
    if (f.kind !== 'urls' && f.kind !== 'settings') continue;
    const text = read(f.path);
    if (!text) continue;
    const m = (f.kind === 'urls' ? HEALTH_URL : HEALTH_APPS).exec(text);
    if (m)
      health.push({
        label: f.kind === 'urls' ? `/${m[1]} route: ${relPath(project.shownRoot, f.path)}` : `${m[1]} app installed`,
        loc: lineLoc(f.path, text, m.index),
      });
  }
  facts['health-endpoint'] = { evidence: health, lookedIn: 'urls.py files and INSTALLED_APPS' };
  // rollback: a runbook file, or a "Rollback" heading in a README
  const rollback: Evidence[] = [];
  for (const f of project.files)
    if (f.kind === 'rollback') rollback.push({ label: relPath(project.shownRoot, f.path), loc: { file: f.path, start: 0, end: 0 } });
  for (const dir of new Set([project.root, ...ws.folders])) {
    for (const name of ['README.md', 'README.rst', 'DEPLOY.md', 'docs/deploy.md', 'docs/deployment.md']) {
      const file = path.join(dir, name);
      const text = read(file);
      const m = text ? /^#+\s.*\b(rollback|roll back|rolling back)\b.*$/im.exec(text) : null;
      if (m) rollback.push({ label: `"${m[0].replace(/^#+\s*/, '').trim()}" in ${name}`, loc: lineLoc(file, text!, m.index) });
    }
  }
  facts['rollback-doc'] = { evidence: rollback, lookedIn: 'ROLLBACK.md, runbooks and README headings' };
  return facts;
}
