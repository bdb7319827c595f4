// The sender filter by name, without a browser: typed words find the directory's agencies by name in any
// case, with Vietnamese diacritics counted, and the list is asked for their codes.
import { describe, expect, it } from "vitest";
import { matchingAgencies, senderParam } from "../../../src/pages/auditor/agencies.js";

const DIRECTORY = [
  { code: "H53.03", name: "Sở Tài chính" },
  { code: "H53.03.01", name: "Chi cục Tài chính doanh nghiệp" },
  { code: "H53.10", name: "Sở Tư pháp" },
  { code: "H53.40", name: "Ủy ban nhân dân huyện Tân Biên" },
  { code: "H53.41", name: "Ủy ban nhân dân thị xã Hòa Thành" },
];
const codes = (text: string) => matchingAgencies(text, DIRECTORY).map((a) => a.code);

describe("the sender filter by name", () => {
  it("finds every agency whose name holds every word typed, in any case", () => {
    expect(codes("sở tài")).toEqual(["H53.03"]);
    expect(codes("TÀI CHÍNH")).toEqual(["H53.03", "H53.03.01"]);
    expect(codes("ủy ban")).toEqual(["H53.40", "H53.41"]);
    expect(codes("ỦY BAN tân")).toEqual(["H53.40"]);
    // a decomposed (NFD) text finds the composed name
    expect(codes("hòa thành".normalize("NFD"))).toEqual(["H53.41"]);
  });
  it("counts the diacritics: 'tu phap' is not 'tư pháp'", () => {
    expect(codes("tu phap")).toEqual([]);
    expect(codes("tư pháp")).toEqual(["H53.10"]);
  });
  it("takes a code typed whole as that agency alone, and a part of codes as words", () => {
    expect(codes("h53.03")).toEqual(["H53.03"]);
    expect(codes("H53.4")).toEqual(["H53.40", "H53.41"]);
  });
  it("asks for nothing on an empty text, and for the codes matched, separated by commas", () => {
    expect(codes("   ")).toEqual([]);
    expect(senderParam(matchingAgencies("ủy ban", DIRECTORY))).toBe("H53.40,H53.41");
  });
});
