// The exchanges' loose ends read the same on every backend (ExchangeReads): documents held out counted by
// why, the newest conflicts first, and the registers against the electronic exchanges. The owners and the
// documents' ids differ by case and by a Vietnamese letter, so an order by the database's collation instead
// of bytes shows; a row's line 10 after its line 2 shows an order by text.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ExchangeReads } from "../../../src/store/ports.js";
import { BACKENDS, OTHER_LOCALES } from "./backends.js";

type Row = [table: string, row: Record<string, unknown>];

const doc = (id: string, sender: string, day: string, o: Record<string, unknown> = {}): Row => [
  "documents",
  {
    id,
    sender,
    number: `${id}/VB`,
    issued_date: day,
    received_at: `${day}T08:00:00.000Z`,
    channel: "electronic",
    status: "done",
    between_admin: 1,
    category: o.channel === "paper" ? "paper" : o.held ? null : "signed-valid",
    period_date: day,
    created_at: `${day}T08:00:00.000Z`,
    agency: sender,
    ...o,
  },
];

const registerRow = (owner: string, register: string, line: number, documentId: string, day: string): Row => [
  "register_rows",
  {
    owner,
    register,
    row_key: `${documentId}|${line}`,
    line,
    sender: "H53.c",
    recipients: owner,
    number: `${documentId}/VB`,
    issued_date: day,
    received_date: day,
    subject: `Sổ ${owner}`,
    document_id: documentId,
    matched: 0,
    created_at: "2025-04-01T00:00:00.000Z",
  },
];

const conflict = (n: number, o: Record<string, unknown>): Row => [
  "conflicts",
  {
    source: "edxml",
    kind: "document",
    message_sha256: null,
    exchange_id: null,
    sender: null,
    number: null,
    issued_date: null,
    file_sha256: null,
    with_document: null,
    reason: `reason ${n}`,
    at: `2025-02-0${n}T00:00:00.000Z`,
    created_at: `2025-02-0${n}T00:00:01.000Z`,
    ...o,
  },
];

const event = (key: string, at: string, o: Record<string, unknown> = {}): Row => [
  "document_events",
  {
    document_id: null,
    exchange_id: `X-${key}`,
    kind: "status",
    code: "03",
    description: `event ${key}`,
    at,
    source: "edxml",
    source_key: key,
    created_at: at,
    ...o,
  },
];

function facts(): Row[] {
  return [
    // H53.a's outgoing register (2025-01-05 … 2025-01-20): one electronic match, two paper rows
    doc("out-1", "H53.a", "2025-01-05"),
    doc("out-2", "H53.a", "2025-01-10", { channel: "paper" }),
    doc("out-3", "H53.a", "2025-01-20", { channel: "paper" }),
    // sent by H53.a in those days and not registered; the superseded one and the later one are not asked about
    doc("un-a", "H53.a", "2025-01-12"),
    doc("un-B", "H53.a", "2025-01-12"),
    doc("un-sup", "H53.a", "2025-01-12", { superseded_by: "un-a", held: "superseded" }),
    doc("un-late", "H53.a", "2025-02-01"),
    // H53.B's incoming register (2025-01-07 … 2025-01-08) and its outgoing one (2025-03-01)
    doc("in-1", "H53.c", "2025-01-07"),
    doc("in-2", "H53.c", "2025-01-08", { channel: "paper" }),
    doc("in-3", "H53.c", "2025-01-07"),
    doc("in-4", "H53.c", "2025-01-07"),
    doc("bo-1", "H53.B", "2025-03-01"),
    doc("bo-2", "H53.B", "2025-03-01"),
    ["deliveries", { document_id: "in-1", recipient: "H53.B" }],
    ["deliveries", { document_id: "in-2", recipient: "H53.B" }],
    ["deliveries", { document_id: "in-3", recipient: "H53.B" }],
    ["deliveries", { document_id: "in-4", recipient: "H53.Z" }],
    // a register of kyso's own layout: its paper row is listed, its documents not reconciled by days
    doc("k-1", "H53.c", "2025-01-03", { channel: "paper" }),
    // held out of the figures
    doc("gap-1", "999.99.99.X00", "2025-01-04", { held: "directory-gap" }),
    doc("gap-2", "999.99.99.X00", "2025-01-05", { held: "directory-gap" }),
    doc("rev-1", "H53.q", "2025-01-06", { held: "revoked", revoked_at: "2025-01-07T00:00:00.000Z" }),
    registerRow("H53.a", "outgoing", 10, "out-3", "2025-01-20"),
    registerRow("H53.a", "outgoing", 1, "out-1", "2025-01-05"),
    registerRow("H53.a", "outgoing", 2, "out-2", "2025-01-10"),
    registerRow("H53.É", "kyso", 1, "k-1", "2025-01-03"),
    registerRow("H53.B", "outgoing", 1, "bo-1", "2025-03-01"),
    registerRow("H53.B", "incoming", 2, "in-2", "2025-01-08"),
    registerRow("H53.B", "incoming", 1, "in-1", "2025-01-07"),
    conflict(1, { exchange_id: "X-9", reason: "another sender for this DocumentId" }),
    conflict(2, { sender: "H53.a", number: "5/VB", issued_date: "2025-01-02", with_document: "out-1" }),
    conflict(3, { source: "upload", kind: "file", file_sha256: "ab".repeat(32), with_document: "un-a" }),
    // answers to documents that never came, in time order (two at the same time in the order received)
    event("e-late", "2025-01-09T00:00:00.000Z"),
    event("e-early", "2025-01-08T00:00:00.000Z", { kind: "revocation", code: null }),
    event("e-late-2", "2025-01-09T00:00:00.000Z", { exchange_id: null }),
    event("e-known", "2025-01-01T00:00:00.000Z", { document_id: "in-1" }),
  ];
}

const unmatched = (owner: string, register: string, line: number, id: string, day: string) => ({
  owner,
  register,
  line,
  sender: "H53.c",
  number: `${id}/VB`,
  issuedDate: day,
  subject: `Sổ ${owner}`,
  documentId: id,
});
const unregistered = (owner: string, register: string, id: string, sender: string, day: string) => ({
  owner,
  register,
  documentId: id,
  sender,
  number: `${id}/VB`,
  issuedDate: day,
  receivedAt: `${day}T08:00:00.000Z`,
  category: "signed-valid",
});
const UNKNOWN = [
  { kind: "revocation", code: null, exchangeId: "X-e-early", at: "2025-01-08T00:00:00.000Z", description: "event e-early" },
  { kind: "status", code: "03", exchangeId: "X-e-late", at: "2025-01-09T00:00:00.000Z", description: "event e-late" },
  { kind: "status", code: "03", exchangeId: null, at: "2025-01-09T00:00:00.000Z", description: "event e-late-2" },
];

// PostgreSQL in other collations too: the order is bytes', not the database's
for (const backend of [...BACKENDS, ...OTHER_LOCALES]) {
  describe.skipIf(!backend.available)(`the exchanges' reads on ${backend.label}`, () => {
    let reads: ExchangeReads;
    beforeAll(async () => {
      await backend.setup();
      const store = await backend.open();
      await store.seedRows(facts());
      reads = await store.exchangeReads();
    }, 60_000);
    afterAll(() => backend.teardown());

    it("counts the documents held out by why", async () => {
      expect(await reads.heldCounts()).toEqual({ "directory-gap": 2, revoked: 1, superseded: 1 });
    });

    it("lists the newest conflicts first, as many as asked, each as recorded", async () => {
      const two = await reads.conflicts(2);
      expect(two.map((c) => c.id)).toEqual([3, 2]);
      expect(two[1]).toEqual({
        id: 2,
        source: "edxml",
        kind: "document",
        message_sha256: null,
        exchange_id: null,
        sender: "H53.a",
        number: "5/VB",
        issued_date: "2025-01-02",
        file_sha256: null,
        with_document: "out-1",
        reason: "reason 2",
        at: "2025-02-02T00:00:00.000Z",
        created_at: "2025-02-02T00:00:01.000Z",
      });
      expect((await reads.conflicts(10)).map((c) => [c.id, c.reason])).toEqual([
        [3, "reason 3"],
        [2, "reason 2"],
        [1, "another sender for this DocumentId"],
      ]);
    });

    it("reconciles every register both ways: rows no electronic document matched, documents their registers miss", async () => {
      expect(await reads.reconciliation({})).toEqual({
        registers: [
          { owner: "H53.B", register: "incoming", rows: 2, matched: 1, from: "2025-01-07", to: "2025-01-08" },
          { owner: "H53.B", register: "outgoing", rows: 1, matched: 1, from: "2025-03-01", to: "2025-03-01" },
          { owner: "H53.a", register: "outgoing", rows: 3, matched: 1, from: "2025-01-05", to: "2025-01-20" },
          { owner: "H53.É", register: "kyso", rows: 1, matched: 0, from: "2025-01-03", to: "2025-01-03" },
        ],
        unmatchedRows: [
          unmatched("H53.B", "incoming", 2, "in-2", "2025-01-08"),
          unmatched("H53.a", "outgoing", 2, "out-2", "2025-01-10"),
          unmatched("H53.a", "outgoing", 10, "out-3", "2025-01-20"),
          unmatched("H53.É", "kyso", 1, "k-1", "2025-01-03"),
        ],
        unregistered: [
          unregistered("H53.B", "incoming", "in-3", "H53.c", "2025-01-07"),
          unregistered("H53.B", "outgoing", "bo-2", "H53.B", "2025-03-01"),
          unregistered("H53.a", "outgoing", "un-B", "H53.a", "2025-01-12"),
          unregistered("H53.a", "outgoing", "un-a", "H53.a", "2025-01-12"),
        ],
        unknownDocuments: UNKNOWN,
      });
    });

    it("reconciles one owner's registers, or the rows issued within some days, the documents then within those days", async () => {
      const mine = await reads.reconciliation({ owner: "H53.a" });
      expect(mine.registers.map((r) => [r.owner, r.register])).toEqual([["H53.a", "outgoing"]]);
      expect(mine.unmatchedRows.map((r) => r.documentId)).toEqual(["out-2", "out-3"]);
      expect(mine.unregistered.map((d) => d.documentId)).toEqual(["un-B", "un-a"]);
      expect(mine.unknownDocuments).toEqual(UNKNOWN);
      const days = await reads.reconciliation({ from: "2025-01-06", to: "2025-01-10" });
      expect(days.registers).toEqual([
        { owner: "H53.B", register: "incoming", rows: 2, matched: 1, from: "2025-01-07", to: "2025-01-08" },
        { owner: "H53.a", register: "outgoing", rows: 1, matched: 0, from: "2025-01-10", to: "2025-01-10" },
      ]);
      expect(days.unmatchedRows.map((r) => r.documentId)).toEqual(["in-2", "out-2"]);
      expect(days.unregistered.map((d) => d.documentId)).toEqual(["in-3"]);
      expect((await reads.reconciliation({ owner: "H53.É", to: "2025-01-02" })).registers).toEqual([]);
    });

    it("gives at most `limit` of each list", async () => {
      const one = await reads.reconciliation({ limit: 1 });
      expect(one.registers).toHaveLength(4);
      expect(one.unmatchedRows.map((r) => r.documentId)).toEqual(["in-2"]);
      expect(one.unregistered.map((d) => d.documentId)).toEqual(["in-3"]);
      expect(one.unknownDocuments).toEqual(UNKNOWN.slice(0, 1));
    });
  });
}
