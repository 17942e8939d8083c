// What an operator sees: GET /healthz (database, jobs, stuck updates) and GET /metrics in
// Prometheus' format (updates by type and outcome, latency, outbox backlog and its oldest row,
// 429 answers, open cases by status, jobs' last runs), on the ops address of polling mode.
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ENGINES, type TestDb } from "../helpers/db.js";
import { harness, type Harness } from "../helpers/harness.js";
import { ask, coordinator, family } from "../helpers/people.js";
import { createOpsServer } from "../../src/server.js";
import { startJobs, type RunningJobs } from "../../src/jobs/scheduler.js";
import { createLogger } from "../../src/logger.js";
import { countRateLimits } from "../../src/ops/metrics.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const engine of ENGINES) {
  describe.skipIf(engine.skip)(`/healthz and /metrics (${engine.name})`, () => {
    let db: TestDb;
    let h: Harness;
    let server: Server;
    let jobs: RunningJobs;
    let base: string;
    const jobList = [{ name: "outbox", everyMs: 50, run: async () => undefined }];
    beforeEach(async () => {
      db = await engine.create();
      h = await harness(db, { intercept: (c) => (c.method === "sendMessage" && String(c.payload.text).startsWith("🆕") ? { ok: false, error_code: 429, description: "Too Many Requests: retry after 1", parameters: { retry_after: 1 } } : undefined) });
      h.deliveryApi.config.use(countRateLimits);
      jobs = startJobs(jobList, createLogger("silent"), { prisma: db.prisma, holder: "ops-test", clock: () => new Date() });
      server = createOpsServer({ prisma: db.prisma, clock: () => new Date(), startedAt: new Date(), jobs: { list: jobList, running: jobs.running } });
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterEach(async () => {
      await new Promise((r) => server.close(r));
      await jobs.stop();
      await db.dispose();
    });

    it("reports updates, latency, the outbox, 429s, open cases and jobs", async () => {
      await coordinator(h, db, 7001);
      const maria = await family(h, 7101);
      await ask(h, maria);
      await h.deliver(); // the ping gets a 429: counted, left in the outbox
      await h.send(structuredClone(h.message(maria, { text: "/menu", entities: [{ type: "bot_command", offset: 0, length: 5 }] })));
      await sleep(200); // the job ran
      const res = await fetch(`${base}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toContain("text/plain");
      const text = await res.text();
      const value = (line: RegExp) => Number(text.split("\n").find((l) => line.test(l))?.split(" ").at(-1));
      expect(value(/^supportbot_updates_total\{type="message",outcome="handled"\}/)).toBeGreaterThan(3);
      expect(value(/^supportbot_updates_total\{type="callback_query",outcome="handled"\}/)).toBeGreaterThan(1);
      expect(value(/^supportbot_update_handling_seconds_count\{type="message"\}/)).toBeGreaterThan(3);
      expect(text).toMatch(/^supportbot_update_handling_seconds_bucket\{le="0.1",type="message"\} \d+$/m);
      expect(value(/^supportbot_outbox_backlog /)).toBeGreaterThanOrEqual(1);
      expect(value(/^supportbot_outbox_oldest_age_seconds /)).toBeGreaterThanOrEqual(0);
      expect(value(/^supportbot_telegram_429_total /)).toBeGreaterThanOrEqual(1);
      expect(value(/^supportbot_open_cases\{status="new"\}/) + value(/^supportbot_open_cases\{status="assigned"\}/)).toBe(1);
      expect(value(/^supportbot_open_cases\{status="in_progress"\}/)).toBe(0);
      expect(value(/^supportbot_job_last_run_timestamp_seconds\{job="outbox"\}/)).toBeGreaterThan(Date.now() / 1000 - 60);
      expect(value(/^supportbot_job_last_run_ok\{job="outbox"\}/)).toBe(1);
      expect(value(/^supportbot_process_resident_memory_bytes /)).toBeGreaterThan(0);
      // Label values name kinds, never people.
      expect(text).not.toContain("7101");
    });

    it("is healthy while the database answers and jobs run; 503 with the reason otherwise", async () => {
      const maria = await family(h, 7102);
      await sleep(150);
      let res = await fetch(`${base}/healthz`);
      let body = await res.json();
      expect(res.status).toBe(200);
      expect(body).toMatchObject({ ok: true, database: true, jobsRunning: true, lateJobs: [], oldestUnhandledSeconds: 0 });
      expect(Date.parse(body.lastUpdateHandledAt)).toBeGreaterThan(Date.now() - 60_000);

      // An update recorded six minutes ago and never handled: handling is stuck.
      const stuck = h.message(maria, { text: "застряло" });
      await db.prisma.inboxUpdate.create({ data: { updateId: BigInt(stuck.update_id), payload: JSON.stringify(stuck), chatId: BigInt(maria.id), sourceKey: "stuck", receivedAt: new Date(Date.now() - 6 * 60_000) } });
      res = await fetch(`${base}/healthz`);
      body = await res.json();
      expect(res.status).toBe(503);
      expect(body.oldestUnhandledSeconds).toBeGreaterThanOrEqual(360);
      await db.prisma.inboxUpdate.delete({ where: { updateId: BigInt(stuck.update_id) } });

      // The job's last run long ago (no process runs it).
      await jobs.stop();
      await db.prisma.jobLease.update({ where: { name: "outbox" }, data: { lastFinishedAt: new Date(Date.now() - 10 * 60_000) } });
      res = await fetch(`${base}/healthz`);
      body = await res.json();
      expect(res.status).toBe(503);
      expect(body).toMatchObject({ ok: false, jobsRunning: false, lateJobs: ["outbox"] });
    });

    it("answers 503 when the database is gone", async () => {
      const broken = createOpsServer({ prisma: { $queryRawUnsafe: () => Promise.reject(new Error("down")) } as never });
      await new Promise<void>((r) => broken.listen(0, "127.0.0.1", r));
      const res = await fetch(`http://127.0.0.1:${(broken.address() as AddressInfo).port}/healthz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ ok: false, database: false });
      await new Promise((r) => broken.close(r));
    });
  });
}
