// `npm run bench:memory`: resident memory of one bot process in a steady state with a programme's
// worth of data — 100,000 people (consent and profile each), 50,000 cases, 2,000 events and 500
// coordinators in SQLite (bulk-inserted with SQL) — while it handles updates of existing people,
// runs its jobs (outbox, escalation and auto-close, event schedule, housekeeping, recovery) and
// serves /metrics. Target: under 250 MB. Printed, never asserted; not part of npm test.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import type { Update } from "grammy/types";
import { migrate } from "../../src/db/migrate.js";
import { openDatabase } from "../../src/db/client.js";
import { seedRegions } from "../../src/services/regions.js";
import { seedKnowledge } from "../../src/services/knowledge/seed.js";
import { createBot } from "../../src/bot/create-bot.js";
import { loadConfig } from "../../src/config.js";
import { createI18n } from "../../src/i18n.js";
import { createLogger } from "../../src/logger.js";
import { startJobs } from "../../src/jobs/scheduler.js";
import { housekeepingJob } from "../../src/jobs/housekeeping.js";
import { outboxJob } from "../../src/jobs/outbox.js";
import { escalationJob } from "../../src/jobs/cases.js";
import { eventsJob } from "../../src/jobs/events.js";
import { recoverUpdatesJob } from "../../src/bot/transport/inbox.js";
import { createDeliveryApi } from "../../src/bot/transport/api-defaults.js";
import { createOpsServer } from "../../src/server.js";
import { CATEGORIES, EVENT_KINDS, OPEN_STATUSES } from "../../src/services/vocabulary.js";
import { BOT_INFO, TOKEN } from "../helpers/harness.js";
import { fakeTelegramFetch } from "../helpers/fake-telegram.js";

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 100_000);
const CASES = Number(process.env.BENCH_CASES ?? 50_000);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 2_000);
const STEADY_S = Number(process.env.BENCH_STEADY_S ?? 45);
const TARGET_MB = 250;
const mb = (n: number) => Math.round(n / 1024 / 1024);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const gc = (globalThis as { gc?: () => void }).gc;

const dir = mkdtempSync(path.join(tmpdir(), "bench-memory-"));
const url = `file:${path.join(dir, "bot.db")}`;
await migrate(url);
const db = await openDatabase(url);
const prisma = db.prisma;
await seedRegions(prisma);
const regions = (await prisma.region.findMany({ where: { country: "RU" }, select: { code: true } })).map((r) => r.code);
const list = (xs: readonly string[]) => `json('${JSON.stringify(xs)}')`;
const now = new Date().toISOString().replace("Z", "+00:00");
const t0 = performance.now();
// Rows made by SQL in the database itself (a recursive counter), in one statement per table.
const count = (n: number) => `WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < ${n})`;
await prisma.$executeRawUnsafe(`${count(PEOPLE)} INSERT INTO "Person" ("id", "telegramId", "locale", "createdAt", "updatedAt") SELECT n, 50000000 + n, 'ru', '${now}', '${now}' FROM c`);
await prisma.$executeRawUnsafe(`${count(PEOPLE)} INSERT INTO "Consent" ("personId", "version", "givenAt") SELECT n, '1', '${now}' FROM c`);
await prisma.$executeRawUnsafe(
  `${count(PEOPLE)} INSERT INTO "Profile" ("personId", "role", "fullName", "regionCode", "phone", "registeredAt", "updatedAt", "relation", "birthDate")
   SELECT n, CASE n % 3 WHEN 0 THEN 'graduate' WHEN 1 THEN 'family' ELSE 'service_member' END, 'Участник ' || n,
     json_extract(${list(regions)}, '$[' || (n % ${regions.length}) || ']'), '+7900' || (1000000 + n), '${now}', '${now}',
     CASE n % 3 WHEN 1 THEN 'mother' END, CASE n % 3 WHEN 0 THEN '2005-05-01' END FROM c`,
);
await prisma.$executeRawUnsafe(
  `${count(500)} INSERT INTO "Coordinator" ("telegramId", "regions", "categories", "maxOpen", "openCases") SELECT 40000000 + n,
     json_extract(${list(regions)}, '$[' || (n % ${regions.length}) || ']'), json_extract(${list(CATEGORIES)}, '$[' || (n % ${CATEGORIES.length}) || ']'), 200, 0 FROM c`,
);
const statuses = [...OPEN_STATUSES, "resolved", "closed", "closed", "closed"];
await prisma.$executeRawUnsafe(
  `${count(CASES)} INSERT INTO "Case" ("number", "requesterId", "category", "regionCode", "urgency", "description", "status", "coordinatorId", "createdAt", "lastActivityAt", "offeredAt")
   SELECT 'X-' || n, 1 + (n * 7) % ${PEOPLE}, json_extract(${list(CATEGORIES)}, '$[' || (n % ${CATEGORIES.length}) || ']'), json_extract(${list(regions)}, '$[' || (n % ${regions.length}) || ']'),
     'normal', 'Описание обращения номер ' || n, json_extract(${list(statuses)}, '$[' || (n % ${statuses.length}) || ']'), 1 + n % 500, '${now}', '${now}', '${now}' FROM c`,
);
const day = 86_400_000;
await prisma.$executeRawUnsafe(
  `${count(EVENTS)} INSERT INTO "Event" ("code", "kind", "title", "timeZone", "startsAt", "endsAt", "regions", "capacity", "status", "createdAt", "updatedAt")
   SELECT 'm' || n, json_extract(${list(EVENT_KINDS)}, '$[' || (n % ${EVENT_KINDS.length}) || ']'), json_object('ru', 'Событие ' || n), 'Europe/Moscow',
     strftime('%Y-%m-%dT%H:%M:%S.000+00:00', ${Math.floor(Date.now() / 1000)} + 3600 + n * ${Math.floor((365 * day) / 1000 / EVENTS)}, 'unixepoch'),
     strftime('%Y-%m-%dT%H:%M:%S.000+00:00', ${Math.floor(Date.now() / 1000)} + 18000 + n * ${Math.floor((365 * day) / 1000 / EVENTS)}, 'unixepoch'),
     '', 40, 'published', '${now}', '${now}' FROM c`,
);
console.log(`filled ${PEOPLE} people, ${CASES} cases, ${EVENTS} events, 500 coordinators in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

const config = loadConfig({ BOT_TOKEN: TOKEN, DATABASE_URL: url, LOG_LEVEL: "silent", INSTANCE_NAME: "bench" });
await seedKnowledge(prisma, () => new Date(), undefined);
const deps = { config, prisma, logger: createLogger("silent"), i18n: await createI18n("ru"), clock: () => new Date() };
const fetchFake = fakeTelegramFetch(() => undefined);
const bot = createBot(deps, { botInfo: BOT_INFO, fetch: fetchFake });
await bot.init();
const jobList = [housekeepingJob(deps), recoverUpdatesJob(bot, deps), outboxJob(deps, createDeliveryApi(TOKEN, { fetch: fetchFake })), { ...escalationJob(deps), everyMs: 5000 }, { ...eventsJob(deps), everyMs: 5000 }];
const jobs = startJobs(jobList, deps.logger, { prisma, holder: "bench", clock: deps.clock });
const ops = createOpsServer({ prisma, jobs: { list: jobList, running: jobs.running } });
await new Promise<void>((r) => ops.listen(0, "127.0.0.1", r));
const metricsUrl = `http://127.0.0.1:${(ops.address() as AddressInfo).port}/metrics`;

let updateId = 1;
const person = (i: number) => 50_000_000 + 1 + (i * 7919) % PEOPLE;
const from = (id: number) => ({ id, is_bot: false as const, first_name: "Bench", language_code: "ru" });
const msg = (id: number, text: string): Update => ({
  update_id: updateId++,
  message: { message_id: updateId, date: 0, chat: { id, type: "private", first_name: "Bench" }, from: from(id), text, ...(text.startsWith("/") ? { entities: [{ type: "bot_command", offset: 0, length: text.length }] } : {}) },
});
const press = (id: number, data: string): Update => ({
  update_id: updateId++,
  callback_query: { id: String(updateId), from: from(id), chat_instance: "b", data, message: { message_id: 1, date: 0, chat: { id, type: "private", first_name: "Bench" }, text: "…" } as never },
});
const actions = [(id: number) => msg(id, "/menu"), (id: number) => msg(id, "/events"), (id: number) => msg(id, "/mycases"), (id: number) => msg(id, "/faq"), (id: number) => msg(id, "как получить удостоверение ветерана"), (id: number) => press(id, "menu:profile"), (id: number) => msg(id, "/cancel")];

const samples: number[] = [];
let handled = 0;
const started = Date.now();
let i = 0;
while (Date.now() - started < STEADY_S * 1000) {
  // Eight people at a time, as a busy programme's hour looks; RSS sampled every second.
  await Promise.all(Array.from({ length: 8 }, () => bot.handleUpdate(actions[i % actions.length]!(person(i++)))));
  handled += 8;
  if (handled % 200 === 0) await fetch(metricsUrl).then((r) => r.text());
  if (samples.length < (Date.now() - started) / 1000) samples.push(process.memoryUsage().rss);
}
await sleep(500);
gc?.();
await sleep(500);
const settled = process.memoryUsage();
const steady = samples.slice(Math.floor(samples.length / 3)); // after warm-up
console.log(
  `memory with ${PEOPLE} people, ${CASES} cases, ${EVENTS} events: ${handled} updates handled in ${STEADY_S} s with jobs and /metrics running; ` +
    `RSS steady max ${mb(Math.max(...steady))} MB, after GC ${mb(settled.rss)} MB (heap used ${mb(settled.heapUsed)} MB); target < ${TARGET_MB} MB: ${Math.max(...steady) < TARGET_MB * 1024 * 1024 ? "met" : "NOT met"}`,
);
await new Promise((r) => ops.close(r));
await jobs.stop();
await db.close();
rmSync(dir, { recursive: true, force: true });
process.exit(0);
