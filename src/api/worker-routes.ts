// What `kyso worker` processes (ingest keys) fetch from the API node: one stored PDF, or several in one
// response, so a batch of small documents costs the API node one request instead of one each.
import { z } from "@hono/zod-openapi";
import type { OpenAPIHono } from "@hono/zod-openapi";
import { readFileSync, statSync } from "node:fs";
import { Readable } from "node:stream";
import type { MountedDeps } from "./deps.js";
import { routes } from "./http.js";
import { securedRoute, type AuthEnv } from "./auth.js";
import { ApiError } from "./errors.js";
import { ErrorBody, json } from "./schemas.js";

/** The most PDFs one request may ask for. */
export const MAX_BLOBS_PER_REQUEST = 64;
/** The response header listing each PDF's length in the body, in request order (-1: not stored). */
export const BLOB_LENGTHS_HEADER = "x-kyso-blob-lengths";

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, "a lowercase SHA-256");

/** The workers' routes, as a sub-app the API mounts. */
export function workerRoutes(deps: MountedDeps): OpenAPIHono<AuthEnv> {
  const app = routes();
  const { blobs } = deps;
  app.openapi(
    securedRoute(deps.access, ["ingest"], {
      method: "get",
      path: "/api/v1/internal/blobs/{sha256}",
      summary: "The stored PDF with this SHA-256 (for `kyso worker`, which presents an ingest key)",
      request: { params: z.object({ sha256: Sha256 }) },
      responses: {
        200: { content: { "application/pdf": { schema: z.string().openapi({ format: "binary" }) } }, description: "the PDF" },
        404: json(ErrorBody, "no such blob"),
      },
    }),
    (c) => {
      let pdf: Buffer<ArrayBuffer>;
      try {
        pdf = readFileSync(blobs.pathOf(c.req.valid("param").sha256));
      } catch {
        throw new ApiError(404, "NOT_FOUND", "no such blob");
      }
      return c.body(pdf, 200, { "content-type": "application/pdf" });
    },
  );

  app.openapi(
    securedRoute(deps.access, ["ingest"], {
      method: "post",
      path: "/api/v1/internal/blobs",
      summary: `Several stored PDFs in one response (for \`kyso worker\`): the body is the PDFs one after the other, in request order; the ${BLOB_LENGTHS_HEADER} header lists their lengths (-1 for one not stored, which takes no bytes)`,
      request: {
        body: { content: { "application/json": { schema: z.object({ sha256: z.array(Sha256).min(1).max(MAX_BLOBS_PER_REQUEST) }) } }, required: true },
      },
      responses: {
        200: { content: { "application/octet-stream": { schema: z.string().openapi({ format: "binary" }) } }, description: "the PDFs, concatenated" },
        400: json(ErrorBody, "not a list of SHA-256"),
      },
    }),
    (c) => {
      // where each stored PDF is and how long it is (null: not stored)
      const found = c.req.valid("json").sha256.map((sha) => {
        try {
          const path = blobs.pathOf(sha);
          return { path, size: statSync(path).size };
        } catch {
          return null;
        }
      });
      const total = found.reduce((n, f) => n + (f?.size ?? 0), 0);
      const headers = {
        "content-type": "application/octet-stream",
        [BLOB_LENGTHS_HEADER]: found.map((f) => f?.size ?? -1).join(","),
        "content-length": String(total),
      };
      const files = found.filter((f) => f !== null).map((f) => f.path);
      // small batches (the usual case) in one write; otherwise one file in memory at a time
      if (total <= 8 << 20) return c.body(Buffer.concat(files.map((f) => readFileSync(f))), 200, headers);
      const body = Readable.toWeb(
        Readable.from(
          (function* () {
            for (const f of files) yield readFileSync(f);
          })(),
        ),
      ) as ReadableStream;
      return c.body(body, 200, headers);
    },
  );
  return app;
}
