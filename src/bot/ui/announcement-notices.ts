// One recipient's copy of an announcement, rendered at send time: nothing when it was cancelled or
// the person turned announcements off meanwhile; a copy of the author's message (text, photo,
// document, forwarded) or the CLI's text as plain text.
import type { BotDeps } from "../context.js";
import { escapeHtml } from "../../i18n.js";
import { announcementContent } from "../../services/delivery/announcements.js";
import type { AnnouncementNotice } from "../../services/delivery/outbox.js";
import type { ApiCall } from "./notices.js";

export async function renderAnnouncement(deps: BotDeps, chatId: number, n: AnnouncementNotice, optedOut: boolean): Promise<ApiCall | null> {
  if (optedOut) return null;
  const a = await announcementContent(deps.prisma, n.announcementId);
  if (!a || a.status === "cancelled") return null;
  if (a.sourceChatId !== null && a.sourceMessageId !== null) {
    return { method: "copyMessage", payload: { chat_id: chatId, from_chat_id: Number(a.sourceChatId), message_id: a.sourceMessageId } };
  }
  return a.text ? { method: "sendMessage", payload: { chat_id: chatId, text: escapeHtml(a.text) } } : null;
}
