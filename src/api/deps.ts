// What the API's routes are given: the store, the blob folder, the policy and the server's hooks (readiness,
// metrics, single-document checks). Its own file, so the route files and app.ts do not import each other.
import type { CompliancePolicy } from "../compliance/index.js";
import type { TrustStore } from "../pki/trust-store.js";
import type { Db } from "../store/sqlite/db.js";
import type { AccessStore, BlobPort, DocumentReads, ExchangeReads, LifecycleStore, LogPort, LogReads, Operations, ReadModel } from "../store/ports.js";
import type { StoreLocation } from "../store/location.js";
import type { DocumentReport } from "../verify/report.js";
import type { VerifiedHead } from "./verified-head.js";
import type { BackgroundReplay } from "./store-replay.js";
import type { StoreReadiness } from "./store-readiness.js";
import type { SignInSettings } from "./sign-in-settings.js";

export interface ApiDeps {
  /** the embedded store's file, whose ports are the defaults; null when every port is given (a store on PostgreSQL) */
  db: Db | null;
  /** what the figures are read from (default: the embedded store's rollups on db) */
  readModel?: ReadModel;
  /** the keys and sessions requests are admitted by (default: the embedded store's, on db) */
  access?: AccessStore;
  /** what the document list, a document and its report pages are read from (default: the embedded store's, on db) */
  documents?: DocumentReads;
  /** what /readyz, /metrics and the pages' header read: the store's kept counts and newest times (default: the embedded store's, on db) */
  operations?: Operations;
  /** the verification log (default: the embedded store's, on db) */
  log?: LogPort;
  /** what auditors read of the log: its filtered pages, the export, a document's entries and their proofs (default: the embedded store's, on db) */
  auditLog?: LogReads;
  /** where the store is, for the threads that open it again (the store check; default: db's file) */
  store?: StoreLocation;
  /** where uploads, messages, registers and directory changes are recorded as life-cycle steps (default: the embedded store's, on db) */
  lifecycle?: LifecycleStore;
  /** held counts, conflicts and the registers' reconciliation (default: the embedded store's, on db) */
  exchanges?: ExchangeReads;
  blobs: BlobPort;
  policy: CompliancePolicy;
  /** told when a document was queued */
  onQueued: () => void;
  /** request body limit in bytes (default 50 MB) */
  maxBodyBytes?: number;
  /** extra readiness checks (Redis when configured) */
  ready?: () => Promise<string | null>;
  /** more Prometheus lines (the BullMQ runner's job counts) */
  metrics?: () => Promise<string>;
  /** the trust store analyses use (its certificates go into evidence archives) */
  trust: () => TrustStore;
  /** the file the server publishes its signed log heads to (the store check reads them back) */
  headsFile?: string | null;
  /** the store's health as last checked (at start): null when it holds, else why not */
  storeProblem?: () => string | null;
  /** what the store's checks covered (the start-up check, the full check's state), shown on /readyz */
  storeReadiness?: () => StoreReadiness;
  /** /metrics shows the figures by category without a key (KYSO_METRICS_FIGURES=public) */
  publicFigures?: boolean;
  /** the exchange's trace times prove existence (KYSO_TRUSTED_TRACE) */
  trustedTrace?: boolean;
  /** told when the store refused a write for lack of space or permission (readiness reports it) */
  onStorageProblem?: (message: string) => void;
  /** the data folder's state: null when writes can go on, else why not */
  storageState?: () => string | null;
  /** derives in the background the documents a directory change queued (without it: at once, in the request) */
  rederive?: () => void;
  /** the newest log head a check verified (GET /api/v1/audit/verify starts from it; without it, the route keeps its own) */
  verified?: VerifiedHead;
  /** the server's full check (daily in the background; an auditor's request runs or joins it, with its progress); without it, the routes keep their own */
  fullCheck?: BackgroundReplay;
  /** verifies one PDF in an isolated thread, for POST /api/v1/check (nothing stored) */
  check?: (bytes: Uint8Array) => Promise<{ ok: true; report: DocumentReport } | { ok: false; message: string }>;
  /** how people sign in to the pages: session length, public address, identity provider (default: keys, 12 h) */
  signIn?: SignInSettings;
}

/** What the sub-apps are given: the deps with the store's ports chosen (app.ts fills the defaults). */
export type MountedDeps = ApiDeps & {
  readModel: ReadModel;
  access: AccessStore;
  documents: DocumentReads;
  operations: Operations;
  log: LogPort;
  auditLog: LogReads;
  store: StoreLocation;
  lifecycle: LifecycleStore;
  exchanges: ExchangeReads;
};
