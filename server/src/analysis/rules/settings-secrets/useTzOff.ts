// DDH109: time zone support is off (USE_TZ = False, or unset before Django 5.0): naive datetimes.
import { analysisDay } from '../../base/clock';
import { observesDaylightSaving } from '../../catalogue/timeZones';
import * as V from '../../eval/values';
import { hasValue } from '../../models/settings/query';
import { originNote } from '../helpers';
import type { Rule } from '../types';

export const useTzOff: Rule = {
  code: 'DDH109',
  name: 'use-tz-off',
  title: 'Time zone support is off',
  severity: 'information',
  group: 'settings-secrets',
  checklist: 'settings-current',
  explainable: true,
  target: 'settings',
  docs: {
    what: 'The production settings turn time zone support off: `USE_TZ` is false, written or as the default of an environment lookup, or it is never set on a Django older than 5.0, whose default was False (`startproject` has written `USE_TZ = True` for years, and 5.0 made it the default). Not when `TIME_ZONE` names a zone whose UTC offset does not change during the year (`UTC`, `Asia/Shanghai`, as the IANA time zone database has it): Django runs the process in that zone, so no hour repeats or is skipped and the zone of the server does not matter.',
    why: "Without time zone support Django stores and compares naive datetimes in the server's local time (TIME_ZONE). Deployment guides call it the most common production datetime bug: a server or container in another zone than development, a daylight-saving change that repeats or skips an hour (duplicate or missing scheduled jobs, wrong ordering), timestamps that cannot be compared with aware ones from APIs or Celery, and PostgreSQL columns without a zone that other services misread.",
    example: 'USE_TZ = False\nTIME_ZONE = "Europe/Paris"',
    fix: 'Set `USE_TZ = True` and keep `TIME_ZONE` for display. Existing rows hold local times: convert them (or accept the offset) when switching, and look for `datetime.now()` calls that should be `django.utils.timezone.now()`. There is no quick fix: switching changes how stored values are read.',
    good: 'USE_TZ = True\nTIME_ZONE = "Europe/Paris"   # used for display and forms',
    references: [
      { title: 'Django: time zones', url: 'https://docs.djangoproject.com/en/stable/topics/i18n/timezones/' },
      { title: 'Django: USE_TZ', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#use-tz' },
      {
        title: 'Django 5.0 release notes: USE_TZ defaults to True',
        url: 'https://docs.djangoproject.com/en/stable/releases/5.0/#features-removed-in-5-0',
      },
    ],
  },
  check(ctx) {
    const q = ctx.settings.query('USE_TZ');
    if (q.state === 'supplied' || q.state === 'unknown') return ctx.undecided(q);
    if (V.truthy(q.value) !== false) return;
    // Django runs the process in TIME_ZONE (catalogue/timeZones.ts): a zone whose offset never
    // changes has no hour repeated or skipped and no server zone to differ from
    const tz = ctx.settings.query('TIME_ZONE');
    const zone = (hasValue(tz) || tz.state === 'unset') && tz.value.kind === 'str' ? tz.value.v : undefined;
    const dst = zone !== undefined ? observesDaylightSaving(zone, Number(analysisDay().slice(0, 4))) : undefined;
    if (dst === false) return;
    const harm = dst
      ? `wall-clock times of ${zone}, whose daylight-saving changes repeat an hour each autumn and skip one each spring (duplicate or missing scheduled runs, wrong ordering)`
      : "in the server's local time, so a server in another zone or a daylight-saving change shifts or repeats them";
    if (q.state === 'unset') {
      return ctx.report({
        loc: q.setting.loc,
        message: `USE_TZ is not set and its default in Django ${ctx.version.version} is False: datetimes are naive, ${harm}; set USE_TZ = True.`,
      });
    }
    ctx.report({
      loc: q.setting.loc,
      message: `USE_TZ is False${originNote(q.value)}: datetimes are naive, ${harm}; set USE_TZ = True (and convert stored times).`,
    });
  },
};
