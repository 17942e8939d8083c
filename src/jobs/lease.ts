// Leases on jobs, so that of several bot processes on one database one at a time runs each job.
// A process takes a job's lease with one conditional update (free, run out, or already its own),
// renews it while the job runs, so it cannot run out under a holder that still works, and keeps it
// after a run, so the same process goes on running the job while it lives; when it dies the lease
// runs out and another process takes over. The row also records the job's last run (/healthz,
// /metrics). Holds no personal data.
import type { Db } from "../db/client.js";
import { isUniqueViolation } from "../db/errors.js";

/** Makes sure the job has its row. */
export async function ensureLease(db: Db, name: string): Promise<void> {
  if (await db.jobLease.findUnique({ where: { name }, select: { name: true } })) return;
  try {
    await db.jobLease.create({ data: { name } });
  } catch (err) {
    if (!isUniqueViolation(err)) throw err; // another process made it first
  }
}

/** Takes (or keeps) the lease for `leaseMs`; false when another live process holds it. */
export async function acquireLease(db: Db, name: string, holder: string, now: Date, leaseMs: number): Promise<boolean> {
  const { count } = await db.jobLease.updateMany({
    where: { name, OR: [{ holder }, { leaseUntil: null }, { leaseUntil: { lt: now } }] },
    data: { holder, leaseUntil: new Date(now.getTime() + leaseMs), lastStartedAt: now },
  });
  return count === 1;
}

/** Extends the holder's lease; false when it was lost (it ran out and another process took it). */
export async function renewLease(db: Db, name: string, holder: string, now: Date, leaseMs: number): Promise<boolean> {
  const { count } = await db.jobLease.updateMany({ where: { name, holder }, data: { leaseUntil: new Date(now.getTime() + leaseMs) } });
  return count === 1;
}

/** Records a finished run; the holder keeps the lease for `leaseMs` more. */
export async function finishRun(db: Db, name: string, holder: string, now: Date, ok: boolean, leaseMs: number): Promise<void> {
  await db.jobLease.updateMany({ where: { name, holder }, data: { lastFinishedAt: now, lastOk: ok, runs: { increment: 1 }, leaseUntil: new Date(now.getTime() + leaseMs) } });
}

/** Gives the lease up (clean shutdown), so another process takes the job at once. */
export async function releaseLease(db: Db, name: string, holder: string): Promise<void> {
  await db.jobLease.updateMany({ where: { name, holder }, data: { leaseUntil: null } });
}
