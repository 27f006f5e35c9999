// A value written for dynaconf to read (an environment variable of an app whose settings dynaconf
// loads, a string of its settings files): its first word may be a token that says what the setting
// becomes (catalogue DYNACONF_VALUE_TOKENS), so that the text written is not the value. `@none None`
// is None, `@bool true` a flag, `@int 5` a number, `@format {this.DB_PASSWORD}` whatever the
// setting it names holds: none of them a secret written in the file. Read as plain text by anything
// else, such a value is a marker, not a credential either.
import { DYNACONF_VALUE_TOKENS } from '../catalogue/libraries';

/** What a dynaconf value holds for the decision about secrets. */
export type DynaconfValue =
  /** Nothing a secret can be: None, a flag, a template whose text is only references. */
  | { readonly kind: 'nothing' }
  /** A cast: the rest of the value, which the setting holds (typed). */
  | { readonly kind: 'cast'; readonly rest: string }
  /**
   * A template: its text with each reference written `<setting>` (a placeholder, so a URL's
   * password that is a reference is one), and its literal text alone (the references removed).
   */
  | { readonly kind: 'template'; readonly text: string; readonly literal: string };

/**
 * A str.format field naming another setting or an environment variable: `{this.DB_NAME}`,
 * `{this[db][password]}`, `{env[HOME]}`, with a conversion or a format spec.
 */
const FORMAT_REFERENCE = /\{(?:this|env)(?:\.\w+|\[[^[\]{}]*\])+(?:![rsa])?(?::[^{}]*)?\}/g;
/** A Jinja expression naming one, with filters that take no argument: `{{ this.DB_NAME }}`, `{{ env.HOME | lower }}`. */
const JINJA_REFERENCE = /\{\{\s*(?:this|env)(?:\.\w+|\[[^[\]{}]*\])+(?:\s*\|\s*\w+)*\s*\}\}/g;

/** Literal text that is only separators between references (`{this.A}/{this.B}`, `{{ this.A }}-{{ this.B }}`). */
const ONLY_SEPARATORS = /^[\s/.:,;_-]*$/;

/**
 * What a value holds when it starts with one of dynaconf's tokens (the first word, up to a space,
 * as dynaconf splits it), or undefined when it does not.
 */
export function dynaconfValue(value: string): DynaconfValue | undefined {
  const v = value.trim();
  if (!v.startsWith('@')) return undefined;
  const space = v.indexOf(' ');
  const token = space < 0 ? v : v.slice(0, space);
  const rest = space < 0 ? '' : v.slice(space + 1);
  const { none, flag, cast, template } = DYNACONF_VALUE_TOKENS;
  if ((none.value as readonly string[]).includes(token) || (flag.value as readonly string[]).includes(token)) return { kind: 'nothing' };
  if ((cast.value as readonly string[]).includes(token)) return { kind: 'cast', rest };
  const reference = token === template.value.format ? FORMAT_REFERENCE : token === template.value.jinja ? JINJA_REFERENCE : undefined;
  if (!reference) return undefined;
  const literal = rest.replace(reference, ' ').trim();
  if (ONLY_SEPARATORS.test(literal)) return { kind: 'nothing' };
  return { kind: 'template', text: rest.replace(reference, '<setting>'), literal };
}
