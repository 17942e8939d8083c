// Events test fixtures: participants with profiles (written directly, as registration would leave
// them), an organiser, and a published event.
import { afterEach, beforeEach } from "vitest";
import type { Db } from "../../src/db/client.js";
import { openDatabase } from "../../src/db/client.js";
import type { ENGINES, TestDb } from "./db.js";
import { createEvent, publishEvent, type NewEvent } from "../../src/services/events/organise.js";
import { DEFAULT_EVENT_SETTINGS, type Organiser } from "../../src/services/events/settings.js";

export const settings = DEFAULT_EVENT_SETTINGS;
export const T0 = new Date("2026-12-01T09:00:00Z");
export const START = new Date("2026-12-10T07:00:00Z"); // 10:00 in Moscow

let nextTelegramId = 700_000;

/** A registered participant; a minor's representative counts as confirmed unless `guardianConfirmed: false`. */
export async function participant(db: Db, over: { role?: string; regionCode?: string | null; birthDate?: string | null; guardianConfirmed?: boolean } = {}): Promise<number> {
  const p = await db.person.create({ data: { telegramId: BigInt(nextTelegramId++), locale: "ru" } });
  await db.profile.create({
    data: { personId: p.id, role: over.role ?? "graduate", regionCode: over.regionCode === undefined ? "RU-TAM" : over.regionCode, birthDate: over.birthDate === undefined ? "2004-05-01" : over.birthDate, fullName: "Участник", registeredAt: T0, guardianConfirmedAt: over.guardianConfirmed === false ? null : T0 },
  });
  return p.id;
}

export async function organiser(db: Db): Promise<Organiser> {
  const c = await db.coordinator.create({ data: { telegramId: BigInt(nextTelegramId++), categories: "", organiser: true } });
  return { coordinatorId: c.id };
}

let nextCode = 1;

/** A published event starting at START in Moscow, two days long. */
export async function publishedEvent(db: Db, by: Organiser, over: Partial<NewEvent> = {}): Promise<number> {
  const made = await createEvent(db, () => T0, {
    code: `ev${nextCode++}`, kind: "training", title: { ru: "Тренинг" }, timeZone: "Europe/Moscow", startsAt: START, endsAt: new Date(START.getTime() + 32 * 3_600_000), ...over,
  }, by);
  if (typeof made !== "object" || !("id" in made)) throw new Error(`event not created: ${JSON.stringify(made)}`);
  await publishEvent(db, () => T0, made.id, by);
  return made.id;
}

/** Every enrolment's seats and the event's counter, to check they agree and never exceed capacity. */
export async function seatBook(db: Db, eventId: number) {
  const e = await db.event.findUniqueOrThrow({ where: { id: eventId } });
  const held = await db.enrolment.findMany({ where: { eventId, status: { in: ["confirmed", "offered", "pending_approval"] } } });
  return { capacity: e.capacity, counted: e.seatsTaken, held: held.reduce((n, x) => n + x.adults + x.children, 0) };
}

/** The shared world of an events test suite on one engine: a fresh database, an organiser, a clock
 * set to T0, per-update keys, and extra connections (other "processes") closed after each test. */
export function eventsWorld(engine: (typeof ENGINES)[number]) {
  const w = {
    db: undefined as unknown as TestDb,
    org: undefined as unknown as Organiser,
    now: T0,
    others: [] as { close(): Promise<void> }[],
    keySeq: 1,
    clock: () => w.now,
    k: () => `cb:${w.keySeq++}`,
    connection: async (): Promise<Db> => {
      const c = await openDatabase(w.db.url, { checkpointInBackground: false });
      w.others.push(c);
      return c.prisma;
    },
  };
  beforeEach(async () => {
    w.db = await engine.create();
    w.others = [];
    w.now = T0;
    w.org = await organiser(w.db.prisma);
  });
  afterEach(async () => {
    for (const c of w.others) await c.close();
    await w.db.dispose();
  });
  return w;
}
