// Reports and announcements at scale, on SQLite:
// - an announcement to 10,000 people through the real outbox job and a fake Telegram in another process on a
//   loopback port that answers 429 above its limit (a token bucket: LIMIT a second, at most half a second of
//   burst). Telegram allows about 30 a second; to keep the bench short both the bot's rate and the
//   fake's limit are scaled up to BENCH_RATE (100) a second, so 10,000 take at least 100 s.
//   Targets: zero 429 answers, and at most 1.1× that minimum time.
// - /stats through the bot (figures of last month, the 12-week chart rendered to PNG, the photo and
//   the summary sent) over 100,000 cases and 100,000 people: target p99 < 300 ms.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { migrate } from "../../src/db/migrate.js";
import { openDatabase, type Db } from "../../src/db/client.js";
import { seedRegions } from "../../src/services/regions.js";
import { loadConfig } from "../../src/config.js";
import { createI18n } from "../../src/i18n.js";
import { createLogger } from "../../src/logger.js";
import { createDeliveryApi } from "../../src/bot/transport/api-defaults.js";
import { outboxJob } from "../../src/jobs/outbox.js";
import { startJobs } from "../../src/jobs/scheduler.js";
import { createAnnouncement, queueAnnouncement } from "../../src/services/delivery/announcements.js";
import { CASE_STATUSES, CATEGORIES } from "../../src/services/vocabulary.js";
import { createBot } from "../../src/bot/create-bot.js";
import { BOT_INFO, TOKEN } from "../helpers/harness.js";
import { fakeTelegramFetch } from "../helpers/fake-telegram.js";

const RATE = Number(process.env.BENCH_RATE ?? 100);
const RECIPIENTS = Number(process.env.BENCH_RECIPIENTS ?? 10_000);
const CASES = Number(process.env.BENCH_CASES ?? 100_000);
const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 100_000);
const SAMPLES = Number(process.env.BENCH_STATS_SAMPLES ?? 60);
const ADMIN = 9000;

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;

/** The fake Bot API (fake-telegram-server.ts) in a child process on a loopback port. */
async function fakeTelegram(limit: number) {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "fake-telegram-server.ts"), String(limit)], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<string>((resolve) => child.stdout!.once("data", (d: Buffer) => resolve(d.toString().trim())));
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    stats: async () => (await (await fetch(`${url}/__stats`)).json()) as { sent: number; refused: number; edits: number; chats: number },
    close: async () => void child.kill(),
  };
}

async function deps(url: string, env: Record<string, string> = {}) {
  const config = loadConfig({ BOT_TOKEN: TOKEN, DATABASE_URL: url, LOG_LEVEL: "silent", ADMIN_TELEGRAM_IDS: String(ADMIN), ...env });
  const { prisma, close } = await openDatabase(url);
  return { d: { config, prisma, logger: createLogger("silent"), i18n: await createI18n(config.DEFAULT_LOCALE), clock: () => new Date() }, close };
}

async function consenting(db: Db, n: number, base: number): Promise<number[]> {
  for (let i = 0; i < n; i += 5000) {
    const k = Math.min(5000, n - i);
    await db.person.createMany({ data: Array.from({ length: k }, (_, j) => ({ telegramId: BigInt(base + i + j), locale: "ru" })) });
  }
  const ids = (await db.person.findMany({ where: { telegramId: { gte: BigInt(base), lt: BigInt(base + n) } }, select: { id: true }, orderBy: { id: "asc" } })).map((p) => p.id);
  for (let i = 0; i < ids.length; i += 5000) await db.consent.createMany({ data: ids.slice(i, i + 5000).map((personId) => ({ personId, version: "1", givenAt: new Date() })) });
  return ids;
}

async function benchAnnouncement(dir: string): Promise<void> {
  const url = `file:${path.join(dir, "announce.db")}`;
  await migrate(url);
  const tg = await fakeTelegram(RATE);
  const { d, close } = await deps(url, { OUTBOX_RATE_PER_SECOND: String(RATE), OUTBOX_INTERVAL_MS: "50", BOT_API_ROOT: tg.url });
  try {
    await consenting(d.prisma, RECIPIENTS, 40_000_000);
    const id = await createAnnouncement(d.prisma, d.clock, { createdBy: null, audience: {}, text: "Завтра в 10:00 семинар о выплатах." });
    await queueAnnouncement(d.prisma, d.clock, id, { chatId: ADMIN, messageId: 1 });
    const api = createDeliveryApi(TOKEN, { apiRoot: tg.url });
    const started = performance.now();
    const cpu = process.cpuUsage();
    const jobs = startJobs([outboxJob(d, api)], d.logger);
    while ((await d.prisma.announcement.findUniqueOrThrow({ where: { id } })).status !== "done") await new Promise((r) => setTimeout(r, 200));
    const took = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const cpuSeconds = (used.user + used.system) / 1e6;
    await jobs.stop();
    const min = RECIPIENTS / RATE;
    const seen = await tg.stats();
    console.log(`\nannouncement to ${RECIPIENTS} people (Telegram's 30/s scaled up to ${RATE}/s: the bot's OUTBOX_RATE_PER_SECOND=${RATE}, the fake's limit ${RATE}/s, burst ${RATE / 2})`);
    console.log(`  delivered ${seen.sent} to ${seen.chats} chats, 429 answers: ${seen.refused} (target 0: ${seen.refused === 0 ? "met" : "NOT met"}), progress edits: ${seen.edits}`);
    console.log(`  this process used ${cpuSeconds.toFixed(1)} s of CPU in ${took.toFixed(1)} s (${((cpuSeconds / took) * 100).toFixed(0)}% of one core); load average ${(await import("node:os")).loadavg()[0]!.toFixed(1)} on ${(await import("node:os")).cpus().length} cores`);
    console.log(`  took ${took.toFixed(1)} s; minimum at ${RATE}/s ${min.toFixed(1)} s; ratio ${(took / min).toFixed(3)} (target ≤ 1.1: ${took / min <= 1.1 ? "met" : "NOT met"})`);
  } finally {
    await close();
    await tg.close();
  }
}

async function benchStats(dir: string): Promise<void> {
  const url = `file:${path.join(dir, "stats.db")}`;
  await migrate(url);
  // The bench asks /stats in one chat back to back; one message a second per chat (after a burst)
  // and the shared 25/s would time Telegram's limits, not the work: both are lifted here (the
  // budget's code still runs for each send).
  const { d, close } = await deps(url, { OUTBOX_CHAT_GAP_MS: "0", OUTBOX_RATE_PER_SECOND: "10000" });
  try {
    const db = d.prisma;
    await seedRegions(db);
    const regions = (await db.region.findMany({ where: { country: "RU" }, select: { code: true } })).map((r) => r.code).slice(0, 30);
    const now = Date.now();
    const DAY = 86_400_000;
    const ids = await consenting(db, PEOPLE, 50_000_000);
    for (let i = 0; i < ids.length; i += 5000) {
      await db.profile.createMany({
        data: ids.slice(i, i + 5000).map((personId, j) => ({ personId, role: ["graduate", "family", "service_member"][(i + j) % 3]!, regionCode: regions[(i + j) % regions.length]!, registeredAt: new Date(now - ((i + j) % 730) * DAY), erasedAt: (i + j) % 97 === 0 ? new Date() : null })),
      });
    }
    for (let i = 0; i < CASES; i += 5000) {
      await db.case.createMany({
        data: Array.from({ length: Math.min(5000, CASES - i) }, (_, j) => {
          const k = i + j;
          const createdAt = new Date(now - (k % 730) * DAY - (k % 1440) * 60_000);
          const status = CASE_STATUSES[k % CASE_STATUSES.length]!;
          return {
            number: `B-${k}`, requesterId: ids[k % ids.length]!, category: CATEGORIES[k % CATEGORIES.length]!, regionCode: regions[k % regions.length]!, urgency: k % 9 ? "normal" : "urgent", status,
            createdAt, lastActivityAt: createdAt, firstResponseAt: status === "new" ? null : new Date(createdAt.getTime() + (k % 240) * 60_000),
            resolvedAt: status === "resolved" || status === "closed" ? new Date(createdAt.getTime() + (k % 200) * 3_600_000) : null, rating: k % 4 === 0 ? 1 + (k % 5) : null,
          };
        }),
      });
    }
    for (let c = 0; c < 40; c++) await db.coordinator.create({ data: { telegramId: BigInt(70_000_000 + c), regions: regions[c % regions.length]!, categories: "payments", openCases: c % 10 } });
    await db.person.create({ data: { telegramId: BigInt(ADMIN), locale: "ru", consents: { create: { version: d.config.PRIVACY_POLICY_VERSION, givenAt: new Date() } } } });
    // Counted, so a /stats that answers something else (a consent prompt, a refusal) is not timed as one.
    let photos = 0;
    const bot = createBot(d, { botInfo: BOT_INFO, fetch: fakeTelegramFetch((c) => { if (c.method === "sendPhoto") photos++; return undefined; }) });
    await bot.init();
    let update = 1;
    const stats = () =>
      bot.handleUpdate({ update_id: update++, message: { message_id: update, date: Math.floor(Date.now() / 1000), chat: { id: ADMIN, type: "private", first_name: "A" }, from: { id: ADMIN, is_bot: false, first_name: "A", language_code: "ru" }, text: "/stats", entities: [{ type: "bot_command", offset: 0, length: 6 }] } });
    for (let i = 0; i < 5; i++) await stats(); // warm-up (fonts, Chart.js, query plans)
    const times: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const t = performance.now();
      await stats();
      times.push(performance.now() - t);
    }
    if (photos !== 5 + SAMPLES) throw new Error(`/stats sent ${photos} charts for ${5 + SAMPLES} commands: it did not answer with the figures`);
    const lastMonth = await db.case.count({ where: { createdAt: { gte: new Date(now - 61 * DAY), lt: new Date(now - 23 * DAY) } } });
    console.log(`\n/stats over ${CASES} cases and ${PEOPLE} people (about ${Math.round(lastMonth / 38 * 30)} cases a month), ${SAMPLES} runs: figures, 12 weeks, chart PNG, photo and summary sent`);
    console.log(`  p50 ${pct(times, 0.5).toFixed(0)} ms  p99 ${pct(times, 0.99).toFixed(0)} ms  max ${Math.max(...times).toFixed(0)} ms (target p99 < 300 ms: ${pct(times, 0.99) < 300 ? "met" : "NOT met"})`);
  } finally {
    await close();
  }
}

const dir = mkdtempSync(path.join(tmpdir(), "bench-reports-"));
try {
  if (process.env.BENCH_ONLY !== "stats") await benchAnnouncement(dir);
  if (process.env.BENCH_ONLY !== "announcement") await benchStats(dir);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
