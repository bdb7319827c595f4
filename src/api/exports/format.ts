// Vietnamese number and date formats for what leadership prints: 65,4%; 1.234; 26/11/2024 09:00 (in
// Asia/Ho_Chi_Minh, whatever the server's zone).
const one = new Intl.NumberFormat("vi-VN", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const whole = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 0 });
const when = new Intl.DateTimeFormat("vi-VN", {
  timeZone: "Asia/Ho_Chi_Minh",
  day: "2-digit",
  month: "2-digit",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hour12: false,
});

/** a rate (0–1) as 65,4%; a dash when there is none */
export const pct = (rate: number | null): string => (rate === null ? "—" : `${one.format(rate * 100)}%`);

/** a change of rate in percentage points, signed: +2,1 điểm */
export const points = (delta: number): string => `${delta > 0 ? "+" : delta < 0 ? "−" : "±"}${one.format(Math.abs(delta) * 100)} điểm`;

export const int = (n: number): string => whole.format(n);

/** 2024-11-26 → 26/11/2024 */
export const day = (iso: string): string => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

/** an instant as 26/11/2024 09:00 (with `seconds`, 09:00:05), Vietnam's time; the text itself if it is not a time */
export function moment(iso: string, seconds = false): string {
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return iso;
  const parts = Object.fromEntries(when.formatToParts(new Date(t)).map((p) => [p.type, p.value]));
  return `${parts.day}/${parts.month}/${parts.year} ${parts.hour}:${parts.minute}${seconds ? `:${parts.second}` : ""}`;
}

/** 2024-11 → 11/2024 */
export const month = (m: string): string => `${m.slice(5, 7)}/${m.slice(0, 4)}`;

/** How a report's periods are bounded, said beside its dates (KYSO_REPORTING_PERIODS). */
export function conventionVi(c: "calendar" | "nd09"): string {
  return c === "nd09" ? "kỳ báo cáo theo Nghị định 09/2019/NĐ-CP: số liệu chốt ngày 14, mỗi tháng từ ngày 15 tháng trước đến ngày 14" : "theo tháng dương lịch";
}
