// Time zones: what Django does with TIME_ZONE when time zone support is off, and whether a zone
// observes daylight-saving time, from the IANA time zone database as the runtime's ICU holds it.
import type { Fact } from './facts';

/**
 * With USE_TZ = False, Django runs the process in TIME_ZONE (it sets TZ and calls time.tzset() on
 * Unix): naive datetimes are that zone's wall-clock time whatever the server's own zone is.
 */
export const DJANGO_SETS_PROCESS_TZ: Fact<boolean> = {
  value: true,
  knob: 'TIME_ZONE',
  source: {
    url: 'https://docs.djangoproject.com/en/stable/ref/settings/#time-zone',
    quote:
      "On Unix environments (where time.tzset() is implemented), Django sets the os.environ['TZ'] variable to the time zone you specify in the TIME_ZONE setting. Thus, all your views and models will automatically operate in this time zone.",
  },
};

/** Where the offsets come from: the IANA database, through ICU (ECMA-402 Intl.DateTimeFormat). */
export const TZ_DATABASE_SOURCE = {
  url: 'https://www.iana.org/time-zones',
  quote:
    'The Time Zone Database (often called tz or zoneinfo) contains code and data that represent the history of local time for many representative locations around the globe.',
} as const;

function offsetOn(zone: string, ms: number): string | undefined {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' }).formatToParts(ms);
  return parts.find((p) => p.type === 'timeZoneName')?.value;
}

/**
 * Whether `zone` changes its UTC offset during `year` (daylight-saving time, or a change of
 * standard offset): compared on the first day of each month. Undefined for a name the database
 * does not know (Django refuses it at start-up) or a runtime without time zone data.
 */
export function observesDaylightSaving(zone: string, year: number): boolean | undefined {
  try {
    const first = offsetOn(zone, Date.UTC(year, 0, 1));
    if (first === undefined) return undefined;
    for (let m = 1; m < 12; m++) if (offsetOn(zone, Date.UTC(year, m, 1)) !== first) return true;
    return false;
  } catch {
    return undefined;
  }
}
