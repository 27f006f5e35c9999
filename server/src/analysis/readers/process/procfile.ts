// Procfiles (Heroku, Dokku, Scalingo, foreman, honcho): one `type: command` per line. The platform
// runs each command with a shell, so the command is tokenised as shell text.
import { MappedText } from '../text';

export interface ProcfileEntry {
  /** The process type (`web`, `worker`, `release`…). */
  readonly type: string;
  readonly typeStart: number;
  readonly typeEnd: number;
  /** The command, mapped to the file. */
  readonly command: MappedText;
}

/** `type: command`; the command starts after the spaces (which `[ \t]*(.*)` split each way on a line it did not match). */
export const LINE_RE = /^([A-Za-z0-9_-]+)[ \t]*:[ \t]*((?![ \t]).*)$/;

export function parseProcfile(file: string, text: string): ProcfileEntry[] {
  const out: ProcfileEntry[] = [];
  let offset = 0;
  for (const rawLine of text.split('\n')) {
    const line = rawLine.replace(/\r$/, '');
    const lead = line.length - line.trimStart().length;
    const m = LINE_RE.exec(line.trimStart());
    if (m && !line.trimStart().startsWith('#')) {
      const type = m[1]!;
      const cmd = m[2]!.trimEnd();
      const cmdStart = offset + lead + m[0].length - m[2]!.length;
      if (cmd.length > 0)
        out.push({
          type,
          typeStart: offset + lead,
          typeEnd: offset + lead + type.length,
          command: MappedText.slice(file, text, cmdStart, cmdStart + cmd.length),
        });
    }
    offset += rawLine.length + 1;
  }
  return out;
}
