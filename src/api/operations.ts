// What operators and browsers reach without the API's routes: the pages (the dashboard, the auditors'
// page, the check page), /healthz, /readyz and /metrics (Prometheus text).
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Db } from "../store/sqlite/db.js";
import type { AuthEnv } from "./auth.js";
import type { AccessStore } from "../store/ports.js";
import { auditHead } from "../store/sqlite/audit.js";
import { analysisTotals, bucketCounts, queueDepth, statusCounts, storeAnswers } from "../store/sqlite/documents.js";
import { heldCounts } from "../store/sqlite/lifecycle.js";
import { dashboardPage } from "./dashboard.js";
import { auditorPage } from "./auditor-page.js";
import { checkPage } from "./check-page.js";
import type { ScriptedPage } from "./page.js";
import type { MountedDeps } from "./deps.js";
import { routes } from "./http.js";
import { pageHeaderFor, withPageHeader } from "./page-header.js";
import { trustState } from "./trust-state.js";

/** The pages and the operations endpoints, as a sub-app the API mounts. */
export function operationRoutes(deps: MountedDeps): OpenAPIHono<AuthEnv> {
  const { db } = deps;
  const app = routes();

  // the pages hold no data: they ask the API with the reader's session; each carries the header of the
  // request's own session and the store's newest data, so it is never kept by a cache
  for (const [path, page, name] of [
    ["/dashboard", dashboardPage, "dashboard"],
    ["/auditor", auditorPage, "auditor"],
    ["/check", checkPage, "check"],
  ] as const) {
    app.get(path, async (c) => {
      const p: ScriptedPage = page();
      return c.html(withPageHeader(p.html, await pageHeaderFor(c, deps, name)), 200, { ...p.headers, "cache-control": "no-store" });
    });
  }
  app.get("/", (c) => c.redirect("/dashboard"));
  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.get("/readyz", async (c) => {
    try {
      storeAnswers(db);
    } catch (e) {
      return c.json({ status: "not ready", reason: `database: ${(e as Error).message}` }, 503);
    }
    // which trust store made the stored reports: a warning beside the state, never a reason to refuse
    const trust = trustState(db, deps.trust());
    // what the store's checks covered: a long log's older entries are verified by the full check, after start
    const store = deps.storeReadiness?.();
    const more = { trust, ...(store ? { store } : {}) };
    const problem = deps.storeProblem?.() ?? deps.storageState?.() ?? null;
    if (problem) return c.json({ status: "not ready", reason: problem, ...more }, 503);
    const extra = deps.ready ? await deps.ready() : null;
    return extra ? c.json({ status: "not ready", reason: extra, ...more }, 503) : c.json({ status: "ready", ...more });
  });
  app.get("/metrics", async (c) =>
    c.text(
      metricsText(db, {
        figures: deps.publicFigures === true || (await hasKey(deps.access, c.req.header("authorization"))),
        problem: deps.storeProblem?.() ?? null,
      }) + ((await deps.metrics?.().catch((e: Error) => `# runner metrics unavailable: ${e.message.replace(/\s+/g, " ")}\n`)) ?? ""),
      200,
      { "content-type": "text/plain; version=0.0.4" },
    ),
  );

  return app;
}

/** A viewer (or auditor, or admin) key in the request: /metrics then shows the figures too. */
async function hasKey(access: AccessStore, header: string | undefined): Promise<boolean> {
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? "");
  const key = m ? await access.authenticate(m[1]!) : null;
  return !!key && key.role !== "ingest";
}

const labelValue = (s: string) => s.replace(/[\\"]/g, "\\$&").replace(/\n/g, " ");

function metricsText(db: Db, o: { figures: boolean; problem: string | null }): string {
  const lines: string[] = [
    "# HELP kyso_store_intact 1 when the store's check at start held (the tree root over every stored hash, no gap, the log keys, a sample re-hashed, the published head) and so did the last full check in the background; 0 with the reason.",
    "# TYPE kyso_store_intact gauge",
  ];
  lines.push(o.problem ? `kyso_store_intact{reason="${labelValue(o.problem)}"} 0` : "kyso_store_intact 1");
  lines.push("# HELP kyso_documents Documents by status.", "# TYPE kyso_documents gauge");
  for (const [s, n] of Object.entries(statusCounts(db))) lines.push(`kyso_documents{status="${s}"} ${n}`);
  // the province's figures by category are for viewers: without a key (or KYSO_METRICS_FIGURES=public) they stay out
  if (o.figures) {
    lines.push("# HELP kyso_documents_by_category Documents by compliance category.", "# TYPE kyso_documents_by_category gauge");
    for (const [c, n] of Object.entries(bucketCounts(db))) lines.push(`kyso_documents_by_category{category="${c}"} ${n}`);
  }
  lines.push("# HELP kyso_documents_held Documents outside every category until resolved, by reason.", "# TYPE kyso_documents_held gauge");
  for (const [reason, n] of Object.entries(heldCounts(db))) lines.push(`kyso_documents_held{reason="${reason}"} ${n}`);
  // with BullMQ, documents handed to Redis are `processing` until their result comes back: the backlog is both
  const q = { n: queueDepth(db) };
  lines.push("# HELP kyso_queue_depth Documents not analyzed yet (queued, or handed to a runner).", "# TYPE kyso_queue_depth gauge", `kyso_queue_depth ${q.n}`);
  lines.push("# HELP kyso_audit_entries Entries in the verification log.", "# TYPE kyso_audit_entries counter", `kyso_audit_entries ${auditHead(db).seq}`);
  const d = analysisTotals(db);
  lines.push(
    "# HELP kyso_analysis_duration_seconds Time spent analyzing documents.",
    "# TYPE kyso_analysis_duration_seconds summary",
    `kyso_analysis_duration_seconds_sum ${(d.s / 1000).toFixed(3)}`,
    `kyso_analysis_duration_seconds_count ${d.n}`,
  );
  return lines.join("\n") + "\n";
}
