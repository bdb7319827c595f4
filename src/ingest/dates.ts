// Calendar days as senders write them are checked the same way everywhere: a YYYY-MM-DD string that
// names a day that exists (2024-02-30 and 2024-13-45 do not).

/** True when `d` (YYYY-MM-DD) is a day of the calendar. */
export function isCalendarDay(d: string): boolean {
  const t = Date.parse(`${d}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === d;
}
