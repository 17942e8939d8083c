// How an event reads in the chat: its title and description in the person's language (Russian
// when not translated), dates in the person's words in the event's own time zone ("12–15 июля"),
// the place, and the seats left. Built to fit one Telegram message.
import { escapeHtml, type Locale, type Translate } from "../../../i18n.js";
import { cut } from "../../../services/text.js";
import { dayIn } from "../../../services/time.js";

type Localised = Record<string, string>;

export const localised = (json: string | Localised, locale: Locale): string => {
  const v: Localised = typeof json === "string" ? (JSON.parse(json) as Localised) : json;
  return v[locale] ?? v.ru ?? "";
};

/** "12–15 июля, 10:00" style, in the event's zone; one day: "12 июля, 10:00–17:00". */
export function when(e: { startsAt: Date; endsAt: Date; timeZone: string }, locale: Locale): string {
  const day = new Intl.DateTimeFormat(locale, { timeZone: e.timeZone, day: "numeric", month: "long" });
  const time = new Intl.DateTimeFormat(locale, { timeZone: e.timeZone, hour: "2-digit", minute: "2-digit" });
  if (dayIn(e.timeZone, e.startsAt) === dayIn(e.timeZone, e.endsAt)) return `${day.format(e.startsAt)}, ${time.formatRange(e.startsAt, e.endsAt)}`;
  return `${day.formatRange(e.startsAt, e.endsAt)}, ${time.format(e.startsAt)}`;
}

export function seatsLine(t: Translate, e: { capacity: number | null; seatsTaken: number; waitingList: boolean }): string {
  if (e.capacity === null) return t("events.seats_unlimited");
  const left = Math.max(0, e.capacity - e.seatsTaken);
  return left > 0 ? t("events.seats_left", { count: left, capacity: e.capacity }) : t(e.waitingList ? "events.seats_none_waitlist" : "events.seats_none");
}

const DESCRIPTION_SHOWN = 2500;

export function eventCard(t: Translate, locale: Locale, e: { kind: string; title: string; description: string; startsAt: Date; endsAt: Date; timeZone: string; place: string | null; onlineUrl: string | null; capacity: number | null; seatsTaken: number; waitingList: boolean }, opts: { confirmed?: boolean } = {}): string {
  const place = e.place ? escapeHtml(cut(e.place, 200)) : t("events.online");
  const link = e.onlineUrl && opts.confirmed ? `\n${t("events.link", { url: escapeHtml(e.onlineUrl), interpolation: { escapeValue: false } })}` : "";
  return [
    `<b>${escapeHtml(cut(localised(e.title, locale), 200))}</b>`,
    `${t(`events.kind.${e.kind}`)} · ${when(e, locale)} · ${place}${link}`,
    seatsLine(t, e),
    "",
    escapeHtml(cut(localised(e.description, locale), DESCRIPTION_SHOWN)),
  ].join("\n");
}
