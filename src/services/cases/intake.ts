// Taking in a request for help: the case, its first timeline events and messages, the chosen
// coordinator's load and their ping, in one transaction. This is the hot path of the product and
// the one place in raw SQL: Prisma 6 compiles every query on the main thread (its query-plan cache
// came with Prisma 7, which cannot run offline here), about 0.5 ms a statement against 0.2 ms
// raw, and the spikes were what broke the p99 target (npm run bench). The SQL is the plain subset
// SQLite and PostgreSQL share (quoted names, RETURNING); the tests run it on both.
import { Prisma } from "../../generated/sqlite/client.js";
import type { Db, Tx } from "../../db/client.js";
import { isUniqueViolation } from "../../db/errors.js";
import { transaction } from "../../db/transaction.js";
import type { Clock } from "../clock.js";
import { claimFree } from "./load.js";
import { caseNumber, nobodyFree, offerPingKey, type CaseSettings } from "./lifecycle.js";
import type { Category, FileKind, Urgency } from "../vocabulary.js";

export interface NewCase {
  requesterId: number;
  category: Category;
  urgency: Urgency;
  regionCode: string | null;
  description: string;
  /** Photos, documents, voice messages, videos, each with its caption if it had one. */
  attachments: { kind: FileKind; fileId: string; caption?: string }[];
  /** A number to call back (E.164), left by someone whose profile has none. */
  callbackPhone?: string | null;
  /** Per-update key of the confirming press (the person's own chat is part of it). */
  sourceKey: string;
}

export interface CreatedCase {
  case: { id: number; number: string; status: string; coordinatorId: number | null };
  /** false when this update had already made the case (a re-delivery). */
  created: boolean;
}

const rows = (values: Prisma.Sql[]) => Prisma.join(values.map((v) => Prisma.sql`(${v})`));

/**
 * Stores a request for help and pings a coordinator. The same Telegram update delivered twice
 * finds the case it made instead of making another.
 */
export async function createCase(db: Db, clock: Clock, input: NewCase, settings: CaseSettings): Promise<CreatedCase> {
  // No read first: the unique sourceUpdateId makes a second copy fail, handled below.
  try {
    return await transaction(db, async (tx) => {
      const now = clock();
      // Counted against the coordinator first: of concurrent requests only as many as they have room for get them.
      const chosen = await claimFree(tx, { category: input.category, regionCode: input.regionCode }, now);
      const status = chosen ? "assigned" : "new";
      // The number is set from the id by a trigger in the same INSERT (case_number_trigger migration).
      const [{ id }] = await tx.$queryRaw<[{ id: number }]>`
        INSERT INTO "Case" ("number", "requesterId", "category", "urgency", "regionCode", "description", "status",
          "coordinatorId", "offeredAt", "passedBy", "sourceKey", "callbackPhone", "createdAt", "lastActivityAt")
        VALUES (${`tmp-${input.sourceKey}`}, ${input.requesterId}, ${input.category}, ${input.urgency}, ${input.regionCode},
          ${input.description}, ${status}, ${chosen?.id ?? null}, ${chosen ? now : null}, '', ${input.sourceKey}, ${input.callbackPhone ?? null}, ${now}, ${now})
        RETURNING "id"`;
      const caseId = Number(id);
      await tx.$executeRaw`INSERT INTO "CaseEvent" ("caseId", "at", "actor", "type", "detail") VALUES ${rows([
        Prisma.sql`${caseId}, ${now}, 'requester', 'created', ${`${input.category}/${input.urgency}`}`,
        ...(chosen ? [Prisma.sql`${caseId}, ${now}, 'system', 'assigned', ${String(chosen.id)}`] : []),
      ])}`;
      await tx.$executeRaw`INSERT INTO "CaseMessage" ("caseId", "author", "kind", "text", "fileId", "createdAt") VALUES ${rows([
        Prisma.sql`${caseId}, 'requester', 'text', ${input.description}, NULL, ${now}`,
        ...input.attachments.map((a) => Prisma.sql`${caseId}, 'requester', ${a.kind}, ${a.caption ?? null}, ${a.fileId}, ${now}`),
      ])}`;
      if (!chosen) {
        await nobodyFree(tx, now, { id: caseId, regionCode: input.regionCode, requesterId: input.requesterId }, 0, settings);
        return { case: { id: caseId, number: caseNumber(caseId), status, coordinatorId: null }, created: true };
      }
      await enqueuePing(tx, now, caseId, chosen);
      return { case: { id: caseId, number: caseNumber(caseId), status, coordinatorId: chosen.id }, created: true };
    });
  } catch (err) {
    // Two copies of one update racing: the loser finds the winner's case.
    if (isUniqueViolation(err)) {
      const again = await db.case.findUnique({ where: { sourceKey: input.sourceKey }, select: { id: true, number: true, status: true, coordinatorId: true, requesterId: true } });
      // The key includes the person's chat, so the case found is theirs; checked all the same.
      if (again && again.requesterId === input.requesterId) return { case: { id: again.id, number: again.number, status: again.status, coordinatorId: again.coordinatorId }, created: false };
    }
    throw err;
  }
}

/** The outbox row of the first ping; the same key and payload as services/outbox.ts writes. */
async function enqueuePing(tx: Tx, now: Date, caseId: number, to: { id: number; telegramId: bigint }) {
  const payload = JSON.stringify({ kind: "ping", caseId, coordinatorId: to.id });
  await tx.$executeRaw`INSERT INTO "Outbox" ("key", "chatId", "method", "payload", "caseId", "attempts", "nextAttemptAt", "createdAt")
    VALUES (${offerPingKey(caseId, to.id, 0)}, ${to.telegramId}, 'ping', ${payload}, ${caseId}, 0, ${now}, ${now})`;
}
