// setup.cfg as setuptools reads it: the INI reader (./ini) with the keys as written (setuptools sets
// optionxform = str), then setuptools' own readings of an option's name and value
// (setuptools/dist.py _parse_config_files, setuptools/config/setupcfg.py _parse_list, _parse_dict,
// _parse_requirements_list; setuptools/_reqs.py parse_strings).
//
// Not followed: the `file:` and `attr:` directives (`install_requires = file: requirements.in`
// names no requirement here), and `%` interpolation (setuptools' ConfigParser would turn `%%` into
// `%`; no requirement or folder name the product reads has one).
import { type IniDocument, type IniValue, iniOptions, parseIni, pythonSplitlines, pythonStrip } from './ini';

/** setup.cfg read as setuptools' ConfigParser reads it (keys as written). */
export function parseSetupCfg(text: string): IniDocument {
  return parseIni(text, { keys: 'as-written' });
}

/**
 * The option `name` of `section` as setuptools names it: a dash in the key is an underscore
 * (`install-requires`, deprecated, is install_requires) except in [options.extras_require] and
 * [options.data_files], keys of [metadata] are lower-cased, and of two keys that name the same option
 * the later wins. [DEFAULT]'s options count in every section, as configparser's options() gives them.
 */
export function setuptoolsOption(doc: IniDocument, section: string, name: string): IniValue | undefined {
  const keepDashes = section === 'options.extras_require' || section === 'options.data_files';
  let found: IniValue | undefined;
  for (const v of iniOptions(doc, section)) {
    let key = keepDashes ? v.key : v.key.replaceAll('-', '_');
    if (section === 'metadata') key = key.toLowerCase();
    if (key === name) found = v;
  }
  return found;
}

/** setuptools' _parse_list: a value of several lines is one item a line, else items split at `separator`; stripped, empty ones dropped. */
export function setuptoolsList(value: string, separator = ','): string[] {
  const items = value.includes('\n') ? pythonSplitlines(value) : value.split(separator);
  const out: string[] = [];
  for (const item of items) {
    const s = pythonStrip(item);
    if (s !== '') out.push(s);
  }
  return out;
}

/** setuptools' _parse_dict (`package_dir = =src` is {"": "src"}), or undefined where setuptools stops with an error (an item without `=`). */
export function setuptoolsDict(value: string): Map<string, string> | undefined {
  const out = new Map<string, string>();
  for (const item of setuptoolsList(value)) {
    const eq = item.indexOf('=');
    if (eq < 0) return undefined;
    out.set(pythonStrip(item.slice(0, eq)), pythonStrip(item.slice(eq + 1)));
  }
  return out;
}

/** Requirement strings longer than this are dropped (no real one is; the PEP 508 reader stops at 4096 too). */
const MAX_REQUIREMENT = 4096;

/**
 * The requirement strings of `install_requires` (setup_requires, tests_require): one a line, or
 * split at `;` on one line (setuptools' _parse_list_semicolon); lines starting with `#` dropped;
 * a ` #` comment cut off; a line ending with a backslash joined with the next (the character before
 * the backslash goes too, and a last line that continues nothing is dropped, as setuptools does).
 */
export function setuptoolsRequirements(value: string): string[] {
  const lines: string[] = [];
  for (const item of setuptoolsList(value, ';')) {
    if (item.startsWith('#')) continue;
    // _reqs.parse_strings: yield_lines (each item's lines, stripped, not blank, not comments), drop_comment
    for (const line of pythonSplitlines(item)) {
      const s = pythonStrip(line);
      if (s === '' || s.startsWith('#')) continue;
      const hash = s.indexOf(' #');
      lines.push(hash < 0 ? s : s.slice(0, hash));
    }
  }
  // join_continuation
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    let item = lines[i]!;
    // a joined item past the bound is dropped, and the rest of its chain of lines with it
    let tooLong = false;
    while (item.endsWith('\\')) {
      if (i + 1 >= lines.length) return out;
      const next = lines[++i]!;
      item = tooLong ? next : pythonStrip(item.slice(0, -2)) + next;
      if (item.length > MAX_REQUIREMENT) {
        tooLong = true;
        item = next;
      }
    }
    if (!tooLong && item !== '') out.push(item);
  }
  return out;
}
