// Renders notices about a person (services/delivery/outbox.ts PersonNotice) at delivery: a minor's
// representative waiting for confirmation, its confirmation, and a chat's command menu following
// its staff role. Read from the database at send time, so an erased or changed fact is never sent.
import { InlineKeyboard } from "grammy";
import type { TFunction } from "i18next";
import type { BotDeps } from "../context.js";
import type { Locale } from "../../i18n.js";
import type { PersonNotice } from "../../services/delivery/outbox.js";
import { regionName } from "../../services/regions.js";
import { ageOn } from "../../services/validation.js";
import { describe, staffCommands, type StaffMenu } from "../commands.js";
import type { ApiCall } from "./notices.js";
import { isAdminId } from "./staff.js";

/** The staff menu this chat should have now, or null for the default (member) menu. */
async function staffMenuOf(deps: BotDeps, chatId: number): Promise<StaffMenu | null> {
  if (isAdminId(deps.config, chatId)) return "admin";
  const c = await deps.prisma.coordinator.findUnique({ where: { telegramId: BigInt(chatId) }, select: { active: true, supervisor: true, organiser: true } });
  if (!c?.active) return null;
  return c.supervisor || c.organiser ? "supervisor" : "coordinator";
}

async function commandsCall(deps: BotDeps, chatId: number, t: TFunction): Promise<ApiCall> {
  const scope = { type: "chat", chat_id: chatId };
  const menu = await staffMenuOf(deps, chatId);
  if (!menu) return { method: "deleteMyCommands", payload: { scope } };
  // Loaded here, not at the top: the features import the notices, and their list is only needed now.
  const { allFeatures, commandsOf, MEMBER_FEATURES } = await import("../create-bot.js");
  return { method: "setMyCommands", payload: { scope, commands: describe(t, staffCommands(commandsOf(allFeatures(MEMBER_FEATURES)), menu)) } };
}

export async function renderPersonNotice(deps: BotDeps, chatId: number, t: TFunction, locale: Locale, consented: boolean, n: PersonNotice): Promise<ApiCall | null> {
  if (n.kind === "commands") return commandsCall(deps, chatId, t);
  const p = await deps.prisma.profile.findUnique({ where: { personId: n.personId }, include: { region: true } });
  if (!p || p.erasedAt || !p.guardianName) return null;
  if (n.kind === "guardian_confirmed") return consented && p.guardianConfirmedAt ? { method: "sendMessage", payload: { chat_id: chatId, text: t("consent.person_confirmed") } } : null;
  if (p.guardianConfirmedAt) return null; // someone confirmed before this went out
  const text = t("consent.staff_pending", {
    who: p.fullName ?? "—", age: p.birthDate ? ageOn(p.birthDate, deps.clock()) : "—", region: p.region ? regionName(p.region, locale) : "—",
    name: p.guardianName, contact: p.guardianContact ?? "—",
  });
  return { method: "sendMessage", payload: { chat_id: chatId, text, reply_markup: new InlineKeyboard().text(t("consent.staff_confirm"), `guardian:ok:${n.personId}`) } };
}
