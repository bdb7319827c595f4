// Every message key has an English and a Vietnamese text, and every placeholder is in both.
import { describe, expect, it } from "vitest";
import { MESSAGES, say } from "../../src/verify/messages.js";

describe("messages", () => {
  it.each(Object.entries(MESSAGES))("%s has both languages with the same placeholders", (_key, m) => {
    expect(m.en.trim()).not.toBe("");
    expect(m.vi.trim()).not.toBe("");
    const ph = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((x) => x[1]).sort();
    expect(ph(m.vi)).toEqual(ph(m.en));
  });
  it("fills placeholders", () => {
    expect(say("format.beyondEof", { end: 10, size: 5 })).toBe("/ByteRange ends at byte 10, past the end of the file (5 bytes)");
    expect(say("format.beyondEof", { end: 10, size: 5 }, "vi")).toContain("vượt quá cuối tệp");
  });
});
