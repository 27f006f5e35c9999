// The host a kept evaluation is checked against: it answers the evaluator's questions (module
// resolutions, documents, file statuses, folder listings) from the workspace's host and writes each
// one down, with its answer, for the evaluations under way. A kept evaluation is reused only when
// every question it asked gets the same answer again (replay); a tracked statement that asked
// nothing but imports of modules the workspace does not have can run again alone (the trail).
import type { PythonDocument } from '../parse/pythonDocument';
import type { DataNode, ModuleHost, Resolution } from '../eval/host';
import type { ModuleRef } from '../eval/scope';

export type HostCall =
  | { readonly op: 'resolve'; readonly name: string; readonly level: number; readonly from: ModuleRef; readonly answer: string }
  | { readonly op: 'document'; readonly file: string; readonly text: string | undefined }
  | { readonly op: 'fileStatus'; readonly file: string; readonly answer: string }
  | { readonly op: 'listDir'; readonly dir: string; readonly answer: string | undefined }
  | { readonly op: 'names'; readonly file: string; readonly answer: string | undefined }
  | { readonly op: 'rendered'; readonly file: string; readonly answer: string | undefined }
  | { readonly op: 'renderedString'; readonly file: string; readonly text: string; readonly answer: string | undefined }
  | { readonly op: 'renderedFrom'; readonly file: string; readonly answer: string | undefined }
  | { readonly op: 'expanded'; readonly file: string; readonly answer: string | undefined }
  | { readonly op: 'envsubst'; readonly file: string; readonly answer: string | undefined }
  | { readonly op: 'implicitRelative'; readonly from: ModuleRef; readonly answer: string | undefined }
  | { readonly op: 'data'; readonly file: string; readonly text: string | undefined };

const resolutionKey = (r: Resolution): string =>
  r.status === 'missing' ? `missing\0${r.name}` : `${r.status}\0${r.ref.name}\0${r.ref.file}\0${r.ref.isPackage}`;

const renderedKey = (r: { readonly template: string; readonly by: string } | undefined): string | undefined =>
  r ? `${r.template}\0${r.by}` : undefined;

/** A host that records what it answers for the evaluations under way (see ModuleCache). */
export class RecordingHost implements ModuleHost {
  /** The logs of the evaluations under way, outermost first: each call is added to all of them. */
  readonly logs: HostCall[][] = [];
  readonly fileStatus?: (file: string) => 'found' | 'ignored' | 'missing';
  readonly listDir?: (dir: string) => string[] | undefined;
  readonly unreadableNames?: (file: string) => readonly string[] | undefined;
  readonly renderedBy?: (file: string) => string | undefined;
  readonly renderedString?: (file: string, text: string) => string | undefined;
  readonly renderedFrom?: (file: string) => { readonly template: string; readonly by: string } | undefined;
  readonly expandedBy?: (file: string) => string | undefined;
  readonly envsubstBy?: (file: string) => string | undefined;
  readonly implicitRelativeImports?: (from: ModuleRef) => string | undefined;
  readonly dataFile?: (file: string) => { readonly text: string; readonly root: DataNode | undefined } | undefined;

  constructor(private readonly inner: ModuleHost) {
    if (inner.dataFile) {
      const data = inner.dataFile.bind(inner);
      this.dataFile = (file) => {
        const answer = data(file);
        this.add({ op: 'data', file, text: answer?.text });
        return answer;
      };
    }
    if (inner.expandedBy) {
      const expanded = inner.expandedBy.bind(inner);
      this.expandedBy = (file) => {
        const answer = expanded(file);
        this.add({ op: 'expanded', file, answer });
        return answer;
      };
    }
    if (inner.envsubstBy) {
      const envsubst = inner.envsubstBy.bind(inner);
      this.envsubstBy = (file) => {
        const answer = envsubst(file);
        this.add({ op: 'envsubst', file, answer });
        return answer;
      };
    }
    if (inner.renderedBy) {
      const rendered = inner.renderedBy.bind(inner);
      this.renderedBy = (file) => {
        const answer = rendered(file);
        this.add({ op: 'rendered', file, answer });
        return answer;
      };
    }
    if (inner.renderedString) {
      // (a template string filled in from the deployment's variables: an edit of those variables'
      // files changes the answer, so a kept evaluation asks it again)
      const filled = inner.renderedString.bind(inner);
      this.renderedString = (file, text) => {
        const answer = filled(file, text);
        this.add({ op: 'renderedString', file, text, answer });
        return answer;
      };
    }
    if (inner.renderedFrom) {
      const from = inner.renderedFrom.bind(inner);
      this.renderedFrom = (file) => {
        const answer = from(file);
        this.add({ op: 'renderedFrom', file, answer: renderedKey(answer) });
        return answer;
      };
    }
    if (inner.implicitRelativeImports) {
      const implicit = inner.implicitRelativeImports.bind(inner);
      this.implicitRelativeImports = (from) => {
        const answer = implicit(from);
        // a fact of the project, not a read of the workspace's modules: a statement that asks it
        // (each `import x` does) can still run again alone when it asks the same again (tracking.ts)
        this.count++;
        if (this.trailing > 0) this.trail.push(`fact\0implicitRelative\0${from.file}\0${answer ?? ''}`);
        for (const log of this.logs) log.push({ op: 'implicitRelative', from, answer });
        return answer;
      };
    }
    if (inner.unreadableNames) {
      const names = inner.unreadableNames.bind(inner);
      this.unreadableNames = (file) => {
        const answer = names(file);
        this.add({ op: 'names', file, answer: answer?.join('\0') });
        return answer;
      };
    }
    if (inner.fileStatus) {
      const fileStatus = inner.fileStatus.bind(inner);
      this.fileStatus = (file) => {
        const answer = fileStatus(file);
        this.add({ op: 'fileStatus', file, answer });
        return answer;
      };
    }
    if (inner.listDir) {
      const listDir = inner.listDir.bind(inner);
      this.listDir = (dir) => {
        const answer = listDir(dir);
        this.add({ op: 'listDir', dir, answer: answer?.join('\0') });
        return answer;
      };
    }
  }

  /** Calls answered so far (statements that ask the workspace are not re-run alone: tracking.ts). */
  count = 0;
  /** While above zero (tracked statements under way), each call is also written to `trail` (tracking.ts, trackedStatement). */
  trailing = 0;
  readonly trail: string[] = [];

  /** Starts writing down the questions asked (a tracked statement's); returns where they start, for endTrail. */
  startTrail(): number {
    this.trailing++;
    return this.trail.length;
  }

  /**
   * The questions asked since `from` (startTrail), each as a key: `missing\0name\0level\0file` for an
   * import of a module the workspace does not have, `fact\0…\0answer` for a fact of the project
   * (whether imports are implicitly relative), `other` for any other question.
   */
  endTrail(from: number): readonly string[] {
    const calls = this.trail.slice(from);
    this.trailing--;
    if (this.trailing === 0) this.trail.length = 0;
    return calls;
  }

  private add(call: HostCall): void {
    this.count++;
    if (this.trailing > 0) this.trail.push('other');
    for (const log of this.logs) log.push(call);
  }

  resolve(name: string, level: number, from: ModuleRef): Resolution {
    const r = this.inner.resolve(name, level, from);
    this.count++;
    if (this.trailing > 0) this.trail.push(r.status === 'missing' ? `missing\0${name}\0${level}\0${from.file}` : 'other');
    if (this.logs.length > 0) for (const log of this.logs) log.push({ op: 'resolve', name, level, from, answer: resolutionKey(r) });
    return r;
  }

  document(file: string): PythonDocument | undefined {
    const d = this.inner.document(file);
    this.count++;
    if (this.trailing > 0) this.trail.push('other');
    if (this.logs.length > 0) for (const log of this.logs) log.push({ op: 'document', file, text: d?.text });
    return d;
  }

  /** The text of a document, without recording the question. */
  peekText(file: string): string | undefined {
    return this.inner.document(file)?.text;
  }

  /** Whether a file is a document being edited (open in the editor), without recording it. */
  peekEdited(file: string): boolean {
    return this.inner.document(file)?.edited === true;
  }

  /** Asks `call` again (recording it for the evaluations under way): whether the answer is the same. */
  replay(call: HostCall): boolean {
    switch (call.op) {
      case 'resolve':
        return resolutionKey(this.resolve(call.name, call.level, call.from)) === call.answer;
      case 'document':
        return this.document(call.file)?.text === call.text;
      case 'fileStatus':
        return this.fileStatus?.(call.file) === call.answer;
      case 'listDir':
        return this.listDir?.(call.dir)?.join('\0') === call.answer;
      case 'names':
        return this.unreadableNames?.(call.file)?.join('\0') === call.answer;
      case 'rendered':
        return this.renderedBy?.(call.file) === call.answer;
      case 'renderedString':
        return this.renderedString?.(call.file, call.text) === call.answer;
      case 'renderedFrom':
        return renderedKey(this.renderedFrom?.(call.file)) === call.answer;
      case 'expanded':
        return this.expandedBy?.(call.file) === call.answer;
      case 'envsubst':
        return this.envsubstBy?.(call.file) === call.answer;
      case 'implicitRelative':
        return this.implicitRelativeImports?.(call.from) === call.answer;
      case 'data':
        return this.dataFile?.(call.file)?.text === call.text;
    }
  }
}
