// The HTTP API (DESIGN.md §4.5): Hono with routes described by zod schemas, from which the OpenAPI
// document is generated. Each group of routes is a sub-app in its own file (documents, registers, the
// directory, the figures, the audit, the exchange, the workers, operations); this file only sets what is
// common to all of them and mounts them. Errors are `{ error: { code, message } }` with the right status.
// Every /api/v1 route needs a bearer API key, or the pages' session cookie, with a role the route admits (auth.ts).
import { OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import type { Context } from "hono";
import { MetadataError } from "../ingest/metadata.js";
import { ROLES } from "../store/sqlite/keys.js";
import { storageProblem } from "../store/storage-errors.js";
import { ENGINE_VERSION } from "../version.js";
import { auditRoutes } from "./audit-routes.js";
import { requireRole, SECURITY_SCHEME, type AuthEnv } from "./auth.js";
import type { ApiDeps, MountedDeps } from "./deps.js";
import { mountPorts } from "./mounted-ports.js";
import { directoryRoutes } from "./directory-routes.js";
import { documentRoutes } from "./document-routes.js";
import { edxmlRoutes } from "./edxml-route.js";
import { ApiError } from "./errors.js";
import { operationRoutes } from "./operations.js";
import { REPORT_PAGE_HEADERS } from "./page.js";
import { registerRoutes } from "./register-routes.js";
import { signInRoutes } from "./sign-in-routes.js";
import { statsRoutes } from "./stats-routes.js";
import { workerRoutes } from "./worker-routes.js";

export type { ApiDeps } from "./deps.js";

export function createApp(given: ApiDeps) {
  const deps: MountedDeps = mountPorts(given);
  const app = new OpenAPIHono<AuthEnv>();
  // errors thrown in any sub-app end here (a sub-app without its own handler uses its parent's)
  app.onError((e, c) => {
    if (e instanceof ApiError) return c.json({ error: { code: e.code, message: e.message } }, e.status);
    if (e instanceof MetadataError) return c.json({ error: { code: "BAD_METADATA", message: e.message } }, 400);
    const storage = storageProblem(e);
    if (storage) {
      deps.onStorageProblem?.(storage.message);
      return c.json({ error: { code: storage.code, message: storage.message } }, storage.status, storage.status === 503 ? { "retry-after": "60" } : {});
    }
    // the request validators' own refusals (a body that is not JSON, or not of the declared type)
    if (e instanceof HTTPException && e.status < 500)
      return c.json({ error: { code: e.status === 415 ? "UNSUPPORTED_MEDIA_TYPE" : "BAD_REQUEST", message: e.message || "bad request" } }, e.status);
    console.error(`kyso api: ${e.stack ?? e}`);
    return c.json({ error: { code: "INTERNAL", message: "internal error" } }, 500);
  });
  app.notFound((c) => c.json({ error: { code: "NOT_FOUND", message: `no route ${c.req.method} ${c.req.path}` } }, 404));
  // every HTML answer carries a page policy, nosniff and a same-origin referrer policy: one that a route sent without them
  // gets the report pages' (no script at all), so no page can leave without
  app.use("*", async (c, next) => {
    await next();
    if (!/^text\/html/i.test(c.res.headers.get("content-type") ?? "")) return;
    for (const [k, v] of Object.entries(REPORT_PAGE_HEADERS)) if (!c.res.headers.has(k)) c.res.headers.set(k, v);
  });
  const limit = deps.maxBodyBytes ?? 50 * 1024 * 1024;
  app.use(
    "/api/v1/*",
    bodyLimit({ maxSize: limit, onError: (c) => c.json({ error: { code: "TOO_LARGE", message: `the request body is larger than ${limit} bytes` } }, 413) }),
  );
  app.openAPIRegistry.registerComponent("securitySchemes", SECURITY_SCHEME, {
    type: "http",
    scheme: "bearer",
    description:
      "An API key from `kyso keys create --role ROLE --label TEXT`. Each operation lists the roles it admits (x-kyso-roles); admin is admitted everywhere.",
  });
  for (const group of [
    documentRoutes(deps),
    registerRoutes(deps),
    directoryRoutes(deps),
    statsRoutes(deps),
    auditRoutes(deps),
    edxmlRoutes(deps, limit),
    workerRoutes(deps),
    operationRoutes(deps),
    signInRoutes(deps),
  ])
    app.route("/", group);
  app.use("/api/v1/openapi.json", requireRole(deps.access, ROLES));
  app.doc("/api/v1/openapi.json", {
    openapi: "3.0.0",
    info: { title: "kyso", version: ENGINE_VERSION, description: "Signed-electronic document compliance of a province's agencies" },
  });
  return app;
}

export type App = ReturnType<typeof createApp>;
export type { Context };
