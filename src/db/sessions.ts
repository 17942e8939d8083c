// Rows of the Session table: grammY sessions and conversation state, JSON by key. Written for many
// updates (and read with the person: services/people/people.ts findPersonAndRows), so in SQL of
// our own (db/direct.ts): a fraction of what a Prisma model query costs.
// Values are stored as @grammyjs/storage-prisma stores them (JSON text), so either reads the other's.
import type { Db } from "./client.js";
import { hotSql } from "./direct.js";

/** The stored JSON of a key, or null when there is no row. */
export async function readSessionRow(db: Db, key: string): Promise<string | null> {
  const rows = await hotSql<{ value: string }>(db)`SELECT "value" FROM "Session" WHERE "key" = ${key}`;
  return rows[0]?.value ?? null;
}

export async function writeSessionRow(db: Db, key: string, value: string): Promise<void> {
  // updatedAt is the real time, as Prisma's @updatedAt sets it: unfinished forms expire by it.
  const at = new Date();
  await hotSql(db)`INSERT INTO "Session" ("key", "value", "updatedAt") VALUES (${key}, ${value}, ${at})
    ON CONFLICT ("key") DO UPDATE SET "value" = ${value}, "updatedAt" = ${at}`;
}

export async function deleteSessionRow(db: Db, key: string): Promise<void> {
  await hotSql(db)`DELETE FROM "Session" WHERE "key" = ${key}`;
}
