// `tsx test/bench/queries.ts`: how many SQL statements each kind of update in the bench's mix costs
// (and which), counted beneath Prisma at the SQLite driver. A tool for profiling, not part of `npm test`.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Update } from "grammy/types";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { migrate } from "../../src/db/migrate.js";
import { openDatabase } from "../../src/db/client.js";
import { createBot } from "../../src/bot/create-bot.js";
import { loadConfig } from "../../src/config.js";
import { createI18n } from "../../src/i18n.js";
import { createLogger } from "../../src/logger.js";
import { BOT_INFO, TOKEN } from "../helpers/harness.js";
import { fakeTelegramFetch } from "../helpers/fake-telegram.js";
import { benchMix, kindOf } from "./mix.js";

const statements: string[] = [];
let patched = false;
const connect = PrismaBetterSQLite3.prototype.connect;
PrismaBetterSQLite3.prototype.connect = async function (this: PrismaBetterSQLite3) {
  const adapter = await connect.call(this);
  if (!patched) {
    patched = true;
    // The adapter and its transactions share this prototype: every statement passes here.
    const queryable = Object.getPrototypeOf(Object.getPrototypeOf(adapter)) as Record<string, (q: { sql: string }) => Promise<unknown>>;
    for (const name of ["queryRaw", "executeRaw"] as const) {
      const original = queryable[name]!;
      queryable[name] = function (this: unknown, q: { sql: string }) {
        statements.push(q.sql);
        return original.call(this, q);
      };
    }
    const start = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (iso) => (statements.push("BEGIN"), start(iso));
  }
  return adapter;
};

const dir = mkdtempSync(path.join(tmpdir(), "bot-queries-"));
const url = `file:${path.join(dir, "q.db")}`;
await migrate(url);
const db = await openDatabase(url, { checkpointInBackground: false });
const bot = createBot(
  { config: loadConfig({ BOT_TOKEN: TOKEN, DATABASE_URL: url }), prisma: db.prisma, logger: createLogger("silent"), i18n: await createI18n("ru"), clock: () => new Date() },
  { botInfo: BOT_INFO, fetch: fakeTelegramFetch(() => undefined) },
);
await bot.init();

const perKind = new Map<string, { n: number; total: number; example: string[] }>();
for (const seq of benchMix(Number(process.env.QUERY_CHATS ?? 20), 2)) {
  for (const u of seq as Update[]) {
    statements.length = 0;
    await bot.handleUpdate(u);
    const k = kindOf(u);
    const e = perKind.get(k) ?? { n: 0, total: 0, example: [] };
    if (e.n === 0 || process.env.QUERY_SQL === "last") e.example = [...statements];
    e.n++;
    e.total += statements.length;
    perKind.set(k, e);
  }
}
let all = 0, count = 0;
console.log("SQL statements per update, by kind (mean over the mix)");
for (const [k, e] of perKind) {
  all += e.total;
  count += e.n;
  console.log(`${k.padEnd(16)} ${(e.total / e.n).toFixed(1).padStart(6)}`);
}
console.log(`${"all".padEnd(16)} ${(all / count).toFixed(1).padStart(6)}`);
if (process.env.QUERY_SQL) {
  for (const [k, e] of perKind) {
    console.log(`\n== ${k} (${process.env.QUERY_SQL === "last" ? "last" : "first"} one)`);
    for (const s of e.example) console.log("  " + s.replace(/\s+/g, " ").slice(0, 220));
  }
}
await db.close();
rmSync(dir, { recursive: true, force: true });
