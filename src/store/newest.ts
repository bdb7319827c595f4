// The newest of several recorded times, by the instant each names (not by its text): the pages' "data as
// of" is the newest analysis or document, read on each backend from its own indexes.

/** The latest of these ISO 8601 times (absent ones skipped), or null when none is given. */
export function newestTime(times: ReadonlyArray<string | null | undefined>): string | null {
  const present = times.filter((t): t is string => !!t);
  return present.length ? present.reduce((a, b) => (Date.parse(a) >= Date.parse(b) ? a : b)) : null;
}
