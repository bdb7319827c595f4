// Worker-thread side of GET /api/v1/reports/leadership: laying out the PDF (font subsetting included) and
// zipping the workbook take 0.1–0.4 s, so they run here, off the HTTP event loop, from the report's
// figures (plain data, read from the store by the route).
import { parentPort } from "node:worker_threads";
import type { ThreadAnswer } from "../../ingest/parse-thread.js";
import { NO_FONT, type ExportJob } from "./export-job.js";
import { leadershipPdf, NoFontError } from "./report-pdf.js";
import { leadershipXlsx } from "./report-xlsx.js";

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
