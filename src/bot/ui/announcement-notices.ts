// One recipient's copy of an announcement, rendered at send time: nothing when it was cancelled or
// the person turned announcements off meanwhile; a copy of the author's message (text, photo,
// document, forwarded) or the CLI's text as plain text.
import type { BotDeps } from "../context.js";
import { escapeHtml } from "../../i18n.js";
import { announcementContent } from "../../services/delivery/announcements.js";
import type { AnnouncementNotice } from "../../services/delivery/outbox.js";
import type { ApiCall } from "./notices.js";

/**
 * What each announcement says, read once a second rather than once per recipient (ten thousand
 * copies share it). A cancel is seen within that second; rows not yet claimed are stopped by the
 * cancel itself.
 */
const content = new Map<number, { at: number; row: Awaited<ReturnType<typeof announcementContent>> }>();
const CONTENT_TTL_MS = 1000;

async function contentOf(deps: BotDeps, id: number) {
  const hit = content.get(id);
  if (hit && Date.now() - hit.at < CONTENT_TTL_MS) return hit.row;
  const row = await announcementContent(deps.prisma, id);
  if (content.size > 100) content.clear();
  content.set(id, { at: Date.now(), row });
  return row;
}

export async function renderAnnouncement(deps: BotDeps, chatId: number, n: AnnouncementNotice, optedOut: boolean): Promise<ApiCall | null> {
  if (optedOut) return null;
  const a = await contentOf(deps, n.announcementId);
  if (!a || a.status === "cancelled") return null;
  if (a.sourceChatId !== null && a.sourceMessageId !== null) {
    return { method: "copyMessage", payload: { chat_id: chatId, from_chat_id: Number(a.sourceChatId), message_id: a.sourceMessageId } };
  }
  return a.text ? { method: "sendMessage", payload: { chat_id: chatId, text: escapeHtml(a.text) } } : null;
}
