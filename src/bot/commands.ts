// The command menu Telegram shows next to the input field, in each language. Families and graduates
// see their own commands only (the default menu); coordinators and administrators get theirs through
// a per-chat command scope, set when the role is given and removed when it is taken away (queued as
// a "commands" notice, sent by the outbox). Best-effort: the bot works without a menu (and a Bot API
// emulator may not know the methods).
import type { Api } from "grammy";
import type { i18n } from "i18next";
import { LOCALES, type Locale } from "../i18n.js";
import type { Logger } from "../logger.js";

/** Commands of coordinators (their features check access on every use, menu or not). */
export const STAFF_COMMANDS = ["queue", "case", "duty"] as const;
/** Commands of supervisors and event organisers on top of those. */
export const SUPERVISOR_COMMANDS = ["minors", "organise"] as const;
/** Commands of administrators (ADMIN_TELEGRAM_IDS). */
export const ADMIN_COMMANDS = ["invite", "kbstats", "minors", "organise"] as const;

export type StaffMenu = "coordinator" | "supervisor" | "admin";

/** The commands everyone sees: all of the features' commands but the staff ones. */
export function memberCommands(all: string[]): string[] {
  const staff = new Set<string>([...STAFF_COMMANDS, ...SUPERVISOR_COMMANDS, ...ADMIN_COMMANDS]);
  return all.filter((c) => !staff.has(c));
}

/** One staff member's whole menu (a chat scope replaces the default one, so it repeats it). */
export function staffCommands(all: string[], menu: StaffMenu): string[] {
  const extra: string[] = [...STAFF_COMMANDS, ...(menu === "coordinator" ? [] : SUPERVISOR_COMMANDS), ...(menu === "admin" ? ADMIN_COMMANDS : [])];
  const list = [...memberCommands(all), ...extra];
  return [...new Set(list)];
}

export const describe = (t: (k: string) => string, commands: string[]) => commands.map((command) => ({ command, description: t(`commands.${command}`) }));

export async function registerCommands(api: Api, i18n: i18n, commands: string[], fallback: Locale, logger: Logger): Promise<void> {
  const list = (l: Locale) => describe(i18n.getFixedT(l), memberCommands(commands));
  try {
    for (const l of LOCALES) await api.setMyCommands(list(l), { language_code: l });
    await api.setMyCommands(list(fallback));
  } catch (err) {
    logger.warn({ err }, "could not set the command menu; continuing without it");
  }
}

/** Administrators' menus, set at every start (their role comes from the settings, not the database). */
export async function registerAdminCommands(api: Api, i18n: i18n, commands: string[], admins: number[], locale: Locale, logger: Logger): Promise<void> {
  for (const chat_id of admins) {
    await api
      .setMyCommands(describe(i18n.getFixedT(locale), staffCommands(commands, "admin")), { scope: { type: "chat", chat_id } })
      .catch((err) => logger.warn({ err }, "could not set an administrator's command menu"));
  }
}
