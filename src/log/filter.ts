// Which entries of the log a reader asks for (GET /api/v1/audit's filters, `kyso audit export`'s): every
// backend admits the same entries for the same filter.

export interface AuditFilter {
  /** entries at or after this day (YYYY-MM-DD) */
  from?: string | undefined;
  /** entries up to the end of this day */
  to?: string | undefined;
  agency?: string | undefined;
  documentId?: string | undefined;
  action?: string | undefined;
}

/**
 * The bound `to` gives: entries before the start of the next day (timestamps are ISO text in UTC, so
 * comparing text compares times).
 */
export function before(to: string): string {
  const d = new Date(`${to}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString();
}

/** A page of entries in log order and the cursor of the next one (null: no more). */
export interface LogPage<E> {
  entries: E[];
  next: number | null;
}
