// Encrypted PDFs: ENCRYPTED only when a password (or a recipient's key) is needed to open the file. The
// fixtures cover the standard handler's revisions 2, 3, 4 and 6 with and without a user password; here,
// a certificate-based handler, a damaged /U and an unknown revision.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PdfDocument } from "../../src/pdf/document.js";
import { encryptionState } from "../../src/pdf/encryption.js";
import { FIXTURES } from "../helpers/paths.js";

/** The fixture with `from` replaced by `to` in its encryption dictionary (same length keeps the xref). */
function edited(file: string, edit: (s: string) => string): Uint8Array {
  const text = readFileSync(join(FIXTURES, file)).toString("latin1");
  const out = edit(text);
  expect(out.length).toBe(text.length);
  expect(out).not.toBe(text);
  return Buffer.from(out, "latin1");
}

describe("encryptionState", () => {
  it("tells a file that opens with the empty password from one that needs a password", () => {
    expect(encryptionState(PdfDocument.open(readFileSync(join(FIXTURES, "encrypted-empty-user-password-aes-256.pdf"))))).toMatchObject({
      encrypted: true,
      needsPassword: false,
      revision: 6,
    });
    expect(encryptionState(PdfDocument.open(readFileSync(join(FIXTURES, "encrypted-user-password-rc4-128.pdf"))))).toMatchObject({
      encrypted: true,
      needsPassword: true,
      revision: 3,
    });
    expect(encryptionState(PdfDocument.open(readFileSync(join(FIXTURES, "unsigned.pdf"))))).toEqual({ encrypted: false });
  });

  it("needs a password when the /U check value does not match (a damaged or foreign /U)", () => {
    const bytes = edited("encrypted-empty-user-password-rc4-128.pdf", (s) =>
      s.replace(/\/U\s*<([0-9a-fA-F])/, (m, d: string) => m.slice(0, -1) + (d === "0" ? "1" : "0")),
    );
    expect(encryptionState(PdfDocument.open(bytes))).toMatchObject({ encrypted: true, needsPassword: true });
  });

  it("needs the recipient's key for a certificate-based handler, and a password for an unknown revision", () => {
    const pubsec = edited("encrypted-empty-user-password-aes-128.pdf", (s) => s.replace("/Filter /Standard", "/Filter /PubSecXX"));
    expect(encryptionState(PdfDocument.open(pubsec))).toMatchObject({ encrypted: true, needsPassword: true, handler: "PubSecXX" });
    const noRev = edited("encrypted-empty-user-password-aes-128.pdf", (s) => s.replace(/\/R 4\b/, "/Q 4"));
    expect(encryptionState(PdfDocument.open(noRev))).toMatchObject({ encrypted: true, needsPassword: true });
  });
});

describe("analysis of encrypted files", () => {
  it("reports ENCRYPTED when a password is needed, and otherwise says why the content is not classified", async () => {
    const { analyzeStructure } = await import("../../src/analyze.js");
    const locked = analyzeStructure(readFileSync(join(FIXTURES, "encrypted-user-password-aes-128.pdf")), { now: "2026-11-27T00:00:00Z" });
    expect([locked.verdict, locked.error?.code, locked.pdf]).toEqual(["unreadable", "ENCRYPTED", null]);
    const open = analyzeStructure(readFileSync(join(FIXTURES, "encrypted-empty-user-password-rc4-128.pdf")), { now: "2026-11-27T00:00:00Z" });
    expect([open.verdict, open.error, open.content.kind]).toEqual(["unsigned", null, "unknown"]);
    expect(open.content.evidence.message).toMatch(/encrypted/);
    expect(open.messages[0]).toMatch(/empty user password/);
  });
});
