// Rows of the Session table: grammY sessions and conversation state, JSON by key. Written for many
// updates (and read with the person: services/people/people.ts findPersonAndRows), so in raw SQL,
// the same on SQLite and PostgreSQL: a statement through `$queryRaw` costs a third of a Prisma
// model query, which compiles its plan for every call.
// Values are stored as @grammyjs/storage-prisma stores them (JSON text), so either reads the other's.
import type { Db } from "./client.js";

/** The stored JSON of a key, or null when there is no row. */
export async function readSessionRow(db: Db, key: string): Promise<string | null> {
  const rows = await db.$queryRaw<{ value: string }[]>`SELECT "value" FROM "Session" WHERE "key" = ${key}`;
  return rows[0]?.value ?? null;
}

export async function writeSessionRow(db: Db, key: string, value: string): Promise<void> {
  // updatedAt is the real time, as Prisma's @updatedAt sets it: unfinished forms expire by it.
  const at = new Date();
  await db.$executeRaw`INSERT INTO "Session" ("key", "value", "updatedAt") VALUES (${key}, ${value}, ${at})
    ON CONFLICT ("key") DO UPDATE SET "value" = ${value}, "updatedAt" = ${at}`;
}

export async function deleteSessionRow(db: Db, key: string): Promise<void> {
  await db.$executeRaw`DELETE FROM "Session" WHERE "key" = ${key}`;
}
