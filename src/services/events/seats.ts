// The seat counters of an event (Event.seatsTaken) and of its regional quotas (EventQuota.taken).
// A seat is taken only by a conditional increment that carries the limit in its WHERE, so two
// sign-ups (or a sign-up and an offer) deciding at once can never oversell: the database decides,
// never a count read earlier. Never change these counters any other way.
import type { Tx } from "../../db/client.js";
import type { HotSql } from "../../db/direct.js";

/** The quota row of the "rest": seats of an event with quotas that no listed region reserves. */
export const REST = "*";

/** The quota row a region's seats come from: its own, else the rest; null when the event has no quotas. */
async function quotaRow(tx: Tx, eventId: number, regionCode: string | null): Promise<string | null> {
  const rows = await tx.eventQuota.findMany({ where: { eventId, regionCode: { in: regionCode === null ? [REST] : [regionCode, REST] } }, select: { regionCode: true } });
  if (regionCode !== null && rows.some((r) => r.regionCode === regionCode)) return regionCode;
  return rows.length ? REST : null;
}

/**
 * Takes `seats` of the event and, when it has quotas, of the region's quota (or of the rest, for a
 * region without one); false when either is full, and then nothing changed. Quotas reserve: a
 * listed region's seats cannot be taken by others, and cap: a region gets no more than its quota.
 */
export async function claimSeats(tx: Tx, eventId: number, seats: number, regionCode: string | null, hasQuotas = true): Promise<boolean> {
  const row = hasQuotas ? await quotaRow(tx, eventId, regionCode) : null;
  if (row !== null) {
    const q = await tx.$executeRaw`UPDATE "EventQuota" SET "taken" = "taken" + ${seats}
      WHERE "eventId" = ${eventId} AND "regionCode" = ${row} AND "taken" + ${seats} <= "seats"`;
    if (q === 0) return false;
  }
  const n = await tx.$executeRaw`UPDATE "Event" SET "seatsTaken" = "seatsTaken" + ${seats}
    WHERE "id" = ${eventId} AND ("capacity" IS NULL OR "seatsTaken" + ${seats} <= "capacity")`;
  if (n === 1) return true;
  if (row !== null) await tx.$executeRaw`UPDATE "EventQuota" SET "taken" = "taken" - ${seats} WHERE "eventId" = ${eventId} AND "regionCode" = ${row}`;
  return false;
}

/** quotaRow with our own SQL (db/direct.ts), for a sign-up's hot transaction. */
async function quotaRowSql(sql: HotSql, eventId: number, regionCode: string | null): Promise<string | null> {
  const rows = await sql<{ regionCode: string }>`SELECT "regionCode" FROM "EventQuota" WHERE "eventId" = ${eventId} AND "regionCode" IN (${regionCode ?? REST}, ${REST})`;
  if (regionCode !== null && rows.some((r) => r.regionCode === regionCode)) return regionCode;
  return rows.length ? REST : null;
}

/** claimSeats with our own SQL (a sign-up's hot transaction): the same conditional increments. */
export async function claimSeatsSql(sql: HotSql, eventId: number, seats: number, regionCode: string | null, hasQuotas = true): Promise<boolean> {
  const row = hasQuotas ? await quotaRowSql(sql, eventId, regionCode) : null;
  if (row !== null) {
    const q = await sql`UPDATE "EventQuota" SET "taken" = "taken" + ${seats}
      WHERE "eventId" = ${eventId} AND "regionCode" = ${row} AND "taken" + ${seats} <= "seats" RETURNING "eventId"`;
    if (q.length === 0) return false;
  }
  const n = await sql`UPDATE "Event" SET "seatsTaken" = "seatsTaken" + ${seats}
    WHERE "id" = ${eventId} AND ("capacity" IS NULL OR "seatsTaken" + ${seats} <= "capacity") RETURNING "id"`;
  if (n.length === 1) return true;
  if (row !== null) await sql`UPDATE "EventQuota" SET "taken" = "taken" - ${seats} WHERE "eventId" = ${eventId} AND "regionCode" = ${row}`;
  return false;
}

/** Gives back seats an enrolment held. The caller has just moved it out of a seat-holding status. */
export async function releaseSeats(tx: Tx, eventId: number, seats: number, regionCode: string | null): Promise<void> {
  await tx.$executeRaw`UPDATE "Event" SET "seatsTaken" = "seatsTaken" - ${seats} WHERE "id" = ${eventId}`;
  const row = await quotaRow(tx, eventId, regionCode);
  if (row !== null) await tx.$executeRaw`UPDATE "EventQuota" SET "taken" = "taken" - ${seats} WHERE "eventId" = ${eventId} AND "regionCode" = ${row}`;
}

/** Seats an enrolment holds or asks for. */
export const seatsOf = (e: { adults: number; children: number }) => e.adults + e.children;

/** Seats still free: capacity minus confirmed, live offers and sign-ups awaiting approval. Null = unlimited. */
export const freeSeats = (e: { capacity: number | null; seatsTaken: number }) => (e.capacity === null ? null : Math.max(0, e.capacity - e.seatsTaken));
