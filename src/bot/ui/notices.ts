// Turns a queued notice into the Bot API call that delivers it, in the recipient's language and
// with the case as it is at delivery time. What a person wrote is read from the case here, never
// from the queue, so an erased message is never sent; nothing goes to a requester whose consent
// is no longer in force.
import { InlineKeyboard } from "grammy";
import type { TFunction } from "i18next";
import type { BotDeps } from "../context.js";
import { escapeHtml, isLocale, type Locale } from "../../i18n.js";
import { isEventNotice, type Notice } from "../../services/delivery/outbox.js";
import { relayParts } from "../../services/cases/relay.js";
import { cut } from "../../services/text.js";
import { renderEventNotice } from "./event-notices.js";
import { pingText } from "./ping.js";
import { crisisMessage, openingHours } from "./crisis.js";

export interface ApiCall {
  method: "sendMessage" | "copyMessage" | "sendPhoto" | "sendDocument" | "sendVoice" | "sendAudio" | "sendVideo" | "sendVideoNote";
  /** sendDocument of a file made here (a calendar file) is sent as an upload. */
  payload: Record<string, unknown>;
}

export function caseButtons(t: (k: string) => string, caseId: number, colleague = false): InlineKeyboard {
  const kb = new InlineKeyboard().text(t("coordinator.take"), `case:take:${caseId}`);
  if (!colleague) kb.row().text(t("coordinator.decline"), `case:decline:${caseId}`).text(t("coordinator.colleague"), `case:colleague:${caseId}`);
  return kb;
}

/**
 * The recipient's language, and whether the bot may write to them: nothing reaches a person who
 * has not agreed or withdrew consent. Staff the bot has never seen (appointed from the CLI) are
 * tried; Telegram refuses those who never opened the bot, and the outbox sets that aside.
 */
async function recipient(deps: BotDeps, chatId: number): Promise<{ locale: Locale; consented: boolean }> {
  const p = await deps.prisma.person.findUnique({ where: { telegramId: BigInt(chatId) }, select: { locale: true, consents: { where: { withdrawnAt: null }, take: 1 } } });
  return { locale: isLocale(p?.locale) ? p.locale : deps.config.DEFAULT_LOCALE, consented: p ? p.consents.length > 0 : true };
}

const FILE_METHOD = {
  photo: ["sendPhoto", "photo"], document: ["sendDocument", "document"], voice: ["sendVoice", "voice"],
  audio: ["sendAudio", "audio"], video: ["sendVideo", "video"], video_note: ["sendVideoNote", "video_note"],
} as const;

/** One piece of a relayed case message (relay.ts), with the case number and who wrote it. */
async function relayCall(deps: BotDeps, t: TFunction, chatId: number, number: string, n: Extract<Notice, { kind: "relay" }>): Promise<ApiCall | null> {
  const m = await deps.prisma.caseMessage.findUnique({ where: { id: n.caseMessageId } });
  if (!m || (m.text === null && m.fileId === null)) return null; // erased meanwhile
  const parts = relayParts(m);
  const i = n.part ?? 0;
  const part = parts[i];
  if (!part) return null;
  const from = t(n.to === "coordinator" ? "cases.from_requester" : "cases.from_coordinator");
  const head = `💬 <b>#${number}</b> · ${from}${parts.length > 1 ? ` (${i + 1}/${parts.length})` : ""}`;
  if (!part.file) {
    // A correction says so; a video note's header line names what follows it.
    const body = m.kind === "correction" ? `${t("intake.corrected")}\n${escapeHtml(part.text)}` : part.text ? escapeHtml(part.text) : t(`coordinator.kind.${m.kind}`);
    return { method: "sendMessage", payload: { chat_id: chatId, text: `${head}\n${body}` } };
  }
  const [method, field] = FILE_METHOD[m.kind as keyof typeof FILE_METHOD] ?? FILE_METHOD.document;
  if (method === "sendVideoNote") return { method, payload: { chat_id: chatId, [field]: m.fileId } };
  const caption = part.caption ? `${head}\n${escapeHtml(part.caption)}` : head;
  return { method, payload: { chat_id: chatId, [field]: m.fileId, caption, parse_mode: "HTML" } };
}

/** The countries whose crisis lines a requester needs: that of the case's region, else every one served. */
function countriesOfCase(deps: BotDeps, regionCode: string | null): string[] {
  return regionCode ? [regionCode.slice(0, 2)] : deps.config.REGION_COUNTRIES;
}

/** The API call for a notice, or null when there is nothing left to say (the case is gone). */
export async function renderNotice(deps: BotDeps, chatId: number, n: Notice): Promise<ApiCall | null> {
  const { locale, consented } = await recipient(deps, chatId);
  const t = deps.i18n.getFixedT(locale);
  if (isEventNotice(n)) return consented ? renderEventNotice(deps, chatId, t, locale, n) : null;
  const c = await deps.prisma.case.findUnique({ where: { id: n.caseId }, include: { requester: { include: { profile: { include: { region: true } } } } } });
  if (!c) return null;
  // A requester who withdrew consent gets nothing more (erasure deletes what was queued to them).
  if (c.requester.telegramId === BigInt(chatId) && !consented) return null;
  const number = c.number;
  const send = (text: string, reply_markup?: InlineKeyboard): ApiCall => ({ method: "sendMessage", payload: { chat_id: chatId, text, ...(reply_markup ? { reply_markup } : {}) } });
  switch (n.kind) {
    case "ping": {
      if (c.status !== "assigned") return null; // taken or moved on before the ping went out
      return send(await pingText(deps, t, locale, c, n.colleague === true), caseButtons(t, c.id, n.colleague));
    }
    case "nobody_free":
      return send(`${t("intake.nobody_free_later", { number })}\n\n${crisisMessage(t, deps.config, locale, countriesOfCase(deps, c.regionCode))}`);
    case "lapsed":
      return send(t("coordinator.lapsed", { number, minutes: Math.max(1, Math.round((c.urgency === "urgent" ? deps.config.CASE_ACK_URGENT_SECONDS : deps.config.CASE_ACK_SECONDS) / 60)) }));
    case "unassigned":
      return send(t("coordinator.unassigned", { number }));
    case "status": {
      // Taken: the requester learns who took it and when to expect an answer (the programme's hours).
      const coordinator = n.status === "in_progress" && c.coordinatorId ? await deps.prisma.coordinator.findUnique({ where: { id: c.coordinatorId }, select: { firstName: true } }) : null;
      if (n.taken && coordinator?.firstName) return send(t("intake.taken_by", { number, name: coordinator.firstName, hours: openingHours(deps.config, locale) }));
      if (n.taken) return send(t("intake.taken", { number, hours: openingHours(deps.config, locale) }));
      return send(t(`cases.status_notice.${n.status}`, { number }));
    }
    case "rate": {
      const kb = new InlineKeyboard();
      for (let i = 1; i <= 5; i++) kb.text("⭐".repeat(i), `rate:${c.id}:${i}`).row();
      return send(t("cases.rate", { number }), kb);
    }
    case "file":
      return n.fileKind === "photo"
        ? { method: "sendPhoto", payload: { chat_id: chatId, photo: n.fileId, caption: `📎 #${number}` } }
        : { method: "sendDocument", payload: { chat_id: chatId, document: n.fileId, caption: `📎 #${number}` } };
    case "relay":
      return relayCall(deps, t, chatId, number, n);
    case "undelivered": {
      const m = await deps.prisma.caseMessage.findUnique({ where: { id: n.caseMessageId }, select: { text: true, kind: true } });
      const excerpt = m?.text ? escapeHtml(cut(m.text, 120)) : t(`coordinator.kind.${m?.kind ?? "text"}`);
      const toStaff = c.requester.telegramId !== BigInt(chatId);
      const key = n.reason === "blocked" ? "coordinator.undelivered_blocked" : toStaff ? "coordinator.undelivered_refused" : "cases.undelivered_refused";
      return send(t(key, { number, excerpt, interpolation: { escapeValue: false } }));
    }
    case "closed_by_person":
      return send(t(`coordinator.closed_${n.reason}`, { number }));
  }
}
