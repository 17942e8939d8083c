// A relayed message Telegram will never deliver. The sender is never left believing it arrived:
// a coordinator who blocked the bot loses the case to the next one (the requester is told, and
// the next coordinator gets everything on taking it); a requester who blocked the bot, or a message
// Telegram refused (400), is reported to whoever wrote it.
import type { Db } from "../../db/client.js";
import type { Clock } from "../clock.js";
import { enqueue, type Notice } from "../delivery/outbox.js";
import { coordinatorUnreachable, type CaseSettings } from "./lifecycle.js";

type Relay = Extract<Notice, { kind: "relay" }>;

export async function relayUndeliverable(db: Db, clock: Clock, n: Relay, chatId: number, reason: "blocked" | "refused", settings: CaseSettings): Promise<void> {
  if (n.to === "coordinator" && reason === "blocked") {
    await coordinatorUnreachable(db, clock, n.caseId, BigInt(chatId), settings);
    return;
  }
  const c = await db.case.findUnique({ where: { id: n.caseId }, select: { coordinator: { select: { telegramId: true } }, requester: { select: { telegramId: true } } } });
  // The writer is the other side of the relay: the requester for a relay to the coordinator.
  const writer = n.to === "coordinator" ? c?.requester.telegramId : c?.coordinator?.telegramId;
  if (!writer || writer <= 0n) return; // erased, or nobody holds the case any more
  await enqueue(db, clock(), `undelivered:${n.caseMessageId}`, writer, { kind: "undelivered", caseId: n.caseId, caseMessageId: n.caseMessageId, reason });
}
