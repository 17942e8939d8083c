// Who could take a case: the one read assignment makes. Raw SQL (the plain subset SQLite and
// PostgreSQL share), because it is on the hot path of every new case and Prisma 6 compiles each
// query on the main thread (see case-intake.ts). pickCoordinator then applies the rule exactly.
import { Prisma } from "../../generated/sqlite/client.js";
import type { Tx } from "../../db/client.js";
import { splitList, type Candidate } from "./assignment.js";

export interface PoolMember extends Candidate {
  telegramId: bigint;
}

interface Row {
  id: number; telegramId: bigint | number; regions: string; categories: string; maxOpen: number; openCases: number;
  onDuty: boolean | number; active: boolean | number; supervisor: boolean | number; lastAssignedAt: Date | string | null;
}

/**
 * On-duty coordinators listing the category and serving the region (or every region), and
 * supervisors as the fallback. LIKE narrows the read to a handful of rows (it may let a near
 * miss through, e.g. `_` matches any character); the lists are checked exactly afterwards.
 */
export async function candidatesFor(tx: Tx, category: string, regionCode: string | null): Promise<PoolMember[]> {
  const inRegion = regionCode ? Prisma.sql`OR "regions" LIKE '%' || ${regionCode} || '%'` : Prisma.empty;
  const rows = await tx.$queryRaw<Row[]>`
    SELECT "id", "telegramId", "regions", "categories", "maxOpen", "openCases", "onDuty", "active", "supervisor", "lastAssignedAt"
    FROM "Coordinator"
    WHERE "active" = TRUE AND "onDuty" = TRUE
      AND ("supervisor" = TRUE OR ("categories" LIKE '%' || ${category} || '%'
           AND ("regions" = '' ${inRegion})))`;
  // SQLite hands booleans back as 0/1 and may hand dates back as text; PostgreSQL does neither.
  return rows.map((r) => ({
    id: Number(r.id), telegramId: BigInt(r.telegramId), regions: splitList(r.regions), categories: splitList(r.categories),
    maxOpen: Number(r.maxOpen), openCases: Number(r.openCases), onDuty: Boolean(r.onDuty), active: Boolean(r.active),
    supervisor: Boolean(r.supervisor), lastAssignedAt: r.lastAssignedAt === null ? null : new Date(r.lastAssignedAt),
  }));
}
