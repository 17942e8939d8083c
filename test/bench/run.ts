// `npm run bench`: throughput and latency of update handling, in-process, with Telegram replaced by
// an instant fake at the HTTP level and a fresh SQLite database (WAL). The same figures are measured
// for a bare grammY bot with a Prisma-backed session doing one reply, as a floor to compare with.
// The two bots take turns, a slice of the chats each (BENCH_SLICES), so that both are measured under
// the same load of a shared machine; the ratio between them is the figure to watch. CPU time per
// update (the process's, both threads) is printed too: it moves less with other load than wall time.
// Figures are printed, never asserted: this is not part of `npm test`.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Bot, session, type Context, type SessionFlavor } from "grammy";
import type { Update } from "grammy/types";
import { benchMix } from "./mix.js";
import { PrismaAdapter } from "@grammyjs/storage-prisma";
import { migrate } from "../../src/db/migrate.js";
import { openDatabase } from "../../src/db/client.js";
import { createBot } from "../../src/bot/create-bot.js";
import { loadConfig } from "../../src/config.js";
import { createI18n } from "../../src/i18n.js";
import { createLogger } from "../../src/logger.js";
import { BOT_INFO, TOKEN } from "../helpers/harness.js";
import { fakeTelegramFetch } from "../helpers/fake-telegram.js";

const CHATS = Number(process.env.BENCH_CHATS ?? 300);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);

const SLICES = Number(process.env.BENCH_SLICES ?? 6);

interface Figures { n: number; seconds: number; cpuMs: number; latencies: number[] }

/** Feeds each chat's updates in order, many chats at once, and times every update. */
async function drive(handle: (u: Update) => Promise<void>, perChat: Update[][], into: Figures): Promise<void> {
  let next = 0;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < perChat.length) {
        const seq = perChat[next++]!;
        for (const u of seq) {
          const s = performance.now();
          await handle(u);
          into.latencies.push(performance.now() - s);
        }
      }
    }),
  );
  const cpu = process.cpuUsage(cpu0);
  into.seconds += (performance.now() - t0) / 1000;
  into.cpuMs += (cpu.user + cpu.system) / 1000;
  into.n = into.latencies.length;
}

async function freshDb() {
  const dir = mkdtempSync(path.join(tmpdir(), "bot-bench-"));
  const url = `file:${path.join(dir, "bench.db")}`;
  await migrate(url);
  const db = await openDatabase(url);
  return { ...db, url, cleanup: async () => (await db.close(), rmSync(dir, { recursive: true, force: true })) };
}

type Side = { handle: (u: Update) => Promise<void>; cleanup: () => Promise<void> };

async function productBot(): Promise<Side> {
  const db = await freshDb();
  // Telegram's pacing is waiting, not work: the budget is set far above the bench's rate (its code
  // still runs for every reply), as the bare bot is not paced either.
  const config = loadConfig({ BOT_TOKEN: TOKEN, DATABASE_URL: db.url, OUTBOX_RATE_PER_SECOND: "10000", OUTBOX_CHAT_GAP_MS: "0" });
  const bot = createBot(
    { config, prisma: db.prisma, logger: createLogger("silent"), i18n: await createI18n("ru"), clock: () => new Date() },
    { botInfo: BOT_INFO, fetch: fakeTelegramFetch(() => undefined) },
  );
  await bot.init();
  return { handle: (u) => bot.handleUpdate(u), cleanup: db.cleanup };
}

async function bareBot(): Promise<Side> {
  const db = await freshDb();
  const bot = new Bot<Context & SessionFlavor<{ n: number }>>(TOKEN, { botInfo: BOT_INFO, client: { fetch: fakeTelegramFetch(() => undefined) } });
  bot.use(session({ initial: () => ({ n: 0 }), storage: new PrismaAdapter(db.prisma.session as never) }));
  bot.on(["message", "callback_query"], async (ctx) => {
    ctx.session.n++;
    await ctx.reply("ok");
  });
  await bot.init();
  return { handle: (u) => bot.handleUpdate(u), cleanup: db.cleanup };
}

// BENCH_ONLY=product (or bare) runs one side alone, e.g. under `node --cpu-prof --import tsx`.
const only = process.env.BENCH_ONLY;
const sides: [string, Side, Update[][], Figures][] = [];
if (only !== "product") sides.push(["bare grammY + Prisma session", await bareBot(), benchMix(CHATS, ROUNDS), { n: 0, seconds: 0, cpuMs: 0, latencies: [] }]);
if (only !== "bare") sides.push(["support bot (full middleware)", await productBot(), benchMix(CHATS, ROUNDS), { n: 0, seconds: 0, cpuMs: 0, latencies: [] }]);
const per = Math.ceil(CHATS / SLICES);
for (let s = 0; s < SLICES; s++) {
  for (const [, side, chats, figures] of sides) await drive(side.handle, chats.slice(s * per, (s + 1) * per), figures);
}
for (const [, side] of sides) await side.cleanup();

const quantile = (f: Figures, p: number) => {
  const sorted = [...f.latencies].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
};
const rate = (f: Figures) => f.n / f.seconds;
console.log(`update handling, ${CHATS} chats × ${3 + ROUNDS * 6} updates, ${CONCURRENCY} chats in flight, ${SLICES} alternating slices, SQLite (WAL), Node ${process.version}`);
console.log(`${"".padEnd(34)} ${"updates".padStart(7)} ${"updates/s".padStart(10)} ${"p50 ms".padStart(9)} ${"p99 ms".padStart(9)} ${"CPU ms/update".padStart(14)}`);
for (const [name, , , f] of sides) {
  console.log(`${name.padEnd(34)} ${String(f.n).padStart(7)} ${rate(f).toFixed(0).padStart(10)} ${quantile(f, 0.5).toFixed(2).padStart(9)} ${quantile(f, 0.99).toFixed(2).padStart(9)} ${(f.cpuMs / f.n).toFixed(3).padStart(14)}`);
}
if (sides.length === 2) {
  const [b, p] = [sides[0]![3], sides[1]![3]];
  console.log(`ratio (support bot / bare): throughput ${(rate(p) / rate(b)).toFixed(2)}, p50 ${(quantile(p, 0.5) / quantile(b, 0.5)).toFixed(2)}×, p99 ${(quantile(p, 0.99) / quantile(b, 0.99)).toFixed(2)}×, CPU per update ${(p.cpuMs / p.n / (b.cpuMs / b.n)).toFixed(2)}×`);
}
