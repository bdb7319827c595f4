// Registers of exchanges (JSON rows, CSV or XLSX registers of Nghị định 30, read on their own thread)
// and the reconciliation of the registers with the electronic exchanges.
import { statSync } from "node:fs";
import { z, type OpenAPIHono } from "@hono/zod-openapi";
import { now as clockNow } from "../clock.js";
import { actorOf, requireSender, securedRoute, type AuthEnv } from "./auth.js";
import { submitRegisterOn } from "../lifecycle/index.js";
import { knownDirectory } from "./directory-cache.js";
import { RegisterError, type RegisterRow } from "../ingest/register.js";
import { ParseThread, threadPath } from "../ingest/parse-thread.js";
import type { RegisterJob } from "../ingest/register-thread.js";
import { MetadataError, parseMetadata } from "../ingest/metadata.js";
import { ApiError } from "./errors.js";
import { calendarDay, ErrorBody, json, Loose } from "./schemas.js";
import type { MountedDeps } from "./deps.js";
import { errors, routes, XLSX_TYPE } from "./http.js";

/** The routes of registers, as a sub-app the API mounts. */
export function registerRoutes(deps: MountedDeps): OpenAPIHono<AuthEnv> {
  const { blobs } = deps;
  const app = routes();
  const ingest = ["ingest"] as const;
  const viewer = ["viewer", "auditor"] as const;
  const registers = new ParseThread<Omit<RegisterJob, "id">, RegisterRow[]>(
    threadPath("register-thread"),
    { timeoutMs: 20_000, maxHeapMb: 512 },
    (m, big) => new RegisterError(m, big),
  );

  app.openapi(
    securedRoute(deps.access, ingest, {
      method: "post",
      path: "/api/v1/exchanges",
      summary:
        "Register exchanges: a JSON array of rows, or a register as CSV (comma or semicolon, UTF-8 with or without BOM) in kyso's columns or in a Nghị định 30 Phụ lục IV layout (incoming or outgoing register, Vietnamese headers, dd/MM/yyyy, agency names or codes; ?owner=CODE: the agency that keeps it), or the same as an XLSX workbook (application/vnd.openxmlformats-officedocument.spreadsheetml.sheet: the header row found below a title block, number and notation in two columns, a paper/electronic column recorded). Rows are reconciled with the electronic documents; a bad row stores nothing and is named with its sheet, row and column",
      request: { query: z.object({ owner: z.string().optional() }) },
      responses: {
        201: json(
          z.object({
            recorded: z.number(),
            layout: z.string(),
            matched: z.number(),
            documents: z.array(z.object({ id: z.string(), status: z.string(), existing: z.boolean(), matched: z.boolean() })),
          }),
          "recorded",
        ),
        ...errors,
        415: json(ErrorBody, "neither JSON, CSV nor XLSX"),
      },
    }),
    async (c) => {
      const type = c.req.header("content-type") ?? "";
      const dir = (await knownDirectory(deps.readModel)).directory;
      const now = clockNow();
      const owner = c.req.valid("query").owner ?? null;
      let rows: RegisterRow[];
      if (type.includes("application/json")) {
        let body: unknown;
        try {
          body = await c.req.json();
        } catch {
          throw new ApiError(400, "BAD_JSON", "the body is not valid JSON");
        }
        const list = Array.isArray(body) ? body : [body];
        rows = list.map((v, i) => {
          if (!v || typeof v !== "object") throw new ApiError(400, "BAD_ROW", `row ${i + 1} is not an object`);
          try {
            return { line: i + 1, layout: "kyso", meta: parseMetadata(v as Record<string, unknown>, dir.resolve, now) };
          } catch (e) {
            if (e instanceof MetadataError) throw new ApiError(400, "BAD_ROW", `row ${i + 1}: ${e.message}`);
            throw e;
          }
        });
      } else if (type.includes("text/csv") || type.includes(XLSX_TYPE)) {
        // read in a worker thread: a register of many thousand rows never holds the event loop
        try {
          const source = type.includes(XLSX_TYPE) ? { xlsx: new Uint8Array(await c.req.arrayBuffer()) } : { text: await c.req.text() };
          rows = await registers.run({ ...source, owner, entries: [...dir.entries], now: now.toISOString() });
        } catch (e) {
          if (e instanceof RegisterError) throw e.tooLarge ? new ApiError(413, "TOO_LARGE", e.message) : new ApiError(400, "BAD_ROW", e.message);
          throw e;
        }
      } else throw new ApiError(415, "UNSUPPORTED_MEDIA_TYPE", `send application/json, text/csv or ${XLSX_TYPE}`);
      if (rows.length === 0) throw new ApiError(400, "EMPTY", "no rows");
      // a key bound to agencies registers their own exchanges: JSON rows they sent, registers they keep
      const key = c.get("key");
      if (key.senders) {
        if (type.includes("text/csv") || type.includes(XLSX_TYPE)) requireSender(key, owner ?? "(no ?owner= given)", dir);
        else for (const r of rows) requireSender(key, r.meta.sender, dir);
      }
      // every row is checked before any is stored: a bad row stores nothing
      const entries = rows.map((r) => {
        const m = r.meta;
        const stored = m.sha256 && blobs.has(m.sha256) ? statSync(blobs.pathOf(m.sha256)).size : null;
        if (m.sha256 && stored === null && m.channel === "electronic")
          throw new ApiError(422, "UNKNOWN_FILE", `row ${r.line}: no uploaded file has sha256 ${m.sha256}`);
        return {
          line: r.line,
          meta: m,
          file: m.sha256 && stored !== null ? { sha256: m.sha256, bytes: stored, kind: "pdf" as const } : null,
          ...(r.form ? { form: r.form } : {}),
        };
      });
      const out = await submitRegisterOn(
        deps.lifecycle,
        { owner: owner ? (dir.resolve(owner) ?? owner) : null, layout: rows[0]!.layout, rows: entries, source: "register" },
        actorOf(c.get("key")),
      );
      if (out.some((r) => r.status === "queued" && !r.existing)) deps.onQueued();
      return c.json(
        {
          recorded: out.length,
          layout: rows[0]!.layout,
          matched: out.filter((o) => o.matched).length,
          documents: out.map((r) => ({ id: r.id, status: r.status, existing: r.existing, matched: r.matched })),
        },
        201,
      );
    },
  );

  app.openapi(
    securedRoute(deps.access, viewer, {
      method: "get",
      path: "/api/v1/reconciliation",
      summary:
        "Registers against the electronic exchanges: register rows no electronic document matched (counted as paper), and electronic documents the registers of their agencies do not list",
      request: { query: z.object({ owner: z.string().optional(), from: calendarDay("from").optional(), to: calendarDay("to").optional() }) },
      responses: { 200: json(Loose, "the mismatches both ways"), ...errors },
    }),
    async (c) => c.json((await deps.exchanges.reconciliation(c.req.valid("query"))) as unknown as Record<string, unknown>, 200),
  );

  return app;
}
