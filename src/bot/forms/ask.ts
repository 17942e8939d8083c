// One question of a form, inside a conversation: show it, wait, understand the answer or say kindly
// what is wrong, and ask again. Every question has Back (except the first) and Cancel. Commands and
// buttons that are not the form's pass through to the rest of the bot while the form waits, so a
// person can look at /help and come back to the same question.
import { InlineKeyboard, Keyboard } from "grammy";
import type { Conversation } from "@grammyjs/conversations";
import type { BotContext, FlowContext } from "../context.js";
import { CANCEL_DATA } from "../ui/callbacks.js";

export type Flow = Conversation<BotContext, FlowContext>;
export type Button = [label: string, data: string];

export const FORM = {
  back: "form:back",
  resume: "form:resume",
  restart: "form:restart",
  prefix: "form:",
} as const;

export const BACK = Symbol("back");
export const RESTART = Symbol("restart");

export type StepResult<T> =
  | { done: T }
  | { error: string; params?: Record<string, string | number> }
  | { show: string; buttons: Button[][] }
  | { edit: Button[][] }
  | undefined;

export interface Question<T> {
  text: string;
  buttons?: Button[][];
  /** Offer Telegram's "share my phone number" button (a reply keyboard). */
  contact?: boolean;
  back: boolean;
  /** Reads one update; DB work must go through conversation.external. */
  handle(ctx: FlowContext): Promise<StepResult<T>>;
}

export function inline(rows: Button[][], t: FlowContext["t"], back: boolean): InlineKeyboard {
  const kb = new InlineKeyboard();
  for (const row of rows) {
    for (const [label, data] of row) kb.text(label, data);
    kb.row();
  }
  if (back) kb.text(t("form.back"), FORM.back);
  return kb.text(t("form.cancel"), CANCEL_DATA);
}

function contactKeyboard(t: FlowContext["t"], back: boolean): Keyboard {
  const kb = new Keyboard().requestContact(t("form.share_contact")).row();
  if (back) kb.text(t("form.back")).row();
  return kb.text(t("form.cancel")).resized().oneTime();
}

export async function ask<T>(conversation: Flow, ctx: FlowContext, q: Question<T>): Promise<T | typeof BACK | typeof RESTART> {
  const show = async (c: FlowContext, text: string, buttons: Button[][]) => {
    await c.reply(text, { reply_markup: q.contact ? contactKeyboard(c.t, q.back) : inline(buttons, c.t, q.back) });
  };
  await show(ctx, q.text, q.buttons ?? []);
  for (;;) {
    const u = await conversation.wait();
    const data = u.callbackQuery?.data;
    const text = u.message?.text;
    if (data !== undefined) {
      // Not a form button (a main-menu button, say): let the rest of the bot answer it.
      if (!data.startsWith(FORM.prefix)) await conversation.skip({ next: true });
      await u.answerCallbackQuery().catch(() => undefined);
      if (data === FORM.back && q.back) return BACK;
      if (data === FORM.restart) return RESTART;
      if (data === FORM.resume) {
        await show(u, q.text, q.buttons ?? []);
        continue;
      }
    } else if (!u.message) {
      await conversation.skip({ next: true }); // edited messages and the like
    } else if (text?.startsWith("/")) {
      await conversation.skip({ next: true }); // commands work while the form waits
    } else if (q.contact && text === u.t("form.back") && q.back) {
      return BACK;
    } else if (q.contact && text === u.t("form.cancel")) {
      await u.reply(u.t("cancel.done"), { reply_markup: { remove_keyboard: true } });
      return conversation.halt();
    }
    const r = await q.handle(u);
    if (r && "done" in r) return r.done;
    if (r && "edit" in r) {
      await u.editMessageReplyMarkup({ reply_markup: inline(r.edit, u.t, q.back) }).catch(() => undefined);
      continue;
    }
    if (r && "show" in r) {
      await show(u, r.show, r.buttons);
      continue;
    }
    const problem = r ? u.t(`validation.${r.error}`, r.params) : u.t(data !== undefined ? "form.stale_button" : "form.not_understood");
    await show(u, `${problem}\n\n${q.text}`, q.buttons ?? []);
  }
}
