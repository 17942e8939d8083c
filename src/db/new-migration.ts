// `npm run db:new-migration -- <name>`: writes the SQL that takes the database from the model as of
// the last migration (prisma/migrations/schema.snapshot.prisma) to prisma/schema.prisma, for
// SQLite and for PostgreSQL, then updates the snapshot and the PostgreSQL schema twin.
// (Prisma 6's JavaScript engine cannot run `migrate dev`; `migrate diff` between two datamodels works.)
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { migrationsDir } from "./migrate.js";
import { postgresSchemaFrom, postgresSchemaPath, sqliteSchemaPath } from "./sync-schemas.js";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run db:new-migration -- <name_in_snake_case>");
  process.exit(2);
}
const snapshot = path.join(migrationsDir("sqlite"), "schema.snapshot.prisma");
const tmp = mkdtempSync(path.join(tmpdir(), "migration-"));
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: "package.json", PRISMA_QUERY_ENGINE_LIBRARY: "package.json", PRISMA_HIDE_UPDATE_MESSAGE: "1" };

function diff(from: string, to: string, databaseUrl: string): string {
  return execFileSync("npx", ["prisma", "migrate", "diff", "--from-schema-datamodel", from, "--to-schema-datamodel", to, "--script"], {
    env: { ...env, DATABASE_URL: databaseUrl },
    encoding: "utf8",
  });
}

const current = readFileSync(sqliteSchemaPath, "utf8");
writeFileSync(postgresSchemaPath, postgresSchemaFrom(current));
writeFileSync(path.join(tmp, "old-pg.prisma"), postgresSchemaFrom(readFileSync(snapshot, "utf8")));
const sqliteSql = diff(snapshot, sqliteSchemaPath, `file:${path.join(tmp, "scratch.db")}`);
const pgSql = diff(path.join(tmp, "old-pg.prisma"), postgresSchemaPath, process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres");
if (!sqliteSql.replace(/--.*$/gm, "").trim()) {
  console.log("no model changes since the last migration");
  process.exit(0);
}
for (const [engine, sql] of [["sqlite", sqliteSql], ["postgresql", pgSql]] as const) {
  const dir = path.join(migrationsDir(engine), `${stamp}_${name}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "migration.sql"), sql);
  console.log(`wrote ${dir}/migration.sql`);
}
copyFileSync(sqliteSchemaPath, snapshot);
