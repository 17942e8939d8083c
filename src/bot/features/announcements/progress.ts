// The sender's progress message of an announcement ("отправлено 4 210 из 10 000"), edited in place
// with Pause / Resume / Cancel. Edits are throttled (one per few seconds, shared by every process
// through the announcement row) and best-effort: a failed edit never stops the sending.
import { InlineKeyboard, type Api } from "grammy";
import type { BotDeps } from "../../context.js";
import { isLocale, type Locale } from "../../../i18n.js";
import { announcementStatus, takeProgressTurn, type Progress } from "../../../services/delivery/announcements.js";

export const PROGRESS_EVERY_MS = 3000;

export const ANN_CB = /^ann:(send|drop|pause|resume|cancel):(\d+)$/;
export const annData = (action: string, id: number) => `ann:${action}:${id}`;

export function progressView(deps: BotDeps, locale: Locale, p: Progress): { text: string; reply_markup?: InlineKeyboard } {
  const t = deps.i18n.getFixedT(locale);
  const num = (n: number) => new Intl.NumberFormat(locale).format(n);
  const lines = [t("announcements.progress", { sent: num(p.sent), total: num(p.total) }), t(`announcements.status.${p.status}`)];
  if (p.failed) lines.push(t("announcements.failed", { count: p.failed, shown: num(p.failed) }));
  const kb = new InlineKeyboard();
  if (p.status === "sending") kb.text(t("announcements.pause"), annData("pause", p.id)).text(t("announcements.cancel"), annData("cancel", p.id));
  if (p.status === "paused") kb.text(t("announcements.resume"), annData("resume", p.id)).text(t("announcements.cancel"), annData("cancel", p.id));
  return { text: lines.join("\n"), ...(kb.inline_keyboard.length ? { reply_markup: kb } : {}) };
}

async function authorLocale(deps: BotDeps, chatId: number): Promise<Locale> {
  const p = await deps.prisma.person.findUnique({ where: { telegramId: BigInt(chatId) }, select: { locale: true } });
  return isLocale(p?.locale) ? p.locale : deps.config.DEFAULT_LOCALE;
}

/** Edits the progress message if its turn has come (or `force`: after a button, and when done). */
export async function announcementProgress(deps: BotDeps, api: Api, id: number, force = false): Promise<void> {
  const p = await announcementStatus(deps.prisma, deps.clock, id);
  if (!p?.progressChatId || !p.progressMessageId) return;
  const final = p.status !== "sending";
  if (!(await takeProgressTurn(deps.prisma, deps.clock(), id, PROGRESS_EVERY_MS, force || final))) return;
  const view = progressView(deps, await authorLocale(deps, p.progressChatId), p);
  await api.editMessageText(p.progressChatId, p.progressMessageId, view.text, { reply_markup: view.reply_markup }).catch((err) => {
    if (!/message is not modified/.test(String(err))) deps.logger.warn({ err, announcement: id }, "progress not edited");
  });
}
