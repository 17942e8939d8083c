// Writes prisma/postgresql/schema.prisma from prisma/schema.prisma. Prisma fixes one provider per
// schema file, so PostgreSQL gets a generated twin: same models, its own provider and client.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const sqliteSchemaPath = path.join(root, "prisma", "schema.prisma");
export const postgresSchemaPath = path.join(root, "prisma", "postgresql", "schema.prisma");

export function postgresSchemaFrom(sqliteSchema: string): string {
  const out = sqliteSchema
    .replace('output     = "../src/generated/sqlite"', 'output     = "../../src/generated/postgresql"')
    .replace('provider = "sqlite"', 'provider = "postgresql"')
    .replace('url      = "file:../data/bot.db"', 'url      = env("DATABASE_URL")')
    .replace(/^\/\/ The single source[^\n]*\n\/\/[^\n]*\n/m, "// GENERATED from prisma/schema.prisma by `npm run db:sync-schemas`. Do not edit by hand.\n");
  if (out === sqliteSchema || !out.includes('provider = "postgresql"') || !out.includes("generated/postgresql")) {
    throw new Error("prisma/schema.prisma no longer has the expected generator/datasource lines");
  }
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  mkdirSync(path.dirname(postgresSchemaPath), { recursive: true });
  writeFileSync(postgresSchemaPath, postgresSchemaFrom(readFileSync(sqliteSchemaPath, "utf8")));
  console.log(`wrote ${path.relative(root, postgresSchemaPath)}`);
}
