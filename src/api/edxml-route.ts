// POST /api/v1/edxml: one message of the national document exchange, as the exchange writes it (shared
// EXCHANGE.md §1). Parsed in a worker thread (a hostile message never stalls the event loop), then
// recorded through the life-cycle: a new document (its main file analyzed when it is a PDF, counted
// `electronic-not-pdf` when it is not), a new version superseding the one it names, a revocation, or a
// status event. The raw message is kept as a blob; the same message again is the same document. Only a
// message that cannot be read at all is refused.
import { z } from "@hono/zod-openapi";
import type { OpenAPIHono } from "@hono/zod-openapi";
import { now } from "../clock.js";
import { EdxmlError } from "../ingest/edxml.js";
import { EdxmlParser } from "../ingest/edxml-parser.js";
import { edxmlSubmission, messageKind } from "../ingest/edxml-submission.js";
import { submitTo } from "../lifecycle/index.js";
import { knownDirectory } from "./directory-cache.js";
import type { MountedDeps } from "./deps.js";
import { routes } from "./http.js";
import { actorOf, requireSender, securedRoute, type AuthEnv } from "./auth.js";
import { ApiError } from "./errors.js";
import { ErrorBody, json } from "./schemas.js";

/** The exchange's route, as a sub-app the API mounts (maxBytes: the request body limit). */
export function edxmlRoutes(deps: MountedDeps, maxBytes: number): OpenAPIHono<AuthEnv> {
  const app = routes();
  const { blobs } = deps;
  const parser = new EdxmlParser({ limits: { maxFileBytes: maxBytes, maxFiles: 100, maxTotalBytes: Math.max(maxBytes, 192 << 20) } });
  app.openapi(
    securedRoute(deps.access, ["ingest"], {
      method: "post",
      path: "/api/v1/edxml",
      summary:
        "One edXML message of the national document exchange (application/xml): a document, a new version, a revocation or a status message; ?receivedAt=ISO when it was received (default now; a trace time in the message wins)",
      request: { query: z.object({ receivedAt: z.string().optional() }) },
      responses: {
        202: json(
          z.object({
            message: z.string(),
            kind: z.enum(["document", "status", "revocation", "update", "replacement"]),
            document: z.object({ id: z.string(), sha256: z.string().nullable(), status: z.string().nullable(), existing: z.boolean() }).nullable(),
            annexes: z.array(z.string()),
            skipped: z.array(z.string()),
            note: z.string().optional(),
          }),
          "recorded: a document queued for analysis (or already known), or an event",
        ),
        400: json(ErrorBody, "not edXML (not XML, or no header), or a bad receivedAt"),
        413: json(ErrorBody, "an attachment, the message's expansion or its parsing over the limits"),
        415: json(ErrorBody, "not XML"),
      },
    }),
    async (c) => {
      const type = c.req.header("content-type") ?? "";
      if (!/^(application|text)\/([\w.+-]*\+)?xml\b/.test(type)) throw new ApiError(415, "UNSUPPORTED_MEDIA_TYPE", "send the edXML message as application/xml");
      const q = c.req.valid("query").receivedAt;
      if (q !== undefined && (Number.isNaN(Date.parse(q)) || !/^\d{4}-\d\d-\d\d/.test(q)))
        throw new ApiError(400, "BAD_METADATA", "receivedAt must be an ISO 8601 time");
      const raw = new Uint8Array(await c.req.arrayBuffer());
      let msg;
      try {
        msg = await parser.parse(raw.slice());
      } catch (e) {
        if (e instanceof EdxmlError) throw e.tooLarge ? new ApiError(413, "TOO_LARGE", e.message) : new ApiError(400, "BAD_EDXML", e.message);
        throw e;
      }
      // a key bound to agencies sends their messages only (checked before anything is stored)
      const { directory } = await knownDirectory(deps.readModel);
      requireSender(c.get("key"), msg.from?.organId ?? "(a message that names no sender)", directory);
      const messageSha = await blobs.putAsync(raw);
      const submission = await edxmlSubmission({
        msg,
        messageSha,
        receivedAt: q ? new Date(q).toISOString() : now().toISOString(),
        resolve: directory.resolve,
        put: (b) => blobs.putAsync(b),
        source: "edxml",
        trustedTrace: deps.trustedTrace ?? false,
      });
      // an envelope that is not a document is listed in the answer, never counted
      if (!submission)
        return c.json(
          {
            message: messageSha,
            kind: messageKind(msg),
            document: null,
            annexes: [],
            skipped: [],
            note: msg.kind === "not-a-document" ? msg.reason : "not a document",
          },
          202,
        );
      const r = await submitTo(deps.lifecycle, submission, actorOf(c.get("key")));
      if (r.status === "queued" && !r.existing) deps.onQueued();
      const summary = "message" in submission && submission.message ? submission.message.attachments : { document: "", annexes: [], skipped: [] };
      return c.json(
        {
          message: messageSha,
          kind: r.conflict ? "conflict" : messageKind(msg),
          document: r.id ? { id: r.id, sha256: r.sha256, status: r.status, existing: r.existing } : null,
          annexes: summary.annexes,
          skipped: summary.skipped,
          ...(r.note ? { note: r.note } : {}),
        },
        202,
      );
    },
  );
  return app;
}
