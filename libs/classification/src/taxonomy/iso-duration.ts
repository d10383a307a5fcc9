/** A calendar period as ISO 8601 writes it without a time part: `P8Y`, `P1Y6M`, `P2W`, `P90D`. */
export interface IsoDuration {
  readonly years: number;
  readonly months: number;
  readonly weeks: number;
  readonly days: number;
}

const DURATION = /^P(?:([0-9]{1,4})Y)?(?:([0-9]{1,4})M)?(?:([0-9]{1,5})W)?(?:([0-9]{1,6})D)?$/;
const DAY_MS = 86_400_000;

/** Parses a positive date-only ISO 8601 duration, or returns null. */
export function parseIsoDuration(text: string): IsoDuration | null {
  const m = DURATION.exec(text);
  if (m === null || text === 'P') return null;
  const [years, months, weeks, days] = [m[1], m[2], m[3], m[4]].map((v) => (v === undefined ? 0 : Number(v)));
  const d = { years: years ?? 0, months: months ?? 0, weeks: weeks ?? 0, days: days ?? 0 };
  return d.years + d.months + d.weeks + d.days > 0 ? d : null;
}

/** Whole days, rounded up, with 365.25-day years and 30.4375-day months. */
export const durationDays = (d: IsoDuration): number =>
  Math.ceil(d.years * 365.25 + d.months * 30.4375 + d.weeks * 7 + d.days);

/**
 * `at` plus the period on the UTC calendar (a month after 31 January is the last day of
 * February), and never earlier than `at` plus {@link durationDays}: a retention deadline must
 * satisfy both the calendar reading and the day count that the published taxonomy states.
 */
export function addRetention(at: Date, d: IsoDuration): Date {
  const calendar = new Date(at.getTime());
  const day = calendar.getUTCDate();
  calendar.setUTCDate(1);
  calendar.setUTCFullYear(calendar.getUTCFullYear() + d.years, calendar.getUTCMonth() + d.months);
  const lastDay = new Date(Date.UTC(calendar.getUTCFullYear(), calendar.getUTCMonth() + 1, 0)).getUTCDate();
  calendar.setUTCDate(Math.min(day, lastDay));
  const byCalendar = calendar.getTime() + (d.weeks * 7 + d.days) * DAY_MS;
  const byDays = at.getTime() + durationDays(d) * DAY_MS;
  return new Date(Math.max(byCalendar, byDays));
}
