// What the page says of a log check, without a browser: the check since the server's last verified head
// and the full check are said apart, with how much was checked and the last full check; a failure names
// its entry under the same mode; the result count says exact and "more than" apart.
import { describe, expect, it } from "vitest";
import { checkText, vnMoment } from "../../../src/pages/auditor/check-text.js";
import { AUDITOR_WORDS, statusWords } from "../../../src/pages/auditor/words.js";

const vi = AUDITOR_WORDS.vi;
const en = AUDITOR_WORDS.en;
const head = { seq: 120, hash: "ab12" };

describe("the log check's sentence", () => {
  it("says a check since the last verified head, its new entries and the last full check", () => {
    const v = {
      ok: true,
      mode: "since" as const,
      since: 100,
      entries: 20,
      head,
      fullCheck: { at: "2026-12-07T01:30:00Z", ok: true },
      figures: { documents: 3 },
    };
    expect(checkText(v, undefined, vi)).toBe(
      "Nguyên vẹn: kiểm tra từ mục 100: 20 mục mới; mã băm của mục cuối là ab12; số liệu tính lại từ nhật ký khớp (3 văn bản); lần kiểm tra toàn bộ gần nhất: 07/12/2026 08:30, nguyên vẹn",
    );
    expect(checkText({ ...v, entries: 1, fullCheck: { at: "2026-12-07T01:30:00Z", ok: false } }, undefined, en)).toBe(
      "Intact: checked since entry 100: 1 new entry; the last one's hash is ab12; the figures replayed from it agree (3 documents); last full check: 07/12/2026 08:30, did not hold",
    );
    expect(checkText({ ...v, fullCheck: null }, undefined, en)).toMatch(/; no full check yet$/);
  });
  it("says a full check as full, with no word of a last full check", () => {
    const v = { ok: true, mode: "full" as const, since: null, entries: 1234, head, fullCheck: { at: "2026-12-07T01:30:00Z", ok: true } };
    expect(checkText(v, { seq: 100, at: "2026-12-01T00:00:00Z" }, vi)).toBe(
      "Kiểm tra toàn bộ: nguyên vẹn, 1.234 mục; mã băm của mục cuối là ab12; vẫn giữ nguyên mục 100 như trình duyệt này đã thấy ngày 01/12/2026",
    );
    expect(checkText({ ...v, entries: 1 }, undefined, en)).toBe("Full check: intact, 1 entry; the last one's hash is ab12");
  });
  it("names the broken entry or row under the check's mode", () => {
    expect(checkText({ ok: false, mode: "full", entries: 5, head, broken: { seq: 3, reason: "its hash differs" } }, undefined, en)).toBe(
      "Full check: broken at entry 3: its hash differs",
    );
    expect(
      checkText(
        {
          ok: false,
          mode: "since",
          since: 100,
          entries: 5,
          head,
          figures: { documents: 2, broken: { table: "rollup_monthly", row: "(2024-01)", reason: "it holds 7" } },
        },
        undefined,
        vi,
      ),
    ).toBe("Kiểm tra từ mục 100: nhật ký nguyên vẹn, nhưng số liệu không khớp với nhật ký: rollup_monthly (2024-01): it holds 7");
  });
  it("writes instants in Vietnam's time", () => {
    expect(vnMoment("2024-12-31T17:05:00Z")).toBe("01/01/2025 00:05");
  });
});

describe("the page's words", () => {
  it("counts documents exactly or as more than, with Vietnamese and English number forms and plurals", () => {
    expect(vi.count(1234, true)).toBe("1.234 văn bản");
    expect(vi.count(10000, false)).toBe("hơn 10.000 văn bản");
    expect(en.count(1, true)).toBe("1 document");
    expect(en.count(1234, true)).toBe("1,234 documents");
    expect(en.count(10000, false)).toBe("more than 10,000 documents");
  });
  it("says every status in words in both languages, never the raw code", () => {
    for (const lang of ["vi", "en"] as const) {
      const words = statusWords(lang);
      for (const s of ["queued", "processing", "done", "failed", "paper"]) {
        expect(words[s], `${lang} ${s}`).toBeTruthy();
        expect(words[s]).not.toBe(s);
      }
    }
    expect(statusWords("vi").done).toBe("đã kiểm tra");
  });
  it("has every label in both languages", () => {
    expect(Object.keys(AUDITOR_WORDS.en).sort()).toEqual(Object.keys(AUDITOR_WORDS.vi).sort());
  });
});
