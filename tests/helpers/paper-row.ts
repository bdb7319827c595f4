// A register row of a paper exchange, as submit() takes it: the least a store test needs to record a
// document (H53.03 to H53.02, issued and received on one day, not classified).

export function paperRow(o: { number?: string; day?: string; subject?: string; receivedAt?: string } = {}) {
  const day = o.day ?? "2024-01-01";
  return {
    kind: "document" as const,
    source: "register" as const,
    meta: {
      sender: "H53.03",
      recipients: ["H53.02"],
      ...(o.number !== undefined ? { number: o.number } : {}),
      issuedDate: day,
      ...(o.subject !== undefined ? { subject: o.subject } : {}),
      receivedAt: o.receivedAt ?? `${day}T00:00:00Z`,
      classification: "none" as const,
      channel: "paper" as const,
    },
    file: null,
  };
}
