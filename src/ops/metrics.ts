// What an operator watches, in Prometheus' text format (prom-client): updates handled by type and
// outcome with their latency, Telegram's 429 answers, and, read from the database at each scrape,
// the outbox backlog and its oldest row, open cases by status and the jobs' last runs (for every
// process sharing the database). Counters are per process; label values never carry personal data.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { RawApi, Transformer } from "grammy";
import type { Update } from "grammy/types";
import type { Db } from "../db/client.js";
import { OPEN_STATUSES } from "../services/vocabulary.js";

/** Counters of this process, shared by every bot built in it. */
export const processRegistry = new Registry();
collectDefaultMetrics({ register: processRegistry, prefix: "supportbot_" });

const updates = new Counter({
  name: "supportbot_updates_total",
  help: "Updates by type and outcome (handled, failed, already-handled, in-hand, waiting, given-up)",
  labelNames: ["type", "outcome"] as const,
  registers: [processRegistry],
});
const latency = new Histogram({
  name: "supportbot_update_handling_seconds",
  help: "Time from claiming an update to marking it handled",
  labelNames: ["type"] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [processRegistry],
});
const rateLimited = new Counter({ name: "supportbot_telegram_429_total", help: "Answers 429 (too many requests) from the Bot API", registers: [processRegistry] });
const lastHandled = new Gauge({ name: "supportbot_last_update_handled_timestamp_seconds", help: "When this process last finished an update (0: none yet)", registers: [processRegistry] });
lastHandled.set(0);

/** The kind of an update: its one field besides update_id (message, callback_query, ...). */
export function updateType(u: Update): string {
  for (const k in u) if (k !== "update_id") return k;
  return "unknown";
}

let lastHandledAt: Date | null = null;
/** When this process last finished an update, or null. */
export const lastUpdateHandledAt = () => lastHandledAt;

/** Counts one update's admission or end; `ms` is the time since it was claimed. */
export function observeUpdate(u: Update, outcome: string, ms: number): void {
  const type = updateType(u);
  updates.inc({ type, outcome });
  if (outcome === "handled" || outcome === "failed") latency.observe({ type }, ms / 1000);
  if (outcome === "handled") {
    lastHandledAt = new Date();
    lastHandled.set(lastHandledAt.getTime() / 1000);
  }
}

/** An API transformer counting 429 answers (each one, before any retry). */
export const countRateLimits: Transformer<RawApi> = async (prev, method, payload, signal) => {
  const res = await prev(method, payload, signal);
  if (!res.ok && res.error_code === 429) rateLimited.inc();
  return res;
};

/** Figures read from the database at each scrape: shared by every process on it. */
function databaseRegistry(prisma: Db, clock: () => Date): Registry {
  const registry = new Registry();
  new Gauge({
    name: "supportbot_outbox_backlog",
    help: "Notices queued and not yet sent (excluding those set aside for good)",
    registers: [registry],
    async collect() {
      this.set(await prisma.outbox.count({ where: { sentAt: null, nextAttemptAt: { lt: FAR_FUTURE } } }));
    },
  });
  new Gauge({
    name: "supportbot_outbox_oldest_age_seconds",
    help: "Age of the oldest notice not yet sent (0: none)",
    registers: [registry],
    async collect() {
      const row = await prisma.outbox.findFirst({ where: { sentAt: null, nextAttemptAt: { lt: FAR_FUTURE } }, orderBy: { id: "asc" }, select: { createdAt: true } });
      this.set(row ? Math.max(0, (clock().getTime() - row.createdAt.getTime()) / 1000) : 0);
    },
  });
  new Gauge({
    name: "supportbot_open_cases",
    help: "Open cases by status",
    labelNames: ["status"] as const,
    registers: [registry],
    async collect() {
      const rows = await prisma.case.groupBy({ by: ["status"], where: { status: { in: [...OPEN_STATUSES] } }, _count: { _all: true } });
      this.reset();
      for (const s of OPEN_STATUSES) this.set({ status: s }, rows.find((r) => r.status === s)?._count._all ?? 0);
    },
  });
  const jobs = async () => prisma.jobLease.findMany({ select: { name: true, lastFinishedAt: true, lastOk: true } });
  new Gauge({
    name: "supportbot_job_last_run_timestamp_seconds",
    help: "When each job last finished a run (any process)",
    labelNames: ["job"] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const j of await jobs()) if (j.lastFinishedAt) this.set({ job: j.name }, j.lastFinishedAt.getTime() / 1000);
    },
  });
  new Gauge({
    name: "supportbot_job_last_run_ok",
    help: "Whether each job's last run succeeded (1) or failed (0)",
    labelNames: ["job"] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const j of await jobs()) if (j.lastOk !== null) this.set({ job: j.name }, j.lastOk ? 1 : 0);
    },
  });
  return registry;
}

/** Notices set aside for good are parked in the far future (services/delivery/outbox.ts). */
const FAR_FUTURE = new Date("9000-01-01T00:00:00Z");

/** The registry a /metrics endpoint serves: this process's counters and the database's figures. */
export function metricsRegistry(prisma: Db, clock: () => Date = () => new Date()): Registry {
  return Registry.merge([processRegistry, databaseRegistry(prisma, clock)]);
}
