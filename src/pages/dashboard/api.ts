// What the dashboard reads of the API's answers (the statistics routes' shapes, as far as the page uses them).

export interface Summary {
  /** the days the server counted: a named period bounded by its convention (KYSO_REPORTING_PERIODS) */
  period: { from: string; to: string };
  periods?: "calendar" | "nd09";
  rate: number | null;
  target: number;
  numerator: number;
  denominator: number;
  gap: number;
  trend: { slopePerMonth: number | null; projectedMonth: string | null };
  nd30Complete: number;
  sealedBySender: { bySender: number; signedValid: number; share: number | null };
  byCategory: Record<string, number>;
}

export interface AgencyFigure {
  code: string;
  name: string;
  rate: number | null;
  numerator: number;
  denominator: number;
  gap: number;
  rank: number | null;
  tier?: string | null;
  group?: string | null;
  sealedBySender: { bySender: number; signedValid: number; share: number | null };
  byCategory?: Record<string, number>;
  held?: Record<string, number>;
}

export interface MonthPoint {
  month: string;
  rate: number | null;
  numerator: number;
  denominator: number;
}

export interface Binding {
  status: string;
  agency?: string | null;
  name?: string | null;
  candidates?: string[];
}

export interface DocumentItem {
  id: string;
  number?: string | null;
  subject?: string | null;
  issuedDate?: string | null;
  receivedAt: string;
  sender: string;
  category?: string | null;
  signerBinding: Binding;
}

export interface DocumentPage {
  documents: DocumentItem[];
  next: string | null;
}

export interface DirectoryGaps {
  held: Record<string, number>;
  conflicts?: unknown[];
  gaps: Array<{ code: string; documents: number }>;
}
