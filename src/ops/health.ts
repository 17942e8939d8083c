// GET /healthz: whether this process can do its work. 503 when the database does not answer, this
// process's job timers have stopped, a job has not finished a run (in any process) for three of its
// intervals plus a minute, or an update has waited unhandled for more than five minutes. The body
// says which, and when this process last handled an update (a quiet bot is not unhealthy).
import type { Db } from "../db/client.js";
import type { Job } from "../jobs/scheduler.js";
import { lastUpdateHandledAt } from "./metrics.js";

/** An update unhandled for longer than this means handling is stuck. */
export const STUCK_UPDATE_MS = 5 * 60_000;

export interface HealthSources {
  prisma: Db;
  clock?: () => Date;
  /** The jobs this process schedules, and whether its timers run. */
  jobs?: { list: Pick<Job, "name" | "everyMs">[]; running(): boolean };
  /** When this process started (jobs get three intervals to finish a first run). */
  startedAt?: Date;
}

export interface Health {
  ok: boolean;
  database: boolean;
  jobsRunning: boolean;
  /** Jobs without a finished run for too long. */
  lateJobs: string[];
  lastUpdateHandledAt: string | null;
  oldestUnhandledSeconds: number;
}

export async function checkHealth(s: HealthSources): Promise<Health> {
  const now = (s.clock ?? (() => new Date()))();
  const h: Health = { ok: false, database: false, jobsRunning: s.jobs ? s.jobs.running() : true, lateJobs: [], lastUpdateHandledAt: lastUpdateHandledAt()?.toISOString() ?? null, oldestUnhandledSeconds: 0 };
  try {
    await s.prisma.$queryRawUnsafe("SELECT 1");
    h.database = true;
    const oldest = await s.prisma.inboxUpdate.findFirst({ where: { handledAt: null, payload: { not: null } }, orderBy: { receivedAt: "asc" }, select: { receivedAt: true } });
    h.oldestUnhandledSeconds = oldest ? Math.max(0, Math.round((now.getTime() - oldest.receivedAt.getTime()) / 1000)) : 0;
    if (s.jobs) {
      const rows = await s.prisma.jobLease.findMany({ select: { name: true, lastFinishedAt: true } });
      for (const job of s.jobs.list) {
        const allowed = job.everyMs * 3 + 60_000;
        const last = rows.find((r) => r.name === job.name)?.lastFinishedAt ?? s.startedAt ?? now;
        if (now.getTime() - last.getTime() > allowed) h.lateJobs.push(job.name);
      }
    }
  } catch {
    h.database = false;
  }
  h.ok = h.database && h.jobsRunning && h.lateJobs.length === 0 && h.oldestUnhandledSeconds * 1000 <= STUCK_UPDATE_MS;
  return h;
}
