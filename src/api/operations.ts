// What operators and browsers reach without the API's routes: the pages (the dashboard, the auditors'
// page, the check page), /healthz, /readyz and /metrics (Prometheus text).
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AuthEnv } from "./auth.js";
import type { AccessStore } from "../store/ports.js";
import { dashboardPage } from "./dashboard.js";
import { auditorPage } from "./auditor-page.js";
import { checkPage } from "./check-page.js";
import type { ScriptedPage } from "./page.js";
import type { MountedDeps } from "./deps.js";
import { routes } from "./http.js";
import { pageHeaderFor, withPageHeader } from "./page-header.js";
import { trustState } from "./trust-state.js";
import { metricsText, storeFigures } from "./metrics-text.js";

/** The pages and the operations endpoints, as a sub-app the API mounts. */
export function operationRoutes(deps: MountedDeps): OpenAPIHono<AuthEnv> {
  const { operations } = deps;
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
      await operations.answers();
    } catch (e) {
      return c.json({ status: "not ready", reason: `database: ${(e as Error).message}` }, 503);
    }
    // which trust store made the stored reports: a warning beside the state, never a reason to refuse
    const trust = trustState(await operations.trustStoresSeen(), deps.trust());
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
      metricsText(await storeFigures(operations, deps.log), {
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
