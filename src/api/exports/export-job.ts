// What the API node sends the export thread, and how a missing font comes back. Kept apart from the
// thread's module so the server does not load the PDF and workbook libraries on its own event loop.
import type { LeadershipReport } from "../../store/read-model/leadership.js";

export interface ExportJob {
  id: number;
  format: "pdf" | "xlsx";
  report: LeadershipReport;
  /** KYSO_FONT as the server reads it at the request (a thread's environment is a copy from its start) */
  font?: string;
}

/** A missing font is said as such, so the route can answer 503 NO_FONT. */
export const NO_FONT = "NO_FONT: ";
