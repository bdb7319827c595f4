// The ports the API reads and writes through, as given (a server on PostgreSQL gives them all), else the
// embedded store's on the deps' database file.
import { sqliteAccess } from "../store/sqlite/access-store.js";
import type { Db } from "../store/sqlite/db.js";
import { sqliteDocumentReads } from "../store/sqlite/document-reads.js";
import { sqliteExchangeReads } from "../store/sqlite/exchange-reads.js";
import { sqliteLifecycle } from "../store/sqlite/lifecycle-store.js";
import { sqliteLog, sqliteLogReads } from "../store/sqlite/log-port.js";
import { sqliteOperations } from "../store/sqlite/operations.js";
import { sqliteReadModel } from "../store/sqlite/read-model.js";
import type { ApiDeps, MountedDeps } from "./deps.js";

export function mountedDeps(given: ApiDeps): MountedDeps {
  const db = (): Db => {
    if (!given.db) throw new Error("the API was given neither a store file nor every port of its store");
    return given.db;
  };
  return {
    ...given,
    readModel: given.readModel ?? sqliteReadModel(db()),
    access: given.access ?? sqliteAccess(db()),
    documents: given.documents ?? sqliteDocumentReads(db()),
    operations: given.operations ?? sqliteOperations(db()),
    log: given.log ?? sqliteLog(db()),
    auditLog: given.auditLog ?? sqliteLogReads(db()),
    store: given.store ?? { kind: "sqlite", file: db().name },
    lifecycle: given.lifecycle ?? sqliteLifecycle(db()),
    exchanges: given.exchanges ?? sqliteExchangeReads(db()),
  };
}
