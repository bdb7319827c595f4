// Who verifies the signatures of the log's tree heads during a walk. A walk over every entry spends most of
// its time there (an Ed25519 verification each), and the verifications do not depend on one another, so a
// long walk hands them to other threads (store/check/head-threads.ts) and goes on hashing and replaying;
// it asks for the answer once, at the end. A short walk verifies each head where it stands.
import { headMessage, verifySignature } from "./key.js";

export interface HeadVerifier {
  /**
   * One entry's signed tree head: false when it is known at once not to verify, true when it does, or
   * undefined when the answer comes with settle().
   */
  check(seq: number, publicKey: string, root: string, sig: string): boolean | undefined;
  /** Waits for every head handed over: the lowest entry whose signature did not verify, or null. */
  settle(): number | null;
}

/** Each head verified as it comes. */
export const inlineHeads = (): HeadVerifier => ({
  check: (seq, publicKey, root, sig) => verifySignature(publicKey, headMessage(seq, root), sig),
  settle: () => null,
});
