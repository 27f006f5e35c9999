// The process model of a project, kept between analyses: readProcesses builds it (build.ts) while
// recording every question its reading asks the file system, and gives it again while every answer
// stays the same; within one analysis (duringOneAnalysis) the answers are checked once.
import type { DjangoProject } from '../project/model';
import type { FileSystem } from '../../files/fs';
import type { FileView } from '../../files/view';
import { analysisBoundary } from '../../base/perAnalysis';
import { buildProcesses } from './build';
import type { ProcessModel } from './model';

/**
 * A question the process model asked the file system, with its answer: a text read as the string
 * itself (compared with the text read again, no copy made), any other answer as JSON.
 */
interface FsCall {
  readonly op: 'readText' | 'exists' | 'isDirectory' | 'readDir' | 'realpath' | 'size';
  readonly path: string;
  readonly answer: string | undefined;
}

const FS_OPS = new Set<string>(['readText', 'exists', 'isDirectory', 'readDir', 'realpath', 'size']);

function ask(fs: FileSystem, op: FsCall['op'], p: string): unknown {
  return (fs[op] as (p: string) => unknown).call(fs, p);
}

function answerText(op: FsCall['op'], answer: unknown): string | undefined {
  if (op === 'readText') return typeof answer === 'string' ? answer : undefined;
  return JSON.stringify(answer) ?? 'u';
}

/** The process model of each project, with the questions it asked the file system (see readProcesses). */
const processModels = new WeakMap<
  DjangoProject,
  {
    readonly fs: FileSystem;
    readonly calls: readonly FsCall[];
    readonly model: ProcessModel;
    /** The analysis (see duringOneAnalysis) in which every answer was last found the same; -1 outside one. */
    checked: number;
  }
>();

/** The analysis running (see duringOneAnalysis), and how deeply nested; each analysis gets a number of its own. */
let analysisNumber = 0;
let analysisDepth = 0;

/**
 * Runs one analysis of a project (engine.ts's analyzeProject): within it, the process model is
 * checked against the file system once (the first readProcesses), and given again as it is to the
 * calls after it (the evidence, the environment, the app server and the mounts each ask for it).
 * The files are read once per analysis either way: one that changes while an analysis runs is
 * seen by the next one. Outside an analysis, every readProcesses checks every answer.
 */
export function duringOneAnalysis<T>(fn: () => T): T {
  if (analysisDepth === 0) {
    analysisNumber++;
    // the memos of the analysis before (perAnalysis.ts) are dropped
    analysisBoundary();
  }
  analysisDepth++;
  try {
    return fn();
  } finally {
    analysisDepth--;
    if (analysisDepth === 0) analysisNumber++;
  }
}

/**
 * The processes the project's files start (Procfile, Dockerfile, compose, systemd units, shell
 * scripts). The model is kept with every question its reading asked the file system (each
 * question once), and given again while every one gets the same answer: the language server asks
 * for it after each keystroke in a settings module, which changes none of these files. Within one
 * analysis the answers are asked once (see duringOneAnalysis).
 */
export function readProcesses(ws: FileView, project: DjangoProject): ProcessModel {
  const kept = processModels.get(project);
  const now = analysisDepth > 0 ? analysisNumber : -1;
  if (kept && kept.fs === ws.fs) {
    if (now >= 0 && kept.checked === now) return kept.model;
    if (kept.calls.every((c) => answerText(c.op, ask(ws.fs, c.op, c.path)) === c.answer)) {
      kept.checked = now;
      return kept.model;
    }
  }
  const calls: FsCall[] = [];
  const asked = new Map<string, string | undefined>();
  const fs = ws.fs;
  const recording = new Proxy(fs, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (typeof prop !== 'string' || !FS_OPS.has(prop) || typeof v !== 'function') return v;
      return (p: string): unknown => {
        const answer = (v as (p: string) => unknown).call(target, p);
        const op = prop as FsCall['op'];
        const text = answerText(op, answer);
        // a question asked again with the same answer is checked once
        const key = `${op}\0${p}`;
        if (!asked.has(key) || asked.get(key) !== text) {
          asked.set(key, text);
          calls.push({ op, path: p, answer: text });
        }
        return answer;
      };
    },
  });
  // the workspace, asking the recording file system (its methods run with `this` the proxy)
  const recorded = new Proxy(ws, { get: (target, prop) => (prop === 'fs' ? recording : Reflect.get(target, prop, target)) });
  const model = buildProcesses(recorded, project);
  processModels.set(project, { fs, calls, model, checked: now });
  return model;
}
