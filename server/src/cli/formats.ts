// The CI report formats besides text, JSON and SARIF: GitHub Actions workflow commands (annotations
// on the pull request without code scanning), GitLab Code Quality JSON (the merge request widget),
// and JUnit XML (any CI's test report view). Each is built from the CLI's JSON diagnostics, whose
// messages are already redacted.
import type * as Crypto from 'node:crypto';
import type { Severity } from '../analysis/rules/types';
import type { JsonDiagnostic } from './jsonDiagnostic';

// ---- GitHub Actions -------------------------------------------------------------------------------

const GITHUB_LEVEL: Record<Severity, 'error' | 'warning' | 'notice'> = {
  error: 'error',
  warning: 'warning',
  information: 'notice',
  hint: 'notice',
};

/** A workflow command's message: %, CR and LF escaped as GitHub's runner unescapes them. */
function githubData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A workflow command's property value: also ':' and ',', which separate properties. */
function githubProperty(s: string): string {
  return githubData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=CODE::message`, one line a finding. */
export function toGithub(diags: readonly JsonDiagnostic[]): string {
  return diags
    .map((d) => {
      const props = [
        `file=${githubProperty(d.file)}`,
        `line=${d.line}`,
        `col=${d.column}`,
        `endLine=${d.endLine}`,
        `endColumn=${d.endColumn}`,
        `title=${githubProperty(`${d.code} ${d.name}`)}`,
      ];
      return `::${GITHUB_LEVEL[d.severity]} ${props.join(',')}::${githubData(d.django ? `${d.message} (${d.django})` : d.message)}\n`;
    })
    .join('');
}

// ---- GitLab Code Quality ----------------------------------------------------------------------------

const GITLAB_SEVERITY: Record<Severity, 'critical' | 'major' | 'minor' | 'info'> = {
  error: 'critical',
  warning: 'major',
  information: 'minor',
  hint: 'info',
};

/**
 * GitLab Code Quality: an array of issues. The fingerprint identifies a finding across runs — the
 * rule, the file and the message, not the line (which moves when lines are added above it), plus
 * its rank among identical ones — so that GitLab shows only what a merge request adds or fixes.
 */
export function toGitlab(diags: readonly JsonDiagnostic[]): object[] {
  // node:crypto is loaded here, not at start-up, where it cost every CLI run ~10 ms
  const { createHash } = require('node:crypto') as typeof Crypto;
  const seen = new Map<string, number>();
  return diags.map((d) => {
    const key = `${d.code}\0${d.file}\0${d.message}`;
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    return {
      type: 'issue',
      check_name: d.code,
      description: `${d.code} ${d.message}`,
      content: { body: `${d.name}${d.django ? ` (Django ${d.django})` : ''}: ${d.docs}` },
      categories: ['Security'],
      severity: GITLAB_SEVERITY[d.severity],
      fingerprint: createHash('sha256').update(`${key}\0${n}`).digest('hex'),
      location: { path: d.file, lines: { begin: d.line, end: d.endLine } },
    };
  });
}

// ---- JUnit XML ----------------------------------------------------------------------------------------

/** Text for XML content and attribute values; characters XML 1.0 cannot hold are dropped. */
function xml(s: string): string {
  return s
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/**
 * JUnit XML: a test suite per project, a failing test case per finding at or above `failOn`
 * (`classname` the file, `name` the rule and line), the others as passing cases with their message
 * in system-out, so that a report shows everything and fails on what fails the run. A project
 * without findings is one passing case.
 */
export function toJunit(diags: readonly JsonDiagnostic[], projects: readonly string[], failsRun: (d: JsonDiagnostic) => boolean): string {
  const byProject = new Map<string, JsonDiagnostic[]>(projects.map((p) => [p, []]));
  for (const d of diags) {
    const list = byProject.get(d.project);
    if (list) list.push(d);
    else byProject.set(d.project, [d]);
  }
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const failures = diags.filter(failsRun).length;
  const tests = [...byProject.values()].reduce((n, list) => n + Math.max(list.length, 1), 0);
  out.push(`<testsuites name="django-deploy-check" tests="${tests}" failures="${failures}" errors="0">`);
  for (const [project, list] of byProject) {
    const name = `django-deploy-check ${project || '.'}`;
    const fails = list.filter(failsRun).length;
    out.push(`  <testsuite name="${xml(name)}" tests="${Math.max(list.length, 1)}" failures="${fails}" errors="0" skipped="0">`);
    if (list.length === 0) out.push(`    <testcase classname="${xml(project || '.')}" name="no findings"/>`);
    for (const d of list) {
      const head = `    <testcase classname="${xml(d.file)}" name="${xml(`${d.code} ${d.name} (line ${d.line})`)}" file="${xml(d.file)}" line="${d.line}">`;
      const text = xml(`${d.file}:${d.line}:${d.column}: ${d.severity} ${d.code} ${d.message}${d.django ? ` (${d.django})` : ''}`);
      if (failsRun(d))
        out.push(
          head,
          `      <failure type="${d.severity}" message="${xml(`${d.code} ${d.message}`)}">${text}</failure>`,
          '    </testcase>',
        );
      else out.push(head, `      <system-out>${text}</system-out>`, '    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}
