// What a Dockerfile runs while the image is built: the management commands of its RUN instructions
// (shell form, run by `/bin/sh -c`, or exec form), read with the shell reader and the command
// recogniser like any start command. A RUN's BuildKit flags (`--mount=…`, `--network=…`) come
// before the command and are left out. Each stage is read; which stages make the production image
// is the rules' question (rules/app-server/topology.ts stageChain).
import { parseJsonArray, type Dockerfile, type DockerInstruction, type DockerStage } from '../../readers/container/dockerfile';
import { recognise, recogniseWords, type TaskInvocation } from '../../readers/process/commands';
import { tokenize } from '../../readers/shell';
import type { MappedText } from '../../readers/text';

/** A management or celery command a RUN instruction runs, with its stage and instruction. */
export interface BuildTask {
  readonly stage: DockerStage;
  readonly instruction: DockerInstruction;
  readonly task: TaskInvocation;
}

/** The text of a RUN after its leading `--flag=value` options. */
function withoutRunFlags(args: MappedText): MappedText {
  const s = args.text;
  let i = 0;
  for (;;) {
    while (i < s.length && (s[i] === ' ' || s[i] === '\t')) i++;
    if (!s.startsWith('--', i)) break;
    while (i < s.length && s[i] !== ' ' && s[i] !== '\t') i++;
  }
  return i === 0 ? args : args.sub(i, s.length);
}

const memo = new WeakMap<Dockerfile, BuildTask[]>();

/** The management and celery commands the RUN instructions of a Dockerfile run, in file order. */
export function buildTasks(d: Dockerfile): BuildTask[] {
  let out = memo.get(d);
  if (out) return out;
  out = [];
  for (const stage of d.stages) {
    const lookup = (name: string): string | undefined => stage.env.get(name)?.value;
    for (const instruction of stage.instructions) {
      if (instruction.keyword !== 'RUN') continue;
      const text = withoutRunFlags(instruction.args);
      const exec = text.text.trimStart().startsWith('[') ? parseJsonArray(text) : undefined;
      const found = exec ? [recogniseWords(exec, [], { lookup })] : tokenize(text, { lookup }).map((c) => recognise(c, { lookup }));
      for (const r of found) for (const task of r.tasks) out.push({ stage, instruction, task });
    }
  }
  memo.set(d, out);
  return out;
}
