// The one crisis message and the programme's contacts. "If there is a threat to life, call 112"
// comes first, then the crisis lines of the person's country (settings CRISIS_LINES_RU/_LT, else the
// defaults in locales/*/crisis.json), then how to reach the programme itself (phone, e-mail, opening
// hours). Rendered with a plain translate function, so the outbox uses it too.
import { programmeName } from "./programme.js";
import type { TFunction } from "i18next";
import type { BotContext } from "../context.js";
import type { Config } from "../../config.js";
import { escapeHtml, type Locale } from "../../i18n.js";
import { regionOf } from "../../services/people/profiles.js";

type Contacts = Pick<Config, "PROGRAMME_NAME" | "PROGRAMME_NAME_RU" | "PROGRAMME_NAME_EN" | "PROGRAMME_NAME_LT" | "PROGRAMME_PHONE" | "PROGRAMME_EMAIL" | "PROGRAMME_HOURS" | "PROGRAMME_WORKDAYS" | "PROGRAMME_TIME_ZONE" | "CRISIS_LINES_RU" | "CRISIS_LINES_LT" | "REGION_COUNTRIES">;

/** Rendered opening hours by settings, language and hour (Intl formatters are costly, and /help shows them on every call). */
const hoursCache = new Map<string, string>();

/** Working days and hours in the reader's words: "пн–пт 09:00–18:00 (GMT+3)". */
export function openingHours(config: Contacts, locale: Locale): string {
  // The zone's short name can change with summer time: the hour is part of the key.
  const key = `${locale}|${config.PROGRAMME_WORKDAYS.join(",")}|${config.PROGRAMME_HOURS}|${config.PROGRAMME_TIME_ZONE}|${Math.floor(Date.now() / 3_600_000)}`;
  const known = hoursCache.get(key);
  if (known !== undefined) return known;
  if (hoursCache.size > 100) hoursCache.clear();
  const text = renderHours(config, locale);
  hoursCache.set(key, text);
  return text;
}

function renderHours(config: Contacts, locale: Locale): string {
  // 2024-01-01 was a Monday: day d of the ISO week is 2024-01-0d.
  const name = (d: number) => new Intl.DateTimeFormat(locale, { weekday: "short", timeZone: "UTC" }).format(new Date(Date.UTC(2024, 0, d)));
  const days = config.PROGRAMME_WORKDAYS;
  const runs: number[][] = [];
  for (const d of days) {
    const run = runs.at(-1);
    if (run && run.at(-1) === d - 1) run.push(d);
    else runs.push([d]);
  }
  const dayText = runs.map((r) => (r.length > 2 ? `${name(r[0]!)}–${name(r.at(-1)!)}` : r.map(name).join(", "))).join(", ");
  const zone = new Intl.DateTimeFormat("en", { timeZone: config.PROGRAMME_TIME_ZONE, timeZoneName: "short" }).formatToParts(new Date()).find((p) => p.type === "timeZoneName")?.value;
  return `${dayText} ${config.PROGRAMME_HOURS.replace("-", "–")}${zone ? ` (${zone})` : ""}`;
}

/** How to reach the programme: name, phone and e-mail when set, opening hours. */
export function programmeContacts(t: TFunction, config: Contacts, locale: Locale): string {
  const parts = [
    config.PROGRAMME_PHONE ? t("crisis.programme_phone", { phone: config.PROGRAMME_PHONE }) : null,
    config.PROGRAMME_EMAIL ? t("crisis.programme_email", { email: config.PROGRAMME_EMAIL }) : null,
    t("crisis.programme_hours", { hours: openingHours(config, locale) }),
  ].filter(Boolean);
  return t("crisis.programme", { programme: escapeHtml(programmeName(config, locale)), contacts: parts.join(", "), interpolation: { escapeValue: false } });
}

/** 112 first, then the crisis lines of `countries` (as set by the programme, else the defaults). */
export function crisisLines(t: TFunction, config: Contacts, countries: readonly string[]): string {
  const blocks = countries.map((c) => {
    const own = c === "LT" ? config.CRISIS_LINES_LT : c === "RU" ? config.CRISIS_LINES_RU : undefined;
    if (!own) return t(`crisis.lines.${c}`);
    return own.map((l) => (l.phone ? t("crisis.line", { name: l.name, phone: l.phone }) : `• ${escapeHtml(l.name)}`)).join("\n");
  });
  return [t("crisis.emergency"), ...blocks].join("\n");
}

/** The crisis message: (an opening word for someone who wrote in distress), 112, the lines, the programme. */
export function crisisMessage(t: TFunction, config: Contacts, locale: Locale, countries: readonly string[], intro = false): string {
  return [intro ? t("crisis.intro") : null, crisisLines(t, config, countries), programmeContacts(t, config, locale)].filter(Boolean).join("\n\n");
}

/** The countries whose lines a person needs: theirs (by the region they gave), else every one the programme serves. */
export async function countriesOf(ctx: BotContext, regionCode?: string | null): Promise<string[]> {
  if (regionCode) return [regionCode.slice(0, 2)];
  const country = ctx.person ? (await regionOf(ctx.deps.prisma, ctx.person.id)).country : null;
  return country ? [country] : ctx.deps.config.REGION_COUNTRIES;
}

/** Sends the crisis message to whoever is writing. */
export async function sendCrisis(ctx: BotContext, intro = false): Promise<void> {
  await ctx.reply(crisisMessage(ctx.t, ctx.deps.config, ctx.locale, await countriesOf(ctx), intro));
}
