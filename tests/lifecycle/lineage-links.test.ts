// Links between documents that arrive out of order (issue 23, the review of the lineage): a replacement of
// another DocumentId that comes before the document it replaces; a later forward of a replaced document;
// a dateless register row before the message of its document. Both orders give the same store.
import { createHash } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { submit, updateDirectory, type Submission } from "../../src/lifecycle/index.js";
import { openDb, type Db } from "../../src/store/sqlite/db.js";

const sha = (s: string) => createHash("sha256").update(s).digest("hex");
const meta = (sender: string, number: string, date: string | undefined, at: string) => ({
  sender,
  recipients: ["H53.02"],
  number,
  ...(date ? { issuedDate: date } : {}),
  classification: "none" as const,
  receivedAt: at,
  channel: "electronic" as const,
});
const file = (tag: string) => ({ sha256: sha(tag), bytes: 10, kind: "not-pdf" as const, name: `${tag}.doc` });
const msg = (tag: string, at: string) => ({ sha256: sha(`m ${tag}`), receivedAt: at, attachments: { document: tag, annexes: [], skipped: [] } });

const A = "H53.01,2025/05/05,10/UBND-VP";
const R = "H53.01,2025/05/20,11/UBND-VP";
const original: Submission = {
  kind: "document",
  source: "edxml",
  exchangeId: A,
  meta: meta("H53.01", "10/UBND-VP", "2025-05-05", "2025-05-05T02:00:00.000Z"),
  file: file("a"),
  message: msg("a", "2025-05-05T02:00:00.000Z"),
};
const replacement: Submission = {
  kind: "replacement",
  source: "edxml",
  exchangeId: R,
  targets: [R, A],
  reason: "thay thế",
  meta: meta("H53.01", "11/UBND-VP", "2025-05-20", "2025-05-20T02:00:00.000Z"),
  file: file("r"),
  message: msg("r", "2025-05-20T02:00:00.000Z"),
};
const forward: Submission = {
  kind: "document",
  source: "edxml",
  exchangeId: A,
  meta: { ...meta("H53.03", "10/UBND-VP", "2025-05-05", "2025-05-25T02:00:00.000Z"), recipients: ["H53.04"] },
  file: file("a"),
  message: msg("fwd", "2025-05-25T02:00:00.000Z"),
};

function store(subs: Submission[]) {
  const db: Db = openDb(mkdtempSync(join(tmpdir(), "kyso-links-")));
  updateDirectory(
    db,
    ["H53.01", "H53.02", "H53.03", "H53.04"].map((code) => ({ code, name: code, parent: null, kind: "administrative" })),
    "test",
  );
  for (const s of subs) submit(db, s, "test");
  const docs = db
    .prepare(
      "SELECT exchange_id, number, version, period_date, held, category, superseded_by IS NULL AS current, (SELECT p.number FROM documents p WHERE p.id = d.supersedes) AS supersedes, (SELECT group_concat(recipient) FROM (SELECT recipient FROM deliveries WHERE document_id = d.id ORDER BY recipient)) AS recipients FROM documents d ORDER BY exchange_id, version",
    )
    .all();
  db.close();
  return docs;
}

describe("links that arrive out of order", () => {
  it("a replacement of another DocumentId supersedes its document whichever comes first, and a later forward does not bring it back", () => {
    const inOrder = store([original, replacement, forward]);
    expect(inOrder).toEqual([
      {
        exchange_id: A,
        number: "10/UBND-VP",
        version: 1,
        period_date: "2025-05-05",
        held: "superseded",
        category: null,
        current: 0,
        supersedes: null,
        recipients: "H53.02,H53.04",
      },
      {
        exchange_id: R,
        number: "11/UBND-VP",
        version: 2,
        period_date: "2025-05-05",
        held: null,
        category: "electronic-not-pdf",
        current: 1,
        supersedes: "10/UBND-VP",
        recipients: "H53.02",
      },
    ]);
    expect(store([replacement, original, forward])).toEqual(inOrder);
    expect(store([forward, replacement, original])).toEqual(inOrder);
  });

  it("a dateless register row is the document its message brings later, and learns its date", () => {
    const row: Submission = {
      kind: "document",
      source: "register",
      meta: { ...meta("H53.01", "12/UBND-VP", undefined, "2025-05-06T00:00:00.000Z"), channel: "paper" },
      file: null,
    };
    const message: Submission = {
      kind: "document",
      source: "edxml",
      exchangeId: "H53.01,2025/05/05,12/UBND-VP",
      meta: meta("H53.01", "12/UBND-VP", "2025-05-05", "2025-05-05T03:00:00.000Z"),
      file: file("x"),
      message: msg("x", "2025-05-05T03:00:00.000Z"),
    };
    const a = store([row, message]);
    const b = store([message, row]);
    expect(a).toHaveLength(1);
    expect(b).toHaveLength(1);
    expect(a).toEqual(b);
  });
});
