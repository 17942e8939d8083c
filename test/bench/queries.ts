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
import { sqliteRunnerOf, useSqliteRunner } from "../../src/db/direct.js";

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
// Operations too: a Prisma model query costs several times a raw one (its plan is compiled each
// time), and a raw one many times a statement run straight on SQLite (src/db/direct.ts).
const operations: string[] = [];
const calls: string[] = [];
const prisma = db.prisma.$extends({
  query: {
    async $allOperations({ model, operation, args, query }) {
      operations.push(model ? `${model}.${operation}` : operation);
      return query(args);
    },
  },
}) as unknown as typeof db.prisma;
// The statements the bot runs straight on SQLite (src/db/direct.ts), counted as such.
const direct = sqliteRunnerOf(db.prisma)!;
useSqliteRunner(prisma, (sql, args) => (statements.push(sql), operations.push("direct"), direct(sql, args)));
const bot = createBot(
  { config: loadConfig({ BOT_TOKEN: TOKEN, DATABASE_URL: url, OUTBOX_RATE_PER_SECOND: "10000", OUTBOX_CHAT_GAP_MS: "0" }), prisma, logger: createLogger("silent"), i18n: await createI18n("ru"), clock: () => new Date() },
  { botInfo: BOT_INFO, fetch: fakeTelegramFetch((c) => void calls.push(c.method)) },
);
await bot.init();

const perKind = new Map<string, { n: number; total: number; ops: number; raw: number; api: number; example: string[]; exampleOps: string[] }>();
for (const seq of benchMix(Number(process.env.QUERY_CHATS ?? 20), 2)) {
  for (const u of seq as Update[]) {
    statements.length = 0;
    operations.length = 0;
    calls.length = 0;
    await bot.handleUpdate(u);
    const k = kindOf(u);
    const e = perKind.get(k) ?? { n: 0, total: 0, ops: 0, raw: 0, api: 0, example: [], exampleOps: [] };
    if (e.n === 0 || process.env.QUERY_SQL === "last") (e.example = [...statements]), (e.exampleOps = [...operations]);
    e.n++;
    e.total += statements.length;
    e.ops += operations.length;
    e.api += calls.length;
    e.raw += operations.filter((o) => o.startsWith("$") || o === "direct").length;
    perKind.set(k, e);
  }
}
let all = 0, ops = 0, raw = 0, api = 0, count = 0;
const row = (k: string, n: number, stmts: number, o: number, r: number, a: number) =>
  console.log(`${k.padEnd(18)} ${(stmts / n).toFixed(1).padStart(10)} ${(o / n).toFixed(1).padStart(10)} ${(r / n).toFixed(1).padStart(11)} ${(a / n).toFixed(1).padStart(9)}`);
console.log("per update, by kind (mean over the mix)");
console.log(`${"".padEnd(18)} ${"SQL".padStart(10)} ${"operations".padStart(10)} ${"raw/direct".padStart(11)} ${"API calls".padStart(9)}`);
for (const [k, e] of perKind) {
  all += e.total;
  ops += e.ops;
  raw += e.raw;
  api += e.api;
  count += e.n;
  row(k, e.n, e.total, e.ops, e.raw, e.api);
}
row("all", count, all, ops, raw, api);
if (process.env.QUERY_SQL) {
  for (const [k, e] of perKind) {
    console.log(`\n== ${k} (${process.env.QUERY_SQL === "last" ? "last" : "first"} one)`);
    console.log("  Prisma: " + e.exampleOps.join(", "));
    for (const s of e.example) console.log("  " + s.replace(/\s+/g, " ").slice(0, 220));
  }
}
await db.close();
rmSync(dir, { recursive: true, force: true });
