// The main menu: what a person who has given consent can do. Each entry's button sends
// `menu:<id>`, handled by the feature that owns it.
import { InlineKeyboard, type Composer } from "grammy";
import type { BotContext, LocaleFlavor } from "../context.js";
import type { PersonState } from "../../services/people/people.js";
import { menuData } from "./callbacks.js";

export const MENU_ITEMS: { id: string; label: (p: PersonState | null) => string }[] = [
  { id: "profile", label: (p) => (p?.role ? "menu.profile" : "menu.register") },
  { id: "ask", label: () => "menu.ask" },
  { id: "mycases", label: () => "menu.mycases" },
  { id: "events", label: () => "menu.events" },
  { id: "faq", label: () => "menu.faq" },
  { id: "help", label: () => "menu.help" },
  { id: "language", label: () => "menu.language" },
  { id: "privacy", label: () => "menu.privacy" },
];

/** Registration first for newcomers; asking for help first once registered. */
function orderedFor(p: PersonState | null) {
  return p?.role ? [MENU_ITEMS[1]!, MENU_ITEMS[0]!, ...MENU_ITEMS.slice(2)] : MENU_ITEMS;
}

export function menuKeyboard(ctx: LocaleFlavor): InlineKeyboard {
  const kb = new InlineKeyboard();
  orderedFor(ctx.person).forEach((item, i) => {
    // The first entry is the person's main business and gets a row of its own.
    kb.text(ctx.t(item.label(ctx.person)), menuData(item.id));
    if (i % 2 === 0) kb.row();
  });
  return kb;
}

/** The button back to the main menu (handled in features/help.ts), below `kb` or on its own. */
export function withMenuButton(ctx: LocaleFlavor, kb = new InlineKeyboard()): InlineKeyboard {
  if (kb.inline_keyboard.at(-1)?.length) kb.row();
  return kb.text(ctx.t("menu.back_to_menu"), menuData(MAIN_MENU));
}
export const MAIN_MENU = "main";

/** Sends the main menu and takes the buttons off the previous one, so old menus do not pile up. */
export async function showMenu(ctx: BotContext, intro?: string): Promise<void> {
  const previous = ctx.session.menuMessageId;
  const sent = await ctx.reply(intro ? `${intro}\n\n${ctx.t("menu.title")}` : ctx.t("menu.title"), { reply_markup: menuKeyboard(ctx) });
  ctx.session.menuMessageId = sent.message_id;
  if (previous && previous !== sent.message_id && ctx.chat) {
    await ctx.api.editMessageReplyMarkup(ctx.chat.id, previous).catch(() => undefined);
  }
}

/** Answers a button press at once (Telegram shows a spinner until then); never fails the handler. */
export async function ack(ctx: BotContext, text?: string, alert = false): Promise<void> {
  await ctx.answerCallbackQuery(text ? { text, show_alert: alert } : undefined).catch(() => undefined);
}

/** Takes the buttons off the message a button was pressed on; best-effort (it may be too old). */
export async function clearButtons(ctx: BotContext, newText?: string): Promise<void> {
  const op = newText ? ctx.editMessageText(newText) : ctx.editMessageReplyMarkup();
  await op.catch(() => undefined);
}

/** A screen reachable both as /<command> and as a button (by default the main menu's `menu:<command>`). */
export function menuScreen(c: Composer<BotContext>, command: string, show: (ctx: BotContext) => Promise<unknown>, data = menuData(command)): void {
  c.command(command, (ctx) => show(ctx));
  c.callbackQuery(data, async (ctx) => {
    await ack(ctx);
    await show(ctx);
  });
}
