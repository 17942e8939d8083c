// Fresh, migrated databases for tests: a SQLite file per test, or a PostgreSQL schema per test when
// a server answers at TEST_POSTGRES_URL (default the local one on 127.0.0.1:5432).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { migrate } from "../../src/db/migrate.js";
import { openDatabase, type Database } from "../../src/db/client.js";
import { seedRegions } from "../../src/services/regions.js";

export const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/test";

async function probePostgres(): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 1500 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export const postgresAvailable = await probePostgres();
if (!postgresAvailable) console.warn(`PostgreSQL tests skipped: no server answered at ${POSTGRES_URL} (set TEST_POSTGRES_URL to run them).`);

export interface TestDb extends Database {
  url: string;
  dispose(): Promise<void>;
}

/** A URL of a database nobody has migrated yet. */
export function emptySqliteUrl(): string {
  return `file:${path.join(mkdtempSync(path.join(tmpdir(), "bot-test-")), "test.db")}`;
}

export function emptyPostgresUrl(): string {
  const u = new URL(POSTGRES_URL);
  u.searchParams.set("schema", `t_${randomBytes(6).toString("hex")}`);
  return u.toString();
}

export async function dropPostgresSchema(url: string): Promise<void> {
  const schema = new URL(url).searchParams.get("schema")!;
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
}

export async function sqliteTestDb(): Promise<TestDb> {
  const url = emptySqliteUrl();
  const dir = path.dirname(url.replace(/^file:/, ""));
  await migrate(url);
  const db = await openDatabase(url);
  await seedRegions(db.prisma);
  return { ...db, url, dispose: async () => { await db.close(); rmSync(dir, { recursive: true, force: true }); } };
}

export async function postgresTestDb(): Promise<TestDb> {
  const url = emptyPostgresUrl();
  await migrate(url);
  const db = await openDatabase(url);
  await seedRegions(db.prisma);
  return {
    ...db,
    url,
    dispose: async () => {
      await db.close();
      await dropPostgresSchema(url);
    },
  };
}

/** The engines to run a suite against; PostgreSQL only where a server answers. */
export const ENGINES = [
  { name: "sqlite", create: sqliteTestDb, emptyUrl: emptySqliteUrl, drop: async (_url: string) => undefined, skip: false },
  { name: "postgresql", create: postgresTestDb, emptyUrl: emptyPostgresUrl, drop: dropPostgresSchema, skip: !postgresAvailable },
] as const;
