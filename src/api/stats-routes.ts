// The figures: the province's and each agency's for a period, the months, what to do next, and
// leadership's PDF and workbook, laid out on their own thread.
import { z, type OpenAPIHono } from "@hono/zod-openapi";
import { securedRoute, type AuthEnv } from "./auth.js";
import { ParseThread, threadPath } from "../ingest/parse-thread.js";
import { agencies as agencyStats, nextStepsOf, periodsWithDocuments, summary, timeseries } from "../store/read-model/figures.js";
import { agenciesCsv, timeseriesCsv } from "./exports/stats-csv.js";
import { ApiError } from "./errors.js";
import { ErrorBody, json, Loose } from "./schemas.js";
import { leadershipReport, reportPeriod } from "../store/read-model/leadership.js";
import { NO_FONT, type ExportJob } from "./exports/export-job.js";
import type { MountedDeps } from "./deps.js";
import { errors, routes, PeriodQuery, TableQuery, XLSX, csvFile, period } from "./http.js";
import { conventionOf, namedPeriod, periodOf, type PeriodConvention } from "../compliance/index.js";
import type { Period } from "../store/read-model/figures.js";

/** `period=2024-11`, `2024-Q4` or `2024`: bounded by the convention of KYSO_REPORTING_PERIODS, beside from/to. */
const PeriodKey = z.string().max(16).optional();
const FigureQuery = PeriodQuery.extend({ period: PeriodKey });
const FigureTableQuery = TableQuery.extend({ period: PeriodKey });

/**
 * The days a figure covers: a named period under the convention, or from/to as given; with neither, the
 * year that holds today (under the calendar exactly as before: 1 January to 31 December).
 */
function figurePeriod(
  q: { from?: string | undefined; to?: string | undefined; period?: string | undefined },
  c: PeriodConvention,
): Period & { kind?: string; key?: string } {
  if (q.period !== undefined) {
    if (q.from !== undefined || q.to !== undefined) throw new ApiError(400, "BAD_PERIOD", "give period, or from and to, not both");
    const n = namedPeriod(q.period, c);
    if (!n) throw new ApiError(400, "BAD_PERIOD", `period '${q.period}' is not a month (2024-11), a quarter (2024-Q4) or a year (2024)`);
    return { from: n.from, to: n.to, kind: n.kind, key: n.key };
  }
  if (c === "calendar") return period(q);
  const year = periodOf(new Date().toISOString().slice(0, 10), "year", c);
  return period({ from: q.from ?? year.from, to: q.to ?? year.to });
}

/** The routes of the figures, as a sub-app the API mounts. */
export function statsRoutes(deps: MountedDeps): OpenAPIHono<AuthEnv> {
  const { policy } = deps;
  const figures = deps.readModel;
  const convention = conventionOf(policy);
  const app = routes();
  const viewer = ["viewer", "auditor"] as const;
  // leadership's PDF and workbook are laid out on their own thread, one at a time, never on the event loop
  const exporter = new ParseThread<Omit<ExportJob, "id">, Uint8Array>(threadPath("export-thread", "api/exports"), { timeoutMs: 60_000, maxHeapMb: 512 }, (m) =>
    m.startsWith(NO_FONT) ? new ApiError(503, "NO_FONT", m.slice(NO_FONT.length)) : new ApiError(503, "EXPORT_FAILED", `the report could not be made: ${m}`),
  );

  app.openapi(
    securedRoute(deps.access, viewer, {
      method: "get",
      path: "/api/v1/stats/summary",
      summary: "Rate, target, gap and trend for a period (and optionally one agency)",
      request: { query: FigureQuery },
      responses: { 200: json(Loose, "the province figure"), ...errors },
    }),
    async (c) => {
      const q = c.req.valid("query");
      return c.json((await summary(figures, figurePeriod(q, convention), policy, q.agency)) as unknown as Record<string, unknown>, 200);
    },
  );

  app.openapi(
    securedRoute(deps.access, viewer, {
      method: "get",
      path: "/api/v1/stats/next",
      summary:
        "What to do next in the period: the agencies furthest from the target, the main reason documents do not count, agency codes the directory lacks (or: keep the target)",
      request: { query: FigureQuery },
      responses: { 200: json(Loose, "the steps"), ...errors },
    }),
    async (c) => c.json((await nextStepsOf(figures, figurePeriod(c.req.valid("query"), convention), policy)) as unknown as Record<string, unknown>, 200),
  );

  app.openapi(
    securedRoute(deps.access, viewer, {
      method: "get",
      path: "/api/v1/stats/periods",
      summary: "The months that hold documents (reporting months under KYSO_REPORTING_PERIODS=nd09), oldest first, and the latest: where a dashboard opens",
      responses: { 200: json(Loose, "months with documents"), ...errors },
    }),
    async (c) => c.json(await periodsWithDocuments(figures, convention), 200),
  );

  app.openapi(
    securedRoute(deps.access, viewer, {
      method: "get",
      path: "/api/v1/stats/agencies",
      summary: "Per-agency rates and ranking (?format=csv: a table for spreadsheets)",
      request: { query: FigureTableQuery },
      responses: { 200: { content: { "application/json": { schema: Loose }, "text/csv": { schema: z.string() } }, description: "per agency" }, ...errors },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const a = await agencyStats(figures, figurePeriod(q, convention), policy);
      if (q.format === "csv") return csvFile(c, agenciesCsv(a), `kyso-agencies-${a.period.from}-${a.period.to}.csv`);
      return c.json(a as unknown as Record<string, unknown>, 200);
    },
  );

  app.openapi(
    securedRoute(deps.access, viewer, {
      method: "get",
      path: "/api/v1/stats/timeseries",
      summary: "Monthly series, overall or per agency, in reporting months under KYSO_REPORTING_PERIODS=nd09 (?format=csv: a table for spreadsheets)",
      request: { query: FigureTableQuery },
      responses: { 200: { content: { "application/json": { schema: Loose }, "text/csv": { schema: z.string() } }, description: "monthly series" }, ...errors },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const t = await timeseries(figures, figurePeriod(q, convention), policy, q.agency);
      if (q.format === "csv") return csvFile(c, timeseriesCsv(t), `kyso-months-${q.agency ? `${q.agency}-` : ""}${t.period.from}-${t.period.to}.csv`);
      return c.json(t as unknown as Record<string, unknown>, 200);
    },
  );

  app.openapi(
    securedRoute(deps.access, viewer, {
      method: "get",
      path: "/api/v1/reports/leadership",
      summary:
        "Leadership's report for a month (2024-11), a quarter (2024-Q4) or a year (2024): a PDF to print (format=pdf, the default) or an Excel workbook with Vietnamese headers (format=xlsx)",
      request: { query: z.object({ period: z.string().max(16), format: z.enum(["pdf", "xlsx"]).optional() }) },
      responses: {
        200: { content: { "application/pdf": { schema: z.string() }, [XLSX]: { schema: z.string() } }, description: "the report as a download" },
        ...errors,
        503: json(ErrorBody, "no font for the PDF on this server"),
      },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const p = reportPeriod(q.period, convention);
      if (!p) throw new ApiError(400, "BAD_PERIOD", `period '${q.period}' is not a month (2024-11), a quarter (2024-Q4) or a year (2024)`);
      const report = await leadershipReport(figures, p, policy);
      const name = `kyso-bao-cao-${p.key}`;
      const format = q.format ?? "pdf";
      const bytes = await exporter.run({ format, report, ...(process.env.KYSO_FONT ? { font: process.env.KYSO_FONT } : {}) });
      if (format === "xlsx")
        return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { "content-type": XLSX, "content-disposition": `attachment; filename="${name}.xlsx"` });
      return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { "content-type": "application/pdf", "content-disposition": `attachment; filename="${name}.pdf"` });
    },
  );

  return app;
}
