// Turns a queued notice into the Bot API call that delivers it, in the recipient's language and
// with the case as it is at delivery time.
import { InlineKeyboard } from "grammy";
import type { BotDeps } from "../context.js";
import { escapeHtml, isLocale, type Locale } from "../../i18n.js";
import type { Notice } from "../../services/delivery/outbox.js";
import { regionName } from "../../services/regions.js";

export interface ApiCall {
  method: "sendMessage" | "copyMessage" | "sendPhoto" | "sendDocument";
  payload: Record<string, unknown>;
}

export function caseButtons(t: (k: string) => string, caseId: number, colleague = false): InlineKeyboard {
  const kb = new InlineKeyboard().text(t("coordinator.take"), `case:take:${caseId}`);
  if (!colleague) kb.row().text(t("coordinator.decline"), `case:decline:${caseId}`).text(t("coordinator.colleague"), `case:colleague:${caseId}`);
  return kb;
}

async function localeOf(deps: BotDeps, chatId: number): Promise<Locale> {
  const p = await deps.prisma.person.findUnique({ where: { telegramId: BigInt(chatId) }, select: { locale: true } });
  return isLocale(p?.locale) ? p.locale : deps.config.DEFAULT_LOCALE;
}

/** The API call for a notice, or null when there is nothing left to say (the case is gone). */
export async function renderNotice(deps: BotDeps, chatId: number, n: Notice): Promise<ApiCall | null> {
  const locale = await localeOf(deps, chatId);
  const t = deps.i18n.getFixedT(locale);
  const c = await deps.prisma.case.findUnique({ where: { id: n.caseId }, include: { requester: { include: { profile: { include: { region: true } } } } } });
  if (!c) return null;
  const number = c.number;
  const send = (text: string, reply_markup?: InlineKeyboard): ApiCall => ({ method: "sendMessage", payload: { chat_id: chatId, text, ...(reply_markup ? { reply_markup } : {}) } });
  switch (n.kind) {
    case "ping": {
      if (c.status !== "assigned") return null; // taken or moved on before the ping went out
      const p = c.requester.profile;
      const who = p?.fullName ? `${escapeHtml(p.fullName)}${p.role ? ` (${t(`registration.roles.${p.role}`)})` : ""}` : t("coordinator.anonymous");
      const text = t(n.colleague ? "coordinator.ping_colleague" : "coordinator.ping", {
        number, urgent: c.urgency === "urgent" ? t("coordinator.urgent_mark") : "", category: t(`categories.${c.category}`),
        region: p?.region ? regionName(p.region, locale) : "—", who, description: escapeHtml((c.description ?? "").slice(0, 1500)),
        interpolation: { escapeValue: false },
      });
      return send(text, caseButtons(t, c.id, n.colleague));
    }
    case "lapsed":
      return send(t("coordinator.lapsed", { number, minutes: Math.max(1, Math.round((c.urgency === "urgent" ? deps.config.CASE_ACK_URGENT_SECONDS : deps.config.CASE_ACK_SECONDS) / 60)) }));
    case "unassigned":
      return send(t("coordinator.unassigned", { number }));
    case "status":
      return send(t(`cases.status_notice.${n.status}`, { number }));
    case "rate": {
      const kb = new InlineKeyboard();
      for (let i = 1; i <= 5; i++) kb.text("⭐".repeat(i), `rate:${c.id}:${i}`).row();
      return send(t("cases.rate", { number }), kb);
    }
    case "file":
      return n.fileKind === "photo"
        ? { method: "sendPhoto", payload: { chat_id: chatId, photo: n.fileId, caption: `📎 #${number}` } }
        : { method: "sendDocument", payload: { chat_id: chatId, document: n.fileId, caption: `📎 #${number}` } };
    case "relay": {
      const from = n.to === "coordinator" ? t("cases.from_requester") : t("cases.from_coordinator");
      const head = `💬 <b>#${number}</b> · ${from}`;
      if (n.text !== undefined) return send(`${head}\n${escapeHtml(n.text)}`);
      return { method: "copyMessage", payload: { chat_id: chatId, from_chat_id: n.fromChatId, message_id: n.fromMessageId, caption: head, parse_mode: "HTML" } };
    }
  }
}
