// One message a second to one chat, as Telegram asks ("When sending messages inside a particular
// chat, avoid sending more than one message per second. We may allow short bursts that go over
// this limit" — Bot FAQ), for the bot's direct replies: a private chat may get a short burst of
// PRIVATE_BURST at once (an answer and its menu, a long text in two pieces go out without a wait),
// then one per gap. Groups get no burst (the bot answers in private chats only).
//
// A chat's updates are handled one at a time across all processes (the inbox claim), but its
// next update may be handled by another process: so on PostgreSQL the chat's bucket is a row of
// DeliveryPace (one upsert per reply), under a keyed hash of the chat id (no Telegram id in the
// table), deleted once its gap has passed. On SQLite (one process) it is kept in memory. The outbox
// keeps its own gap per chat in its rows (services/delivery/pacing.ts).
import { createHash } from "node:crypto";
import { isPostgres } from "../../db/url.js";
import type { Db } from "../../db/client.js";

/** Messages a private chat may get at once before the gap applies. */
export const PRIVATE_BURST = 3;
/** How often a process deletes the buckets of chats that are quiet again (PostgreSQL). */
const SWEEP_EVERY_MS = 30_000;

export interface ChatGaps {
  /**
   * Books `n` messages to `chat` (sent in one call) and returns when that call may go (epoch ms);
   * later calls to the chat line up behind it.
   */
  book(chat: string | number, n: number, now: number): Promise<number>;
}

const burstOf = (chat: string) => (chat.startsWith("-") ? 1 : PRIVATE_BURST);
/** An album counts as the whole burst at most (it is one call). */
const cellsOf = (n: number, burst: number) => Math.min(Math.max(1, n), burst);

/**
 * The bucket as a "theoretical arrival time" (GCRA): `due` is when it is empty again; a call of
 * `cells` may go at max(now, due − (burst − cells) × gap) and moves `due` on by cells × gap.
 */
export function memoryChatGaps(gapMs: number): ChatGaps {
  const due = new Map<string, number>();
  return {
    async book(chat, n, now) {
      if (gapMs <= 0) return now;
      const key = String(chat);
      const burst = burstOf(key);
      const cells = cellsOf(n, burst);
      const d = due.get(key) ?? now;
      const at = Math.max(now, d + (cells - burst) * gapMs);
      due.set(key, Math.max(d, now) + cells * gapMs); // = max(d, at) + cells × gap, as at ≤ max(d, now)
      if (due.size > 10_000) for (const [k, v] of due) if (v <= now) due.delete(k); // quiet chats book as new ones
      return at;
    },
  };
}

export function postgresChatGaps(db: Db, gapMs: number, secret: string): ChatGaps {
  let swept = 0;
  const keyOf = (chat: string) => `chat:${createHash("sha256").update(`${secret}\n${chat}`).digest("base64url").slice(0, 22)}`;
  return {
    async book(chat, n, now) {
      if (gapMs <= 0) return now;
      const burst = burstOf(String(chat));
      const cells = cellsOf(n, burst);
      const t = BigInt(Math.floor(now));
      const span = BigInt(cells * gapMs);
      const [row] = await db.$queryRaw<{ due: bigint }[]>`
        INSERT INTO "DeliveryPace" ("key", "nextSlotMs", "pausedUntilMs") VALUES (${keyOf(String(chat))}, ${t}::bigint + ${span}::bigint, 0)
        ON CONFLICT ("key") DO UPDATE SET "nextSlotMs" = GREATEST("DeliveryPace"."nextSlotMs", ${t}::bigint) + ${span}::bigint
        RETURNING "nextSlotMs" AS due`;
      if (now - swept > SWEEP_EVERY_MS) {
        swept = now;
        void db.$executeRaw`DELETE FROM "DeliveryPace" WHERE "key" LIKE 'chat:%' AND "nextSlotMs" < ${t}::bigint`.catch(() => undefined);
      }
      // With the new `due` alone: the call goes at max(now, due − burst × gap) (see memoryChatGaps).
      return Math.max(now, Number(row!.due) - burst * gapMs);
    },
  };
}

const made = new WeakMap<Db, Map<number, ChatGaps>>();

/** The chats' buckets of this process on this database: in the database on PostgreSQL, in memory on SQLite. */
export function chatGapsFor(db: Db, gapMs: number, secret: string): ChatGaps {
  let byGap = made.get(db);
  if (!byGap) made.set(db, (byGap = new Map()));
  let gaps = byGap.get(gapMs);
  if (!gaps) byGap.set(gapMs, (gaps = isPostgres(db) ? postgresChatGaps(db, gapMs, secret) : memoryChatGaps(gapMs)));
  return gaps;
}
