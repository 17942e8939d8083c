// `npm run bench` (events): the SQL statements one sign-up sends, counted on SQLite and (when a server
// answers) PostgreSQL, for each outcome — a figure that does not move with the machine's load, unlike
// the latencies in events.ts. Prints the count and, with BENCH_SQL=1, the statements themselves.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { migrate } from "../../src/db/migrate.js";
import type { Db } from "../../src/db/client.js";
import { serialisedSqlite } from "../../src/db/serialised-sqlite.js";
import { postgresTarget, sqlitePath } from "../../src/db/url.js";
import { PrismaClient as SqliteClient } from "../../src/generated/sqlite/client.js";
import { PrismaClient as PostgresClient } from "../../src/generated/postgresql/client.js";
import { seedRegions } from "../../src/services/regions.js";
import { signUp } from "../../src/services/events/enrolment.js";
import { DEFAULT_EVENT_SETTINGS as settings } from "../../src/services/events/settings.js";
import { dropPostgresSchema, emptyPostgresUrl, postgresAvailable } from "../helpers/db.js";

const DAY = 86_400_000;
const LOG = [{ emit: "event", level: "query" }] as const;

/** A client that tells `onQuery` of every statement it sends (BEGIN and COMMIT included). */
function open(url: string, log = true): Db {
  if (url.startsWith("file:")) return new SqliteClient({ adapter: serialisedSqlite({ url: `file:${sqlitePath(url)}`, timeout: 10_000 }), log: log ? [...LOG] : [] });
  const { connectionString, schema } = postgresTarget(url);
  const adapter = new PrismaPg({ connectionString, max: 2, ...(schema ? { options: `-c search_path="${schema}"` } : {}) }, schema ? { schema } : undefined);
  return new PostgresClient({ adapter, log: log ? [...LOG] : [] }) as unknown as Db;
}

async function count(url: string, engine: string): Promise<void> {
  await migrate(url);
  const db = open(url);
  let sql: string[] = [];
  (db as unknown as { $on(e: "query", f: (q: { query: string }) => void): void }).$on("query", (q) => sql.push(q.query));
  try {
    await seedRegions(db);
    const now = Date.now();
    const event = (capacity: number, code: string, extra: object = {}) =>
      db.event.create({ data: { code, kind: "training", title: "{}", timeZone: "Europe/Moscow", startsAt: new Date(now + 30 * DAY), endsAt: new Date(now + 31 * DAY), capacity, status: "published", createdAt: new Date(), updatedAt: new Date(), ...extra } });
    const one = await event(1, "q1");
    const approval = await event(10, "q2", { needsApproval: true });
    const people: number[] = [];
    for (let i = 0; i < 3; i++) {
      const p = await db.person.create({ data: { telegramId: BigInt(40_000_000 + i) } });
      await db.profile.create({ data: { personId: p.id, role: "graduate", regionCode: "RU-TAM", birthDate: "2004-05-01", registeredAt: new Date() } });
      people.push(p.id);
    }
    const clock = () => new Date();
    const cases = [
      ["confirmed", () => signUp(db, clock, { eventId: one.id, personId: people[0]!, key: "q:1" }, settings)],
      ["waiting", () => signUp(db, clock, { eventId: one.id, personId: people[1]!, key: "q:2" }, settings)],
      ["pending approval", () => signUp(db, clock, { eventId: approval.id, personId: people[2]!, key: "q:3" }, settings)],
      ["same press again", () => signUp(db, clock, { eventId: one.id, personId: people[0]!, key: "q:1" }, settings)],
    ] as const;
    console.log(`\nSQL statements per sign-up, ${engine} (COMMIT included; BEGIN is not logged)`);
    for (const [label, run] of cases) {
      sql = [];
      const r = await run();
      console.log(`  ${label.padEnd(20)} ${String(sql.length).padStart(3)}  (${r.outcome})`);
      if (process.env.BENCH_SQL) for (const q of sql) console.log(`      ${q.replace(/\s+/g, " ").slice(0, 160)}`);
    }
  } finally {
    await db.$disconnect();
  }
  if (url.startsWith("file:")) await cpuPerSignUp(url);
}

/**
 * SQLite runs in this process, so this process's CPU time per sign-up (one at a time, half confirmed,
 * half waiting; no query log) is the whole cost of one, whatever else the machine is doing.
 */
async function cpuPerSignUp(url: string): Promise<void> {
  const db = open(url, false);
  try {
    const n = 400;
    const e = await db.event.create({ data: { code: "cpu", kind: "training", title: "{}", timeZone: "Europe/Moscow", startsAt: new Date(Date.now() + 30 * DAY), endsAt: new Date(Date.now() + 31 * DAY), capacity: n / 2, status: "published", createdAt: new Date(), updatedAt: new Date() } });
    await db.person.createMany({ data: Array.from({ length: n }, (_, i) => ({ telegramId: BigInt(41_000_000 + i) })) });
    const ids = (await db.person.findMany({ where: { telegramId: { gte: BigInt(41_000_000) } }, select: { id: true }, orderBy: { id: "asc" } })).map((p) => p.id);
    await db.profile.createMany({ data: ids.map((personId) => ({ personId, role: "graduate", regionCode: "RU-TAM", birthDate: "2004-05-01", registeredAt: new Date() })) });
    const clock = () => new Date();
    for (let i = 0; i < 20; i++) await signUp(db, clock, { eventId: e.id, personId: ids[i]!, key: `cpu:${i}` }, settings); // warm up
    const c = process.cpuUsage();
    for (let i = 20; i < n; i++) await signUp(db, clock, { eventId: e.id, personId: ids[i]!, key: `cpu:${i}` }, settings);
    const used = process.cpuUsage(c);
    console.log(`  CPU time per sign-up (SQLite, in process, ${n - 20} one at a time): ${((used.user + used.system) / 1000 / (n - 20)).toFixed(2)} ms`);
  } finally {
    await db.$disconnect();
  }
}

const dir = mkdtempSync(path.join(tmpdir(), "bot-bench-queries-"));
try {
  await count(`file:${path.join(dir, "q.db")}`, "SQLite");
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (postgresAvailable) {
  const url = emptyPostgresUrl();
  try {
    await count(url, "PostgreSQL");
  } finally {
    await dropPostgresSchema(url);
  }
}
