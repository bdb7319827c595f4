// The store's ports the API's routes are given, chosen once: those the server passed (PostgreSQL's, say),
// else the embedded store's on db. Its own file so app.ts stays to mounting the sub-apps.
import { sqliteAccess } from "../store/sqlite/access-store.js";
import { sqliteDocumentReads } from "../store/sqlite/document-reads.js";
import { sqliteExchangeReads } from "../store/sqlite/exchange-reads.js";
import { sqliteLifecycle } from "../store/sqlite/lifecycle-store.js";
import { sqliteReadModel } from "../store/sqlite/read-model.js";
import type { ApiDeps, MountedDeps } from "./deps.js";

export const mountPorts = (given: ApiDeps): MountedDeps => ({
  ...given,
  readModel: given.readModel ?? sqliteReadModel(given.db),
  access: given.access ?? sqliteAccess(given.db),
  documents: given.documents ?? sqliteDocumentReads(given.db),
  lifecycle: given.lifecycle ?? sqliteLifecycle(given.db),
  exchanges: given.exchanges ?? sqliteExchangeReads(given.db),
});
