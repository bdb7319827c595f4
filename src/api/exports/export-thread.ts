// Worker-thread side of GET /api/v1/reports/leadership: laying out the PDF (font subsetting included) and
// zipping the workbook take 0.1–0.4 s, so they run here, off the HTTP event loop, from the report's
// figures (plain data, read from the store by the route).
import { parentPort } from "node:worker_threads";
import type { ThreadAnswer } from "../../ingest/parse-thread.js";
import type { LeadershipReport } from "../../store/leadership.js";
import { leadershipPdf, NoFontError } from "./report-pdf.js";
import { leadershipXlsx } from "./report-xlsx.js";

export interface ExportJob {
  id: number;
  format: "pdf" | "xlsx";
  report: LeadershipReport;
  /** KYSO_FONT as the server reads it at the request (a thread's environment is a copy from its start) */
  font?: string;
}

/** A missing font is said as such, so the route can answer 503 NO_FONT. */
export const NO_FONT = "NO_FONT: ";

parentPort?.on("message", (job: ExportJob) => {
  void (async () => {
    try {
      const bytes = job.format === "xlsx" ? await leadershipXlsx(job.report) : await leadershipPdf(job.report, job.font);
      parentPort!.postMessage({ id: job.id, ok: true, result: bytes } satisfies ThreadAnswer<Uint8Array>, [bytes.buffer]);
    } catch (e) {
      const message = e instanceof NoFontError ? NO_FONT + e.message : (e as Error).message;
      parentPort!.postMessage({ id: job.id, ok: false, tooLarge: false, message } satisfies ThreadAnswer<Uint8Array>);
    }
  })();
});
