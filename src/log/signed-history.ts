// Checking the log's signed history, entry by entry from the first: the Merkle root after each entry must
// be the one recorded with it and signed by a key the log trusts (the first key, or one the key before
// it endorsed, or one pinned by the auditor); heads kept outside the store must be heads of this log.
// What each failure means is said in its reason: an edited entry breaks the signature of its own head,
// a hand-appended one has none, a truncated log is shorter than a kept head, a fork gives two heads one size.
import { inlineHeads, type HeadVerifier } from "./head-verifier.js";
import { endorsementMessage, headMessage, keyIdOf, verifySignature } from "./key.js";
import { Frontier, leafHash } from "./merkle.js";
import type { AuditEntry } from "./entry.js";

/** A tree head someone kept: published by the server, noted from an export, handed to a witness. */
export interface KeptHead {
  size: number;
  root: string;
  keyId: string;
  sig: string;
  /** the signing key, when the head carries it (checked against the log's keys, never trusted alone) */
  publicKey?: string;
  at?: string;
  /** where it was read (a file and line), for messages */
  source?: string;
}

export interface LogProblem {
  seq: number;
  reason: string;
}

export interface KeyDetails {
  keyId?: string;
  publicKey?: string;
  previous?: string | null;
  endorsement?: string | null;
}

const BAD_SIGNATURE =
  "the signature of its tree head does not verify: the entry was rewritten (with its hashes recomputed) or its head written without the instance key";

export class SignedLogCheck {
  /** keys the log trusts so far: id → raw public key (base64) */
  readonly keys = new Map<string, string>();
  private readonly frontier = new Frontier();
  private readonly wanted: Set<number>;
  private readonly roots = new Map<number, string>();
  /** entries carrying a signed head */
  signed = 0;

  constructor(
    private readonly opts: { pinned?: readonly string[]; kept?: readonly KeptHead[] } = {},
    private readonly heads: HeadVerifier = inlineHeads(),
  ) {
    this.wanted = new Set((opts.kept ?? []).map((h) => h.size));
  }

  get size(): number {
    return this.frontier.size;
  }

  /** The next entry (entries come in order from 1); the first problem it shows, or null. */
  add(e: AuditEntry): LogProblem | null {
    this.frontier.append(leafHash(e.hash));
    const root = this.frontier.root().toString("hex");
    if (this.wanted.has(e.seq)) this.roots.set(e.seq, root);
    const fail = (reason: string): LogProblem => ({ seq: e.seq, reason: `entry ${e.seq}: ${reason}` });
    if (e.action === "log-key") {
      const problem = this.learnKey(e.details as KeyDetails);
      if (problem) return fail(problem);
    }
    if (!e.sig || !e.keyId || !e.root) {
      return this.keys.size
        ? fail("it carries no signed tree head, though every entry since the first log key does: it was not written by kyso (an entry appended by hand?)")
        : null;
    }
    const key = this.keys.get(e.keyId);
    if (!key) return fail(`its tree head is signed by key ${e.keyId}, which the log does not trust`);
    if (e.root !== root)
      return fail("its recorded tree root is not the root of the entries up to it: this entry or one before it was changed, removed or moved");
    if (this.heads.check(e.seq, key, e.root, e.sig) === false) return fail(BAD_SIGNATURE);
    this.signed++;
    return null;
  }

  /**
   * The heads handed to other threads, answered: the first entry whose signature did not verify (a walk
   * that went on past it reports it, being the earlier problem), or null.
   */
  settle(): LogProblem | null {
    const seq = this.heads.settle();
    return seq === null ? null : { seq, reason: `entry ${seq}: ${BAD_SIGNATURE}` };
  }

  /** A `log-key` entry's key, trusted when the first, endorsed by a trusted key, or pinned; else why not. */
  learnKey(d: KeyDetails): string | null {
    if (!d.publicKey || !d.keyId || keyIdOf(d.publicKey) !== d.keyId) return "a log-key entry whose key id does not match its public key";
    if (this.keys.get(d.keyId) === d.publicKey) return null; // a trusted key back in use
    const pinned = this.opts.pinned ?? [];
    const endorsedBy = d.previous ? this.keys.get(d.previous) : undefined;
    const endorsed = !!(endorsedBy && d.endorsement && verifySignature(endorsedBy, endorsementMessage(d.publicKey), d.endorsement));
    const first = this.keys.size === 0 && pinned.length === 0;
    if (!(endorsed || first || pinned.includes(d.publicKey))) {
      return `it introduces log key ${d.keyId}, which no trusted key endorsed (the key file was replaced, or a key was put in by hand); if it is the instance's, pin it with --key`;
    }
    this.keys.set(d.keyId, d.publicKey);
    return null;
  }

  /** After the last entry: the log against the heads kept outside it. */
  finish(): LogProblem | null {
    const kept = this.opts.kept ?? [];
    const valid: KeptHead[] = [];
    for (const h of kept) {
      const key = this.keys.get(h.keyId) ?? (h.publicKey && (this.opts.pinned ?? []).includes(h.publicKey) ? h.publicKey : undefined);
      if (!key)
        return {
          seq: Math.min(h.size, this.size + 1),
          reason: `the head kept in ${h.source ?? "a kept file"} (size ${h.size}) is signed by key ${h.keyId}, which this log never held: it is another log's head, or the log's key entries were removed`,
        };
      if (!verifySignature(key, headMessage(h.size, h.root), h.sig))
        return {
          seq: Math.min(h.size, this.size + 1),
          reason: `the head kept in ${h.source ?? "a kept file"} (size ${h.size}) does not verify with key ${h.keyId}: that head was altered`,
        };
      valid.push(h);
    }
    const bySize = new Map<number, KeptHead>();
    for (const h of valid) {
      const other = bySize.get(h.size);
      if (other && other.root !== h.root)
        return {
          seq: h.size,
          reason: `two signed heads for size ${h.size} with different roots (${other.root.slice(0, 16)}… in ${other.source ?? "?"}, ${h.root.slice(0, 16)}… in ${h.source ?? "?"}): the log was forked (a restored copy went on separately?)`,
        };
      bySize.set(h.size, h);
    }
    for (const h of [...valid].sort((a, b) => a.size - b.size)) {
      if (h.size > this.size)
        return {
          seq: this.size + 1,
          reason: `entry ${this.size + 1} is missing: the log ends at entry ${this.size}, but the head kept in ${h.source ?? "a kept file"}${h.at ? ` (${h.at})` : ""} covers ${h.size} entries: entries were removed from the end`,
        };
      if (this.roots.get(h.size) !== h.root)
        return {
          seq: h.size,
          reason: `the first ${h.size} entries no longer give the root of the head kept in ${h.source ?? "a kept file"}${h.at ? ` (${h.at})` : ""}: an entry up to ${h.size} was rewritten`,
        };
    }
    return null;
  }
}

/** Heads in a text: lines `{"signedHead": …}` (published heads) or an export's last line `{"head": …}`. */
export function readKeptHeads(text: string, source: string): KeptHead[] {
  const out: KeptHead[] = [];
  text.split("\n").forEach((line, i) => {
    if (!line.trim()) return;
    let v: { signedHead?: KeptHead; head?: { seq?: number; root?: string; keyId?: string; sig?: string } };
    try {
      v = JSON.parse(line);
    } catch {
      throw new Error(`${source}: line ${i + 1} is not JSON`);
    }
    const h =
      v.signedHead ??
      (v.head?.root && v.head.sig && v.head.keyId && typeof v.head.seq === "number"
        ? { size: v.head.seq, root: v.head.root, keyId: v.head.keyId, sig: v.head.sig }
        : undefined);
    if (!h) return;
    if (!(Number.isInteger(h.size) && h.size > 0 && typeof h.root === "string" && typeof h.sig === "string" && typeof h.keyId === "string"))
      throw new Error(`${source}: line ${i + 1} is not a signed head`);
    out.push({ ...h, source: `${source}:${i + 1}` });
  });
  return out;
}
