// Audit trail of what happened to a person's data. Only the internal person id and the action:
// never names, phones or text, so the trail itself can be kept after erasure.
import type { Db } from "../../db/client.js";
import type { HotSql } from "../../db/direct.js";
import type { Clock } from "../clock.js";

export const AUDIT_ACTIONS = [
  "consent.given", "consent.refused", "consent.withdrawn", "locale.changed",
  "profile.registered", "profile.updated", "role.changed", "data.exported", "data.erased",
  "report.exported", "report.exported_contacts", "announcement.queued",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export type Tx = Pick<Db, "auditEvent">;

export async function audit(db: Tx, clock: Clock, personId: number | null, action: AuditAction, detail?: string): Promise<void> {
  await db.auditEvent.create({ data: { personId, action, detail: detail ?? null, at: clock() } });
}

/** The same, inside a transaction of our own SQL (db/direct.ts hotTransaction). */
export async function auditSql(sql: HotSql, clock: Clock, personId: number | null, action: AuditAction, detail?: string): Promise<void> {
  await sql`INSERT INTO "AuditEvent" ("at", "personId", "action", "detail") VALUES (${clock()}, ${personId}, ${action}, ${detail ?? null})`;
}
