// A document's place in the figures (DESIGN.md §4.3) as a function of its recorded facts, the directory
// and the policy: between administrative agencies or not, held out or not, its category, whether it
// counts, the agency it counts for and who sealed it. The store derives with it when an analysis settles,
// after a directory or a policy change, and the replay of the log derives with it again to check the rows.
import { categorize, heldReason, underPolicy, type Category, type ExchangeFacts, type Held } from "./category.js";
import type { Directory } from "./directory.js";
import type { CompliancePolicy } from "./policy.js";
import { bindSigner, type Seal, type SignerBinding } from "./signer-binding.js";

export interface RecordedFacts extends Omit<ExchangeFacts, "betweenAdministrativeAgencies"> {
  sender: string;
  recipients: readonly string[];
  /** the day it counts in (its first version's) */
  periodDate: string;
  revoked: boolean;
  superseded: boolean;
  /** the valid signatures' signers its analysis found (none before one) */
  seals: readonly Seal[];
}

export interface Place {
  betweenAdministrative: boolean;
  held: Held | null;
  category: Category | null;
  counts: boolean;
  countedFor: string;
  sealedBySender: boolean;
  /** whose organisation seal it carries, with respect to its sender (null without a valid signature) */
  binding: SignerBinding | null;
}

export function placeOf(f: RecordedFacts, dir: Directory, policy: CompliancePolicy): Place {
  const between = dir.betweenAdministrative(f.sender, f.recipients);
  const held = heldReason({ revoked: f.revoked, superseded: f.superseded, unknownAgency: dir.isGap(f.sender, f.recipients) });
  const binding = f.seals.length ? bindSigner(f.seals, f.sender, dir) : null;
  const sealedBySender = binding?.status === "sender";
  const a = f.analysis !== null && f.analysis !== "failed" ? f.analysis : null;
  const placed = held
    ? { category: null, counts: false }
    : underPolicy(
        categorize({ ...f, betweenAdministrativeAgencies: between }),
        { sealedBySender, content: a?.content ?? null, nd30Complete: a?.nd30Complete ?? false },
        policy,
      );
  return { betweenAdministrative: between, held, ...placed, countedFor: dir.countedFor(f.sender, f.periodDate), sealedBySender, binding };
}
