// The agency directory (read, and updated by an admin: the documents a change concerns are derived
// again) and what it lacks: agency codes the exchanges name, documents held out, conflicts.
import { z, type OpenAPIHono } from "@hono/zod-openapi";
import { actorOf, securedRoute, type AuthEnv } from "./auth.js";
import type { Agency } from "../store/rows.js";
import { updateDirectoryOn } from "../lifecycle/index.js";
import { deriveNextOn, fewQueued } from "../lifecycle/rederive.js";
import { gapsOf } from "../compliance/gaps.js";
import { forgetKnownDirectory, knownDirectory } from "./directory-cache.js";
import { agenciesFromCsv, AgencyError, agencyRows, AgencySchema } from "../ingest/agencies.js";
import { ApiError } from "./errors.js";
import { ErrorBody, json, Loose } from "./schemas.js";
import type { MountedDeps } from "./deps.js";
import { errors, routes } from "./http.js";

/** Up to this many documents a directory change concerns are derived in its request (well under a second). */
export const INLINE_DERIVATIONS = 1000;
/** Documents derived in one step (transaction) of a change derived in its request. */
const DERIVE_BATCH = 500;

/** The routes of the agency directory, as a sub-app the API mounts. */
export function directoryRoutes(deps: MountedDeps): OpenAPIHono<AuthEnv> {
  const { readModel, exchanges } = deps;
  const app = routes();

  app.openapi(
    securedRoute(deps.access, ["ingest", "viewer", "auditor"], {
      method: "get",
      path: "/api/v1/directory-gaps",
      summary:
        "Agency codes the exchanges name that the directory does not know (their documents are held out of the figures until the directory has them), the documents held out by reason, and the conflicts: messages the store could not take as they are (not counted), with the document each collides with",
      responses: { 200: json(z.object({ gaps: z.array(Loose), held: z.record(z.string(), z.number()), conflicts: z.array(Loose) }), "gaps"), ...errors },
    }),
    async (c) => {
      const [known, gapDocuments, held, conflicts] = await Promise.all([
        knownDirectory(readModel),
        readModel.gapDocuments(),
        exchanges.heldCounts(),
        exchanges.conflicts(500),
      ]);
      return c.json(
        {
          gaps: gapsOf(known.directory, gapDocuments) as unknown as Array<Record<string, unknown>>,
          held,
          conflicts: conflicts as unknown as Array<Record<string, unknown>>,
        },
        200,
      );
    },
  );

  app.openapi(
    securedRoute(deps.access, ["ingest", "viewer", "auditor"], {
      method: "get",
      path: "/api/v1/agencies",
      summary: "The agency directory",
      responses: { 200: json(z.object({ agencies: z.array(AgencySchema) }), "agencies") },
    }),
    async (c) => c.json({ agencies: (await knownDirectory(readModel)).agencies }, 200),
  );

  app.openapi(
    securedRoute(deps.access, ["admin"], {
      method: "put",
      path: "/api/v1/agencies",
      summary:
        "Add or update agencies (a JSON array, or text/csv with columns code,name,parent,kind and optionally aliases (legacy codes, space-separated), validFrom, validTo, successor); documents held as directory gaps enter the figures once their agencies are known",
      responses: {
        200: json(
          z.object({ updated: z.number(), pendingDerivations: z.number() }),
          "updated: the agencies written, and the documents still to derive again (in the background)",
        ),
        ...errors,
        415: json(ErrorBody, "neither JSON nor CSV"),
      },
    }),
    async (c) => {
      const type = c.req.header("content-type") ?? "";
      let rows: Agency[];
      try {
        if (type.includes("application/json")) {
          const raw = (await c.req.json().catch(() => null)) as unknown;
          if (!Array.isArray(raw)) throw new ApiError(400, "BAD_JSON", "send an array of agencies");
          rows = agencyRows(raw);
        } else if (type.includes("text/csv")) rows = agenciesFromCsv(await c.req.text());
        else throw new ApiError(415, "UNSUPPORTED_MEDIA_TYPE", "send application/json or text/csv");
      } catch (e) {
        if (e instanceof AgencyError) throw new ApiError(400, "BAD_ROW", e.message);
        throw e;
      }
      // the documents the change concerns are queued with it; a few are derived in this request, more in
      // the background (the figures say so meanwhile: pendingDerivations), never for long on the event loop
      const actor = actorOf(c.get("key"));
      await updateDirectoryOn(deps.lifecycle, rows, actor);
      forgetKnownDirectory(readModel);
      if (!deps.rederive || (await deps.lifecycle.run(() => fewQueued(INLINE_DERIVATIONS)))) while (await deriveNextOn(deps.lifecycle, DERIVE_BATCH, actor));
      const pending = await readModel.pendingDerivations();
      if (pending > 0) deps.rederive?.();
      return c.json({ updated: rows.length, pendingDerivations: pending }, 200);
    },
  );

  return app;
}
