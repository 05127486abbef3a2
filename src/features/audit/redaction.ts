import type { FieldChange } from "./audit.tables.js";

/** Fields never written to an audit event, whatever table they come from. */
const redactedFields = new Set(["password", "passwordhash", "secret", "signingsecret", "tokenhash", "token"]);

const isRedacted = (field: string) => redactedFields.has(field.toLowerCase());

type Snapshot = Record<string, unknown> | null | undefined;

/**
 * The fields that differ between two snapshots of a row, minus secrets. A creation has no
 * `before`, a deletion no `after`; timestamps of the row's own bookkeeping are left out.
 */
export function changedFields(before: Snapshot, after: Snapshot): Record<string, FieldChange> {
  const fields = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  const changes: Record<string, FieldChange> = {};
  for (const field of fields) {
    if (isRedacted(field) || field === "createdAt" || field === "updatedAt") continue;
    const was = normalise(before?.[field]);
    const is = normalise(after?.[field]);
    if (JSON.stringify(was) === JSON.stringify(is)) continue;
    changes[field] = { before: was, after: is };
  }
  return changes;
}

function normalise(value: unknown): unknown {
  if (value === undefined) return null;
  return value instanceof Date ? value.toISOString() : value;
}
