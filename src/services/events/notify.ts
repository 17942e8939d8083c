// Queues event notices (through the outbox, in the caller's transaction) to a participant or to the
// organisers of an event. Erased people (negative Telegram ids) are told nothing.
import type { Tx } from "../../db/client.js";
import type { HotSql } from "../../db/direct.js";
import { enqueue, enqueueSql, type EventNotice } from "../delivery/outbox.js";

export async function notifyPerson(tx: Tx, now: Date, person: number | { telegramId: bigint }, key: string, notice: EventNotice): Promise<void> {
  const p = typeof person === "number" ? await tx.person.findUnique({ where: { id: person }, select: { telegramId: true } }) : person;
  if (!p || p.telegramId <= 0n) return;
  await enqueue(tx, now, key, p.telegramId, notice);
}

/** The event's creator if they are still an active organiser, else every active organiser. */
export async function notifyOrganisers(tx: Tx, now: Date, event: { id: number; createdBy: number | null }, key: string, notice: EventNotice): Promise<void> {
  const creator = event.createdBy !== null ? await tx.coordinator.findFirst({ where: { id: event.createdBy, active: true }, select: { telegramId: true } }) : null;
  const targets = creator ? [creator] : await tx.coordinator.findMany({ where: { active: true, organiser: true }, select: { telegramId: true } });
  for (const t of targets) await enqueue(tx, now, `${key}:${t.telegramId}`, t.telegramId, notice);
}

// The same two with our own SQL (db/direct.ts), for a sign-up's hot transaction.

export async function notifyPersonSql(sql: HotSql, now: Date, person: { telegramId: bigint }, key: string, notice: EventNotice): Promise<void> {
  if (person.telegramId <= 0n) return;
  await enqueueSql(sql, now, key, person.telegramId, notice);
}

export async function notifyOrganisersSql(sql: HotSql, now: Date, event: { id: number; createdBy: number | null }, key: string, notice: EventNotice): Promise<void> {
  type Target = { telegramId: number | bigint };
  const creator = event.createdBy !== null ? (await sql<Target>`SELECT "telegramId" FROM "Coordinator" WHERE "id" = ${event.createdBy} AND "active" = ${true} LIMIT 1`)[0] : undefined;
  const targets = creator ? [creator] : await sql<Target>`SELECT "telegramId" FROM "Coordinator" WHERE "active" = ${true} AND "organiser" = ${true}`;
  for (const t of targets) await enqueueSql(sql, now, `${key}:${t.telegramId}`, t.telegramId, notice);
}
