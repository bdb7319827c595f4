// An agency's tier (province, district, commune) and group (a people's committee, a department, other),
// read from the directory rather than from the code: after the 2025 reorganisation communes sit directly
// under the province, so the code's depth no longer says the tier (shared EXCHANGE.md §3). A people's
// committee's name says its tier; any other agency takes the tier of the nearest committee above it; only
// an agency with no committee in its chain falls back on the code's depth. Pure.
import { normName, type Directory } from "./directory.js";

export type Tier = "province" | "district" | "commune";
export type Group = "committee" | "department" | "other";

const COMMITTEE = /^(?:ủy|uỷ) ban nhân dân (.*)$|^ubnd (.*)$/;

/** A people's committee's tier from the words after "Ủy ban nhân dân"; null if the name is not a committee's. */
function committeeTier(name: string, hasCommitteeAbove: boolean): Tier | null {
  const m = COMMITTEE.exec(normName(name));
  if (!m) return null;
  const rest = m[1] ?? m[2] ?? "";
  if (/^(?:xã|phường|thị trấn|đặc khu)(?:\s|$)/.test(rest)) return "commune";
  if (/^(?:huyện|quận|thị xã)(?:\s|$)/.test(rest)) return "district";
  if (/^tỉnh(?:\s|$)/.test(rest)) return "province";
  // "thành phố": a centrally run city heads a directory; a provincial city sits under a committee
  return hasCommitteeAbove ? "district" : "province";
}

/** The tier of the agency `code` names (its own code or an alias). */
export function agencyTier(dir: Directory, code: string): Tier {
  const chain = [];
  for (let e = dir.entry(code), hops = 0; e && hops < 16; e = e.parent ? dir.entry(e.parent) : undefined, hops++) chain.push(e);
  for (let i = 0; i < chain.length; i++) {
    const above = chain.slice(i + 1).some((e) => COMMITTEE.test(normName(e.name)));
    const tier = committeeTier(chain[i]!.name, above);
    if (tier) return tier;
  }
  return code.split(".").length >= 3 ? "commune" : "province";
}

/** What kind of body the name says: a people's committee, a department (Sở, Phòng), or another body. */
export function agencyGroup(name: string): Group {
  const n = normName(name);
  if (COMMITTEE.test(n)) return "committee";
  return /^(?:sở|phòng) /.test(n) ? "department" : "other";
}
