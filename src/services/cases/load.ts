// A coordinator's count of held cases (assignment reads it instead of counting cases). The maximum
// is kept by the database, not by what a transaction read earlier: a case is given to someone only
// by a conditional increment, so concurrent assignments (several processes, or PostgreSQL's
// parallel transactions) cannot push anyone past it. Never increment the count any other way.
import { Prisma } from "../../generated/sqlite/client.js";
import type { Tx } from "../../db/client.js";
import { pickCoordinator, type CaseNeeds } from "./assignment.js";
import { candidatesFor, type PoolMember } from "./pool.js";

/** Thrown inside a transaction to undo it when the one who was to get the case has no room. */
export class NoRoom extends Error {}

/**
 * Counts one more case for the coordinator if they are active (and on duty, when asked) and below
 * their maximum; false when not, and then nothing changed.
 */
export async function claimLoad(tx: Tx, coordinatorId: number, now: Date, opts: { onDuty?: boolean } = {}): Promise<boolean> {
  const duty = opts.onDuty ? Prisma.sql`AND "onDuty" = TRUE` : Prisma.empty;
  const n = await tx.$executeRaw`UPDATE "Coordinator" SET "openCases" = "openCases" + 1, "lastAssignedAt" = ${now}
    WHERE "id" = ${coordinatorId} AND "active" = TRUE AND "openCases" < "maxOpen" ${duty}`;
  return n === 1;
}

export async function releaseLoad(tx: Tx, coordinatorId: number): Promise<void> {
  await tx.$executeRaw`UPDATE "Coordinator" SET "openCases" = "openCases" - 1 WHERE "id" = ${coordinatorId}`;
}

/**
 * The best free coordinator for the case by the assignment rule, with the case already counted
 * against them. Whoever filled up since the candidates were read is skipped for the next best.
 */
export async function claimFree(tx: Tx, need: CaseNeeds, now: Date): Promise<PoolMember | null> {
  const candidates = await candidatesFor(tx, need.category, need.regionCode);
  const exclude = new Set(need.exclude);
  for (;;) {
    const chosen = pickCoordinator(candidates, { ...need, exclude });
    if (!chosen || (await claimLoad(tx, chosen.id, now, { onDuty: true }))) return chosen;
    exclude.add(chosen.id);
  }
}
