// Applies the SQL migrations in prisma/migrations (SQLite) or prisma/postgresql/migrations
// (PostgreSQL) once each, in order, each in a transaction. Prisma 6's JavaScript schema engine
// cannot run `migrate deploy` against PostgreSQL (prisma/prisma#27403), so the bot applies them
// itself. Applied migrations are recorded in `_prisma_migrations` with Prisma's own columns and
// checksum, so a machine with Prisma's native engine can take over with `prisma migrate deploy`.
import { createHash, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import pg from "pg";
import { engineOf, postgresTarget, sqlitePath } from "./url.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function migrationsDir(engine: "sqlite" | "postgresql"): string {
  return engine === "sqlite" ? path.join(root, "prisma", "migrations") : path.join(root, "prisma", "postgresql", "migrations");
}

export function loadMigrations(dir: string): Migration[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(dir, d.name, "migration.sql")))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

const SQLITE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" TEXT PRIMARY KEY NOT NULL, "checksum" TEXT NOT NULL, "finished_at" DATETIME,
  "migration_name" TEXT NOT NULL, "logs" TEXT, "rolled_back_at" DATETIME,
  "started_at" DATETIME NOT NULL DEFAULT current_timestamp, "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0)`;

const POSTGRES_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`;

export interface MigrateResult {
  applied: string[];
  alreadyApplied: number;
}

function checkChecksums(done: Map<string, string>, all: Migration[]): void {
  for (const m of all) {
    const seen = done.get(m.name);
    if (seen !== undefined && seen !== m.checksum) {
      throw new Error(`migration ${m.name} was changed after it was applied; add a new migration instead`);
    }
  }
}

function migrateSqlite(url: string, migrations: Migration[]): MigrateResult {
  const file = sqlitePath(url);
  if (file !== ":memory:") mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file, { timeout: 10_000 });
  try {
    db.pragma("journal_mode = WAL");
    db.exec(SQLITE_TABLE);
    const rows = db
      .prepare(`SELECT migration_name AS name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`)
      .all() as { name: string; checksum: string }[];
    const done = new Map(rows.map((r) => [r.name, r.checksum]));
    checkChecksums(done, migrations);
    const applied: string[] = [];
    for (const m of migrations.filter((m) => !done.has(m.name))) {
      // IMMEDIATE takes the write lock first, so two processes starting at once apply it once.
      db.transaction(() => {
        const again = db.prepare(`SELECT 1 FROM "_prisma_migrations" WHERE migration_name = ? AND finished_at IS NOT NULL`).get(m.name);
        if (again) return;
        db.exec(m.sql);
        db.prepare(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count) VALUES (?, ?, ?, ?, 1)`,
        ).run(randomUUID(), m.checksum, new Date().toISOString(), m.name);
        applied.push(m.name);
      }).immediate();
    }
    return { applied, alreadyApplied: done.size };
  } finally {
    db.close();
  }
}

async function migratePostgres(url: string, migrations: Migration[]): Promise<MigrateResult> {
  const { connectionString, schema } = postgresTarget(url);
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    // One migrating process at a time across every bot process sharing this database.
    await client.query("SELECT pg_advisory_lock(727274)");
    try {
      if (schema) {
        await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema.replace(/"/g, "")}"`);
        await client.query(`SET search_path TO "${schema.replace(/"/g, "")}"`);
      }
      await client.query(POSTGRES_TABLE);
      const { rows } = await client.query<{ name: string; checksum: string }>(
        `SELECT migration_name AS name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
      );
      const done = new Map(rows.map((r) => [r.name, r.checksum]));
      checkChecksums(done, migrations);
      const applied: string[] = [];
      for (const m of migrations.filter((m) => !done.has(m.name))) {
        await client.query("BEGIN");
        try {
          // Migrations create objects unqualified; in a test schema they must land there, not in public.
          await client.query(schema ? m.sql.replace(/CREATE SCHEMA IF NOT EXISTS "public";/g, "") : m.sql);
          await client.query(
            `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count) VALUES ($1, $2, now(), $3, 1)`,
            [randomUUID(), m.checksum, m.name],
          );
          await client.query("COMMIT");
          applied.push(m.name);
        } catch (err) {
          await client.query("ROLLBACK");
          throw new Error(`migration ${m.name} failed: ${(err as Error).message}`);
        }
      }
      return { applied, alreadyApplied: done.size };
    } finally {
      await client.query("SELECT pg_advisory_unlock(727274)");
    }
  } finally {
    await client.end();
  }
}

/** Brings the database at `url` up to the newest migration of its engine. */
export async function migrate(url: string): Promise<MigrateResult> {
  const engine = engineOf(url);
  const migrations = loadMigrations(migrationsDir(engine));
  return engine === "sqlite" ? migrateSqlite(url, migrations) : migratePostgres(url, migrations);
}

/**
 * Runs `fn` (the seeds at start) in one process at a time among those sharing a PostgreSQL
 * database, so processes started together do not fight over the same rows; SQLite is one process.
 */
export async function oneAtATime<T>(url: string, fn: () => Promise<T>): Promise<T> {
  if (engineOf(url) === "sqlite") return fn();
  const client = new pg.Client({ connectionString: postgresTarget(url).connectionString });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock(727278)");
    return await fn();
  } finally {
    await client.query("SELECT pg_advisory_unlock(727278)").catch(() => undefined);
    await client.end();
  }
}
