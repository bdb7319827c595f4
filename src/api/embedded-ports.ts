// The ports the API reads and writes through, as given (a server on PostgreSQL gives them all), else the
// embedded store's on the deps' database file.
import { sqliteAccess } from "../store/sqlite/access-store.js";
import { sqliteDocumentReads } from "../store/sqlite/document-reads.js";
import { sqliteLog, sqliteLogReads } from "../store/sqlite/log-port.js";
import { sqliteOperations } from "../store/sqlite/operations.js";
import { sqliteReadModel } from "../store/sqlite/read-model.js";
import type { ApiDeps, MountedDeps } from "./deps.js";

export const mountedDeps = (given: ApiDeps): MountedDeps => ({
  ...given,
  readModel: given.readModel ?? sqliteReadModel(given.db),
  access: given.access ?? sqliteAccess(given.db),
  documents: given.documents ?? sqliteDocumentReads(given.db),
  operations: given.operations ?? sqliteOperations(given.db),
  log: given.log ?? sqliteLog(given.db),
  auditLog: given.auditLog ?? sqliteLogReads(given.db),
  store: given.store ?? { kind: "sqlite", file: given.db.name },
});
