// The bot's sending budget: every message any process sends (direct replies and the outbox) takes a
// slot of it, so all of them together stay under OUTBOX_RATE_PER_SECOND (Telegram allows about 30
// a second), and a 429 pauses every sender, not only the one that got it.
//
// Where it lives: on PostgreSQL (several processes) in the DeliveryPace row, taken with one
// INSERT … ON CONFLICT DO UPDATE … RETURNING per reservation (a row lock, never a retry loop); on
// SQLite (one process by design, db/single-process.ts) in memory, so the embedded default costs no
// database work per message.
//
// Priority: replies to a person who just wrote come first; the outbox (pings, relays, reminders,
// announcements) takes what is left. The outbox reserves only while nobody has slots queued ahead
// (and half a second at most, jobs/outbox.ts), so a reply waits behind at most one short outbox
// batch, never behind an announcement; after OUTBOX_YIELD_MS of waiting it queues like a reply, so
// a flood of replies cannot stop the outbox altogether.
//
// A reply process coalesces: the replies waiting when a reservation starts share it (one round trip
// for all of them). A slot is used within LATE_MS of its start or given up for a new one, so a
// process that was busy when its slot came never sends a bunch late (which would exceed the rate).
import { isPostgres } from "../../db/url.js";
import type { Db } from "../../db/client.js";

/** The outbox waits at most this long for replies to leave the budget free, then queues anyway. */
export const OUTBOX_YIELD_MS = 2000;
/** A slot woken up later than this is not used (the sends of a stalled process would bunch). */
export const LATE_MS = 50;
/** How long a process trusts the pause it last read (PostgreSQL): a 429 elsewhere is seen within this. */
const PAUSE_CACHE_MS = 100;

export interface Timer {
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason when it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realTimer: Timer = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      // grammY passes a polyfilled signal that may carry no reason.
      const aborted = () => (signal?.reason as unknown) ?? new Error("aborted while waiting for a sending slot");
      if (signal?.aborted) return reject(aborted());
      const onAbort = () => {
        clearTimeout(t);
        reject(aborted());
      };
      const t = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, Math.max(0, ms));
      signal?.addEventListener("abort", onAbort, { once: true });
    }),
};

export type Taken = { first: number } | { busyUntil: number };

/** Where the budget is kept: one cursor (the next free slot) and the pause a 429 set. */
export interface BudgetStore {
  /**
   * Takes `spanMs` of the budget from max(cursor, pause, now); returns where it starts. A
   * low-priority take is refused (with the time the budget frees up) while slots are queued
   * beyond `now + slackMs`.
   */
  take(spanMs: number, nowMs: number, low: { slackMs: number } | null): Promise<Taken>;
  /** Nobody sends before `untilMs` (the later of this and an earlier pause). */
  pause(untilMs: number, nowMs: number): Promise<void>;
  /** The pause in force (possibly a moment old). */
  pausedUntil(nowMs: number): Promise<number>;
}

export function memoryStore(): BudgetStore {
  let next = 0;
  let paused = 0;
  return {
    async take(span, now, low) {
      const start = Math.max(next, paused, now);
      if (low && start > now + low.slackMs) return { busyUntil: start };
      next = start + span;
      return { first: start };
    },
    async pause(until) {
      paused = Math.max(paused, until);
    },
    async pausedUntil() {
      return paused;
    },
  };
}

const KEY = "global";
type Row = { nextSlotMs: bigint; pausedUntilMs: bigint };

/** The DeliveryPace row on PostgreSQL: each reservation one statement under the row's lock. */
export function postgresStore(db: Db): BudgetStore {
  let known = { paused: 0, at: -Infinity };
  const remember = (row: Row | undefined, now: number) => {
    if (row) known = { paused: Number(row.pausedUntilMs), at: now };
  };
  return {
    async take(span, now, low) {
      const n = BigInt(Math.floor(now));
      const s = BigInt(Math.ceil(span));
      const rows = low
        ? await db.$queryRaw<Row[]>`
            INSERT INTO "DeliveryPace" ("key", "nextSlotMs", "pausedUntilMs") VALUES (${KEY}, ${n}::bigint + ${s}::bigint, 0)
            ON CONFLICT ("key") DO UPDATE SET "nextSlotMs" = GREATEST("DeliveryPace"."nextSlotMs", "DeliveryPace"."pausedUntilMs", ${n}::bigint) + ${s}::bigint
            WHERE GREATEST("DeliveryPace"."nextSlotMs", "DeliveryPace"."pausedUntilMs") <= ${n}::bigint + ${BigInt(Math.ceil(low.slackMs))}::bigint
            RETURNING "nextSlotMs", "pausedUntilMs"`
        : await db.$queryRaw<Row[]>`
            INSERT INTO "DeliveryPace" ("key", "nextSlotMs", "pausedUntilMs") VALUES (${KEY}, ${n}::bigint + ${s}::bigint, 0)
            ON CONFLICT ("key") DO UPDATE SET "nextSlotMs" = GREATEST("DeliveryPace"."nextSlotMs", "DeliveryPace"."pausedUntilMs", ${n}::bigint) + ${s}::bigint
            RETURNING "nextSlotMs", "pausedUntilMs"`;
      remember(rows[0], now);
      if (rows[0]) return { first: Number(rows[0].nextSlotMs) - Number(s) };
      const [row] = await db.$queryRaw<Row[]>`SELECT "nextSlotMs", "pausedUntilMs" FROM "DeliveryPace" WHERE "key" = ${KEY}`;
      remember(row, now);
      return { busyUntil: row ? Math.max(Number(row.nextSlotMs), Number(row.pausedUntilMs)) : now };
    },
    async pause(until, now) {
      const u = BigInt(Math.ceil(until));
      const [row] = await db.$queryRaw<Row[]>`
        INSERT INTO "DeliveryPace" ("key", "nextSlotMs", "pausedUntilMs") VALUES (${KEY}, 0, ${u}::bigint)
        ON CONFLICT ("key") DO UPDATE SET "pausedUntilMs" = GREATEST("DeliveryPace"."pausedUntilMs", ${u}::bigint)
        RETURNING "nextSlotMs", "pausedUntilMs"`;
      remember(row, now);
    },
    async pausedUntil(now) {
      if (now - known.at > PAUSE_CACHE_MS) {
        const [row] = await db.$queryRaw<Row[]>`SELECT "nextSlotMs", "pausedUntilMs" FROM "DeliveryPace" WHERE "key" = ${KEY}`;
        known = { paused: row ? Number(row.pausedUntilMs) : 0, at: now };
      }
      return known.paused;
    },
  };
}

interface Waiter {
  n: number;
  resolve(first: number): void;
  reject(err: unknown): void;
}

export class SendBudget {
  readonly slotMs: number;
  private waiting: Waiter[] = [];
  private taking = false;

  constructor(
    private store: BudgetStore,
    perSecond: number,
    private timer: Timer = realTimer,
  ) {
    this.slotMs = 1000 / perSecond;
  }

  /**
   * `n` consecutive slots for a reply; resolves with the first's start. Replies asking while a
   * reservation is under way are served together by the next one.
   */
  slots(n = 1): Promise<number> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ n, resolve, reject });
      if (!this.taking) void this.serve();
    });
  }

  private async serve(): Promise<void> {
    this.taking = true;
    await null; // replies asking in this same turn of the event loop join the first reservation
    try {
      while (this.waiting.length) {
        const batch = this.waiting.splice(0, this.waiting.length);
        try {
          const taken = await this.store.take(this.span(batch.reduce((s, w) => s + w.n, 0)), this.timer.now(), null);
          let at = (taken as { first: number }).first;
          for (const w of batch) {
            w.resolve(at);
            at += w.n * this.slotMs;
          }
        } catch (err) {
          for (const w of batch) w.reject(err);
        }
      }
    } finally {
      this.taking = false;
    }
  }

  /** `n` slots for the outbox: only while no reply is queued ahead, or after OUTBOX_YIELD_MS. */
  async slotsYielding(n: number): Promise<number> {
    const started = this.timer.now();
    for (;;) {
      const now = this.timer.now();
      const forced = now - started >= OUTBOX_YIELD_MS;
      const taken = await this.store.take(this.span(n), now, forced ? null : { slackMs: this.slotMs });
      if ("first" in taken) return taken.first;
      await this.timer.sleep(Math.min(Math.max(taken.busyUntil - now - this.slotMs, this.slotMs), 250));
    }
  }

  /**
   * Waits for the slot starting at `slot` (`n` of them) and returns the slot the message goes in,
   * or null when Telegram asked everyone to pause (`onPause: "stop"`). A slot woken up late, or one
   * a pause has overtaken (`onPause: "wait"`), is exchanged for a new one.
   */
  async turn(slot: number, n: number, opts: { onPause: "wait" | "stop"; signal?: AbortSignal }): Promise<number | null> {
    for (;;) {
      await this.timer.sleep(slot - this.timer.now(), opts.signal);
      const now = this.timer.now();
      if (now < slot - 1) continue; // a timer that fired a moment early
      const paused = (await this.store.pausedUntil(now)) > now;
      if (paused && opts.onPause === "stop") return null;
      if (!paused && now - slot <= LATE_MS) return slot;
      slot = await this.slots(n);
    }
  }

  /** Telegram answered 429: every sender of every process waits until `untilMs`. */
  pause(untilMs: number): Promise<void> {
    return this.store.pause(untilMs, this.timer.now());
  }

  pausedUntil(): Promise<number> {
    return this.store.pausedUntil(this.timer.now());
  }

  private span(n: number): number {
    return n * this.slotMs;
  }
}

const budgets = new WeakMap<Db, Map<number, SendBudget>>();

/**
 * The process's budget for this database: one per client, so the bot's replies and the outbox of
 * one process share it (and its coalescing). PostgreSQL keeps it in the database, SQLite in memory.
 */
export function budgetFor(db: Db, perSecond: number): SendBudget {
  let byRate = budgets.get(db);
  if (!byRate) budgets.set(db, (byRate = new Map()));
  let budget = byRate.get(perSecond);
  if (!budget) byRate.set(perSecond, (budget = new SendBudget(isPostgres(db) ? postgresStore(db) : memoryStore(), perSecond)));
  return budget;
}
