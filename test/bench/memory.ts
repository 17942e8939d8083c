// `npm run bench:memory`: resident memory of the bot as it runs in production (the compiled
// dist/main.js, polling mode, its jobs and its /metrics and /healthz on METRICS_PORT) in a steady
// state with a programme's worth of data: 100,000 people (consent and profile each), 50,000 cases,
// 2,000 events and 500 coordinators in SQLite, bulk-inserted with SQL before it starts. A fake Bot
// API on loopback hands it updates of existing people (menu, events, requests, questions, profile)
// and answers its sends; its RSS is read from /proc every second. Target: under 250 MB. Printed,
// never asserted; not part of npm test.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Update } from "grammy/types";
import { migrate } from "../../src/db/migrate.js";
import { openDatabase } from "../../src/db/client.js";
import { seedRegions } from "../../src/services/regions.js";
import { CATEGORIES, EVENT_KINDS } from "../../src/services/vocabulary.js";

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 100_000);
const CASES = Number(process.env.BENCH_CASES ?? 50_000);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 2_000);
const STEADY_S = Number(process.env.BENCH_STEADY_S ?? 60);
const RATE = Number(process.env.BENCH_RATE ?? 20); // updates per second offered
const TARGET_MB = 250;
const TOKEN = "123456789:AAmemory-bench-token-xxxxxxxxxxxxxxxxx";
const root = path.resolve(import.meta.dirname, "..", "..");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** RSS of a process split into anonymous memory (heap, WebAssembly, SQLite's cache) and file pages (code, the mmapped database). */
function rssOf(pid: number): { rss: number; anon: number; file: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (k: string) => Number(status.match(new RegExp(`${k}:\\s+(\\d+)`))?.[1] ?? 0) / 1024;
  return { rss: kb("VmRSS"), anon: kb("RssAnon"), file: kb("RssFile") };
}

/** Makes the data with SQL in the database itself (a recursive counter), one statement per table. */
async function fill(url: string): Promise<void> {
  await migrate(url);
  const db = await openDatabase(url);
  const prisma = db.prisma;
  await seedRegions(prisma);
  const regions = (await prisma.region.findMany({ where: { country: "RU" }, select: { code: true } })).map((r) => r.code);
  const list = (xs: readonly string[]) => `json('${JSON.stringify(xs)}')`;
  const now = new Date().toISOString().replace("Z", "+00:00");
  const t0 = performance.now();
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
  // Open cases are held by coordinators (none "new": those are the few nobody could take, offered again at every escalation run).
  const statuses = ["assigned", "in_progress", "in_progress", "waiting", "resolved", "closed", "closed", "closed"];
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
  await db.close();
}

const dir = mkdtempSync(path.join(tmpdir(), "bench-memory-"));
const url = `file:${path.join(dir, "bot.db")}`;
await fill(url);

// The fake Bot API: getUpdates hands out what the feeder queued; sends are answered.
const queue: Update[] = [];
let handedOut = 0;
let messageId = 1;
const api = createServer((req, res) => {
  let body = "";
  req.on("data", (c) => (body += c));
  req.on("end", async () => {
    const method = (req.url ?? "").split("/").pop()!;
    const p = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    let result: unknown = true;
    if (method === "getMe") result = { id: 123456789, is_bot: true, first_name: "Bench", username: "bench_bot", can_join_groups: false, can_read_all_group_messages: false, supports_inline_queries: false };
    else if (method === "getUpdates") {
      const offset = Number(p.offset ?? 0);
      while (queue.length && queue[0]!.update_id < offset) queue.shift();
      if (!queue.length) await sleep(200);
      result = queue.slice(0, 50);
      handedOut = Math.max(handedOut, ...(result as Update[]).map((u) => u.update_id));
    } else if (method.startsWith("send") || method === "editMessageText") result = { message_id: ++messageId, date: 0, chat: { id: Number(p.chat_id ?? 0), type: "private" }, text: "" };
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ok: true, result }));
  });
});
api.keepAliveTimeout = 120_000; // the bot's clients keep connections open
await new Promise<void>((r) => api.listen(0, "127.0.0.1", r));
const metricsPort = 18_470;
// As `npm run start:prod` starts it (its Node flags included), unless BENCH_NODE_ARGS says otherwise.
const prodArgs = (JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")).scripts["start:prod"] as string).split(" ").slice(1);
const nodeArgs = process.env.BENCH_NODE_ARGS !== undefined ? [...process.env.BENCH_NODE_ARGS.split(" ").filter(Boolean), "dist/main.js"] : prodArgs;
const child = spawn(process.execPath, nodeArgs, {
  cwd: root,
  env: { ...process.env, BOT_TOKEN: TOKEN, DATABASE_URL: url, BOT_API_ROOT: `http://127.0.0.1:${(api.address() as AddressInfo).port}`, METRICS_PORT: String(metricsPort), LOG_LEVEL: "warn", INSTANCE_NAME: "bench", ESCALATION_INTERVAL_MS: "5000", EVENT_JOBS_INTERVAL_MS: "5000" },
  stdio: ["ignore", "inherit", "inherit"],
});
for (let i = 0; ; i++) {
  if (await fetch(`http://127.0.0.1:${metricsPort}/healthz`).then(() => true, () => false)) break;
  if (i > 600 || child.exitCode !== null) throw new Error("the bot did not start");
  await sleep(100);
}
const startedRss = rssOf(child.pid!);

let updateId = 1;
const person = (i: number) => 50_000_000 + 1 + ((i * 7919) % PEOPLE);
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

const samples: { rss: number; anon: number; file: number }[] = [];
const started = Date.now();
let i = 0;
while (Date.now() - started < STEADY_S * 1000) {
  // Offer RATE updates a second, but never pile up more than two seconds' worth.
  if (queue.length < RATE * 2) for (let k = 0; k < RATE; k++) queue.push(actions[i % actions.length]!(person(i++)));
  if (samples.length % 5 === 0) await fetch(`http://127.0.0.1:${metricsPort}/metrics`).then((r) => r.text(), () => undefined);
  samples.push(rssOf(child.pid!));
  await sleep(1000);
}
const handled = await fetch(`http://127.0.0.1:${metricsPort}/metrics`).then((r) => r.text()).then((t) =>
  t.split("\n").filter((l) => l.startsWith("supportbot_updates_total{") && l.includes('outcome="handled"')).reduce((n, l) => n + Number(l.split(" ").at(-1)), 0),
);
child.kill("SIGTERM");
await new Promise((r) => child.once("exit", r));
api.close();
rmSync(dir, { recursive: true, force: true });
const steady = samples.slice(Math.floor(samples.length / 3)); // after warm-up
const max = (k: "rss" | "anon" | "file") => Math.round(Math.max(...steady.map((s) => s[k])));
const last = samples.at(-1)!;
console.log(
  `memory of node ${nodeArgs.join(" ")} with ${PEOPLE} people, ${CASES} cases, ${EVENTS} events: ${handled} updates handled in ${STEADY_S} s (offered ${RATE}/s), jobs and /metrics running.\n` +
    `  RSS after start ${Math.round(startedRss.rss)} MB; steady state max ${max("rss")} MB (anonymous ${max("anon")} MB, file-backed ${max("file")} MB: code and the mmapped database), at the end ${Math.round(last.rss)} MB.\n` +
    `  Target < ${TARGET_MB} MB: ${max("rss") < TARGET_MB ? "met" : "NOT met"}.`,
);
process.exit(0);
