// Time-driven work. Each job runs on an interval, never overlaps itself, logs its failures and
// keeps going; stop() waits for a running job to finish so shutdown does not cut it in half.
// With a database (`leases`), each job is run by one process at a time among all processes sharing
// it (jobs/lease.ts): a tick first takes the job's lease, renews it every third of its length while
// the job runs, and records the run.
import type { Logger } from "../logger.js";
import type { Db } from "../db/client.js";
import { acquireLease, ensureLease, finishRun, releaseLease, renewLease } from "./lease.js";

export interface Job {
  name: string;
  everyMs: number;
  run(): Promise<unknown>;
}

export interface LeaseOptions {
  prisma: Db;
  /** This process (INSTANCE_NAME). */
  holder: string;
  clock: () => Date;
  /** Lease length for a job; by default three intervals, at least 15 seconds. */
  leaseMs?: (job: Job) => number;
}

/** A job's lease outlives a few of its intervals, so its holder keeps it from tick to tick. */
export const defaultLeaseMs = (job: Job) => Math.max(15_000, job.everyMs * 3);

export interface RunningJobs {
  stop(): Promise<void>;
  /** Whether the timers run (for /healthz). */
  running(): boolean;
}

export function startJobs(jobs: Job[], logger: Logger, leases?: LeaseOptions): RunningJobs {
  const running = new Set<Promise<unknown>>();
  let stopped = false;
  const leaseOf = leases?.leaseMs ?? defaultLeaseMs;
  const ready = new Map<string, Promise<void>>();

  async function runLeased(job: Job, l: LeaseOptions): Promise<void> {
    if (!ready.has(job.name)) ready.set(job.name, ensureLease(l.prisma, job.name));
    await ready.get(job.name);
    const ms = leaseOf(job);
    if (!(await acquireLease(l.prisma, job.name, l.holder, l.clock(), ms))) return; // another process runs it
    const renew = setInterval(() => {
      renewLease(l.prisma, job.name, l.holder, l.clock(), ms).then(
        (kept) => kept || logger.warn({ job: job.name }, "job lease lost while running"),
        () => undefined,
      );
    }, ms / 3);
    renew.unref();
    let ok = false;
    try {
      await job.run();
      ok = true;
    } finally {
      clearInterval(renew);
      await finishRun(l.prisma, job.name, l.holder, l.clock(), ok, ms).catch(() => undefined);
    }
  }

  const timers = jobs.map((job) => {
    let busy = false;
    const tick = () => {
      if (busy || stopped) return;
      busy = true;
      const p = (leases ? runLeased(job, leases) : job.run())
        .catch((err) => logger.error({ err, job: job.name }, "job failed"))
        .finally(() => {
          busy = false;
          running.delete(p);
        });
      running.add(p);
    };
    return setInterval(tick, job.everyMs).unref();
  });
  return {
    running: () => !stopped,
    async stop() {
      stopped = true;
      timers.forEach(clearInterval);
      await Promise.all(running);
      if (leases) await Promise.all(jobs.map((j) => releaseLease(leases.prisma, j.name, leases.holder).catch(() => undefined)));
    },
  };
}
