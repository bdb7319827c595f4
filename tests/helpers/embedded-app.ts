// The API on an embedded store as most route tests mount it: its blob folder beside the database, the
// default policy, no trust anchors, nothing told of queued documents; `more` sets or replaces any of it.
import { join } from "node:path";
import { createApp } from "../../src/api/app.js";
import type { ApiDeps } from "../../src/api/deps.js";
import { DEFAULT_POLICY } from "../../src/compliance/index.js";
import { TrustStore } from "../../src/pki/trust-store.js";
import { BlobStore } from "../../src/store/blobs.js";
import type { Db } from "../../src/store/sqlite/db.js";

export const embeddedApp = (db: Db, more: Partial<ApiDeps> = {}) =>
  createApp({ db, blobs: new BlobStore(join(db.name, "..", "blobs")), policy: DEFAULT_POLICY, onQueued: () => {}, trust: () => TrustStore.empty(), ...more });
