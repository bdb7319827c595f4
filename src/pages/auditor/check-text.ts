// What the page says of a log check (no DOM): whether the server checked everything or only since the head
// it verified last (its answer's mode), how much it checked, the last full check and whether it held, and
// the head this browser kept; a failure names its entry or row under the same mode.
import type { AuditorWords } from "./words.js";

/** GET /api/v1/audit/verify's answer, as the page reads it. */
export interface VerifyAnswer {
  ok: boolean;
  mode?: "since" | "full";
  since?: number | null;
  fullCheck?: { at: string; ok: boolean } | null;
  entries: number;
  head: { seq: number; hash: string };
  broken?: { seq: number; reason: string };
  figures?: { documents: number; broken?: { table: string; row: string; reason: string } };
  error?: { message?: string };
}

const when = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Asia/Ho_Chi_Minh",
  day: "2-digit",
  month: "2-digit",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hour12: false,
});

/** An instant as 26/11/2024 09:00, Vietnam's time (the pages' convention in either language). */
export function vnMoment(iso: string): string {
  const t = Date.parse(iso);
  return Number.isFinite(t) ? when.format(new Date(t)).replace(",", "") : iso;
}

/** The sentence for a check's answer; `kept` the head this browser saw before, if the check asked about it. */
export function checkText(v: VerifyAnswer, kept: { seq: number; at: string } | undefined, T: AuditorWords): string {
  const since = v.mode === "since" && typeof v.since === "number" ? v.since : null;
  if (!v.ok) {
    const what = v.broken
      ? T.broken(v.broken.seq, v.broken.reason)
      : T.figures(v.figures?.broken ? v.figures.broken.table + " " + v.figures.broken.row + ": " + v.figures.broken.reason : (v.error?.message ?? ""));
    return (since === null ? T.fullBroken : T.sinceBroken(since)) + what;
  }
  let text = since === null ? T.fullOk(v.entries, v.head.hash) : T.sinceOk(since, v.entries, v.head.hash);
  if (kept) text += T.since(kept.seq, kept.at);
  if (v.figures) text += T.agree(v.figures.documents);
  if (since !== null) text += v.fullCheck ? T.lastFull(vnMoment(v.fullCheck.at), v.fullCheck.ok) : T.noFull;
  return text;
}
