// `npm run bench`: throughput and latency of update handling, in-process, with Telegram replaced by
// an instant fake at the HTTP level and a fresh SQLite database (WAL). The same figures are measured
// for a bare grammY bot with a Prisma-backed session doing one reply, as a floor to compare with.
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

/** Feeds each chat's updates in order, many chats at once, and times every update. */
async function drive(handle: (u: Update) => Promise<void>, perChat: Update[][]): Promise<{ n: number; seconds: number; p50: number; p99: number }> {
  const latencies: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < perChat.length) {
        const seq = perChat[next++]!;
        for (const u of seq) {
          const s = performance.now();
          await handle(u);
          latencies.push(performance.now() - s);
        }
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!;
  return { n: latencies.length, seconds, p50: q(0.5), p99: q(0.99) };
}

async function freshDb() {
  const dir = mkdtempSync(path.join(tmpdir(), "bot-bench-"));
  const url = `file:${path.join(dir, "bench.db")}`;
  await migrate(url);
  const db = await openDatabase(url);
  return { ...db, url, cleanup: async () => (await db.close(), rmSync(dir, { recursive: true, force: true })) };
}

async function benchProduct() {
  const db = await freshDb();
  const config = loadConfig({ BOT_TOKEN: TOKEN, DATABASE_URL: db.url });
  const bot = createBot(
    { config, prisma: db.prisma, logger: createLogger("silent"), i18n: await createI18n("ru"), clock: () => new Date() },
    { botInfo: BOT_INFO, fetch: fakeTelegramFetch(() => undefined) },
  );
  await bot.init();
  const r = await drive((u) => bot.handleUpdate(u), benchMix(CHATS, ROUNDS));
  await db.cleanup();
  return r;
}

async function benchBare() {
  const db = await freshDb();
  const bot = new Bot<Context & SessionFlavor<{ n: number }>>(TOKEN, { botInfo: BOT_INFO, client: { fetch: fakeTelegramFetch(() => undefined) } });
  bot.use(session({ initial: () => ({ n: 0 }), storage: new PrismaAdapter(db.prisma.session as never) }));
  bot.on(["message", "callback_query"], async (ctx) => {
    ctx.session.n++;
    await ctx.reply("ok");
  });
  await bot.init();
  const r = await drive((u) => bot.handleUpdate(u), benchMix(CHATS, ROUNDS));
  await db.cleanup();
  return r;
}

const fmt = (name: string, r: Awaited<ReturnType<typeof benchBare>>) =>
  `${name.padEnd(34)} ${String(r.n).padStart(7)} ${(r.n / r.seconds).toFixed(0).padStart(10)} ${r.p50.toFixed(2).padStart(9)} ${r.p99.toFixed(2).padStart(9)}`;

// BENCH_ONLY=product (or bare) runs one side alone, e.g. under `node --cpu-prof --import tsx`.
const only = process.env.BENCH_ONLY;
const bare = only === "product" ? undefined : await benchBare();
const product = only === "bare" ? undefined : await benchProduct();
console.log(`update handling, ${CHATS} chats × ${3 + ROUNDS * 6} updates, ${CONCURRENCY} chats in flight, SQLite (WAL), Node ${process.version}`);
console.log(`${"".padEnd(34)} ${"updates".padStart(7)} ${"updates/s".padStart(10)} ${"p50 ms".padStart(9)} ${"p99 ms".padStart(9)}`);
if (bare) console.log(fmt("bare grammY + Prisma session", bare));
if (product) console.log(fmt("support bot (full middleware)", product));
if (bare && product) console.log(`ratio (support bot / bare): throughput ${(product.n / product.seconds / (bare.n / bare.seconds)).toFixed(2)}, p50 ${(product.p50 / bare.p50).toFixed(2)}×, p99 ${(product.p99 / bare.p99).toFixed(2)}×`);
