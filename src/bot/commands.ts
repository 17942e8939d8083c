// The command menu Telegram shows next to the input field, in each language. Best-effort: the
// bot works without it (and a Bot API emulator may not know the method).
import type { Api } from "grammy";
import type { i18n } from "i18next";
import { LOCALES, type Locale } from "../i18n.js";
import type { Logger } from "../logger.js";

export async function registerCommands(api: Api, i18n: i18n, commands: string[], fallback: Locale, logger: Logger): Promise<void> {
  const list = (l: Locale) => commands.map((command) => ({ command, description: i18n.getFixedT(l)(`commands.${command}`) }));
  try {
    for (const l of LOCALES) await api.setMyCommands(list(l), { language_code: l });
    await api.setMyCommands(list(fallback));
  } catch (err) {
    logger.warn({ err }, "could not set the command menu; continuing without it");
  }
}
