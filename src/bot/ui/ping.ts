// The ping a coordinator gets for a new case: what decides Take or Decline at a glance. Kind of
// help and urgency, the region and what time it is there for the person, who they are ("мать ·
// пропал без вести"), when they like to be called, their language, how many files they sent, a
// number to call back, the description cut to about 300 characters, and by when to take it (in the
// programme's time zone). Everything comes from the case at delivery time; fits one message.
import type { TFunction } from "i18next";
import type { BotDeps } from "../context.js";
import { escapeHtml, isLocale, type Locale } from "../../i18n.js";
import { regionName } from "../../services/regions.js";
import { clockTime, regionTimeZone } from "../../services/region-time.js";
import { dayIn } from "../../services/time.js";
import { cut } from "../../services/text.js";
import { PING_DESCRIPTION_MAX } from "../../services/cases/lifecycle.js";

interface PingCase {
  id: number;
  number: string;
  category: string;
  urgency: string;
  regionCode: string | null;
  description: string | null;
  callbackPhone: string | null;
  offeredAt: Date | null;
  requester: {
    locale: string | null;
    profile: { fullName: string | null; role: string; relation: string | null; memberStatus: string | null; contactTime: string | null; phone: string | null } | null;
  };
}

const lower = (s: string) => s.charAt(0).toLocaleLowerCase() + s.slice(1);

/** "Иванова Мария · мать · пропал без вести"; the role for those who are not family. */
function whoIs(t: TFunction, p: NonNullable<PingCase["requester"]["profile"]>): string {
  const parts = [p.fullName ? escapeHtml(cut(p.fullName, 120)) : null];
  if (p.role === "family") {
    if (p.relation) parts.push(lower(t(`registration.relation.${p.relation}`)));
    if (p.memberStatus) parts.push(lower(t(`registration.memberStatus.${p.memberStatus}`)));
  } else {
    parts.push(t(`registration.roles.${p.role}`));
  }
  return parts.filter(Boolean).join(" · ");
}

export async function pingText(deps: BotDeps, t: TFunction, locale: Locale, c: PingCase, colleague: boolean): Promise<string> {
  const { config, prisma, clock } = deps;
  const p = c.requester.profile;
  const region = c.regionCode ? await prisma.region.findUnique({ where: { code: c.regionCode } }) : null;
  const files = await prisma.caseMessage.count({ where: { caseId: c.id, author: "requester", fileId: { not: null } } });
  const zone = regionTimeZone(c.regionCode);
  const now = clock();
  const lines = [
    t(colleague ? "ping.title_colleague" : "ping.title", { number: c.number }) + (c.urgency === "urgent" ? t("ping.urgent") : t("ping.normal")),
    t("ping.category", { category: t(`categories.${c.category}`) }),
    region
      ? t(zone ? "ping.region_time" : "ping.region", { region: regionName(region, locale), time: zone ? clockTime(now, zone) : "" })
      : t("ping.region_unknown"),
    t("ping.who", { who: p ? whoIs(t, p) : t("ping.anonymous"), interpolation: { escapeValue: false } }),
    p?.contactTime ? t("ping.contact_time", { time: lower(t(`registration.contactTime.${p.contactTime}`)) }) : null,
    t("ping.language", { language: t(`language.names.${isLocale(c.requester.locale) ? c.requester.locale : config.DEFAULT_LOCALE}`) }),
    files ? t("ping.files", { count: files }) : null,
    c.callbackPhone ?? p?.phone ? t("ping.phone", { phone: c.callbackPhone ?? p!.phone }) : null,
  ];
  const description = c.description ? `\n«${escapeHtml(cut(c.description, PING_DESCRIPTION_MAX))}»` : "";
  let deadline = "";
  if (c.offeredAt && !colleague) {
    const due = new Date(c.offeredAt.getTime() + (c.urgency === "urgent" ? config.CASE_ACK_URGENT_SECONDS : config.CASE_ACK_SECONDS) * 1000);
    const tz = config.PROGRAMME_TIME_ZONE;
    const dueDay = dayIn(tz, due);
    const day = dueDay === dayIn(tz, now) ? "" : ` ${dueDay.slice(8, 10)}.${dueDay.slice(5, 7)}`;
    deadline = `\n\n${t("ping.deadline", { time: `${clockTime(due, tz)}${day}` })}`;
  }
  return `${lines.filter((l) => l !== null).join("\n")}\n${description}${deadline}`;
}
