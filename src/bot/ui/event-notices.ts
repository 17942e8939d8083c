// Event notices (services/events) as Bot API calls, in the recipient's language, read from the
// event as it is at delivery: a seat offered (Accept / Decline), confirmed (with the calendar
// file), a reminder, a change, a cancellation, a refusal, sign-ups waiting for an organiser, and an
// organiser's message to the participants.
import { InlineKeyboard, InputFile } from "grammy";
import type { Translate } from "../../i18n.js";
import type { Locale } from "../../i18n.js";
import type { BotDeps } from "../context.js";
import type { EventNotice } from "../../services/delivery/outbox.js";
import { eventCard, localised, when } from "../features/events/view.js";
import { calendarFile } from "../features/events/calendar.js";
import { escapeHtml } from "../../i18n.js";
import { cut } from "../../services/text.js";
import type { ApiCall } from "./notices.js";

export async function renderEventNotice(deps: BotDeps, chatId: number, t: Translate, locale: Locale, n: EventNotice): Promise<ApiCall | null> {
  const e = await deps.prisma.event.findUnique({ where: { id: n.eventId } });
  if (!e) return null;
  const title = escapeHtml(cut(localised(e.title, locale), 200));
  const send = (text: string, reply_markup?: InlineKeyboard): ApiCall => ({ method: "sendMessage", payload: { chat_id: chatId, text, ...(reply_markup ? { reply_markup } : {}) } });
  const at = when(e, locale);
  switch (n.kind) {
    case "event_offer": {
      const until = new Intl.DateTimeFormat(locale, { timeZone: e.timeZone, day: "numeric", month: "long", hour: "2-digit", minute: "2-digit" }).format(new Date(n.until));
      const kb = new InlineKeyboard().text(t("events.accept"), `ev:acc:${n.enrolmentId}`).text(t("events.decline"), `ev:dec:${n.enrolmentId}`);
      return send(t("events.notice.offer", { title, when: at, until, interpolation: { escapeValue: false } }), kb);
    }
    case "event_offer_expired":
      return send(t("events.notice.offer_expired", { title, interpolation: { escapeValue: false } }));
    case "event_confirmed": {
      // The confirmation carries the calendar file (.ics); the card with the place (and link) is its caption.
      const caption = t("events.notice.confirmed", { title, when: at, interpolation: { escapeValue: false } });
      return { method: "sendDocument", payload: { chat_id: chatId, document: new InputFile(Buffer.from(calendarFile(e, locale), "utf8"), `${e.code}.ics`), caption, parse_mode: "HTML" } };
    }
    case "event_rejected":
      return send(t("events.notice.rejected", { title, interpolation: { escapeValue: false } }));
    case "event_approval_needed": {
      const kb = new InlineKeyboard().text(t("events.approve"), `ev:ok:${n.enrolmentId}`).text(t("events.reject"), `ev:no:${n.enrolmentId}`);
      return send(t("events.notice.approval_needed", { title, interpolation: { escapeValue: false } }), kb);
    }
    case "event_reminder": {
      const mine = await deps.prisma.enrolment.findUnique({ where: { id: n.enrolmentId }, select: { status: true } });
      if (mine?.status !== "confirmed" || e.status !== "published") return null;
      return send(`${t("events.notice.reminder", { count: n.hoursBefore })}\n\n${eventCard(t, locale, e, { confirmed: true })}`);
    }
    case "event_changed":
      return send(`${t("events.notice.changed")}\n\n${eventCard(t, locale, e)}`);
    case "event_cancelled":
      return send(t("events.notice.cancelled", { title, when: at, interpolation: { escapeValue: false } }));
    case "event_message": {
      const m = await deps.prisma.eventMessage.findUnique({ where: { id: n.messageId }, select: { text: true } });
      if (!m) return null;
      return send(t("organiser.notice.message", { title, text: escapeHtml(m.text), interpolation: { escapeValue: false } }));
    }
  }
}
