// The page's language: Vietnamese, or English with ?lang=en.
import type { Lang } from "./words.js";

export const en = new URLSearchParams(location.search).get("lang") === "en";
export const LANG: Lang = en ? "en" : "vi";
