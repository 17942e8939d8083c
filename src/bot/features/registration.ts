// Registration of participants: the person says who they are (graduate, family member, service
// member) and answers that role's questions, each with Back and Cancel, then confirms. Nothing is a
// profile until confirmed; the half-filled form is conversation state in the database, so it
// survives restarts and can be resumed or restarted days later.
import { Composer, InlineKeyboard } from "grammy";
import type { BotContext, FlowContext } from "../context.js";
import type { Feature } from "../feature.js";
import { ack, menuKeyboard } from "../ui/menu.js";
import { ask, BACK, FORM, RESTART, type Flow } from "../forms/ask.js";
import { askField, type Draft } from "../forms/fields.js";
import { hasUnfinishedForm, offerResume } from "../forms/resume.js";
import { profileLines } from "../ui/profile-view.js";
import { EDITABLE_FIELDS, registerProfile, type ProfileDraft } from "../../services/people/profiles.js";
import { findRegion } from "../../services/regions.js";
import { isOneOf, ROLES, type Role } from "../../services/vocabulary.js";

export const REGISTRATION = "registration";
const ROLE_DATA = /^reg:role:([a-z_]+)$/;
const CONFIRM = "form:confirm";

export async function askRole(ctx: BotContext, change = false): Promise<void> {
  const kb = new InlineKeyboard();
  for (const r of ROLES) kb.text(ctx.t(`registration.i_am.${r}`), `reg:role:${r}`).row();
  await ctx.reply(ctx.t(change ? "registration.change_role" : "registration.who"), { reply_markup: kb });
}

async function confirmStep(conversation: Flow, ctx: FlowContext, draft: Draft) {
  const region = await conversation.external(() => findRegion(ctx.deps.prisma, draft.regionCode!, ctx.deps.config.REGION_COUNTRIES));
  return ask(conversation, ctx, {
    // profileLines escapes what people typed; its own <b> tags must reach Telegram as tags.
    text: ctx.t("registration.confirm", { summary: profileLines(ctx, draft.role!, draft, region), interpolation: { escapeValue: false } }),
    buttons: [[[ctx.t("form.confirm"), CONFIRM]], [[ctx.t("form.start_over"), FORM.restart]]],
    back: true,
    handle: async (u) => (u.callbackQuery?.data === CONFIRM ? { done: true as const } : u.message ? { error: "use_buttons" } : undefined),
  });
}

async function registration(conversation: Flow, ctx: FlowContext, role: Role) {
  const fields = EDITABLE_FIELDS[role];
  for (;;) {
    const draft: Draft = { role };
    await ctx.reply(ctx.t("registration.intro", { role: ctx.t(`registration.roles.${role}`), count: fields.length + 1 }));
    let i = 0;
    let restart = false;
    // Steps 0..n-1 are the questions; step n is the confirmation.
    while (i <= fields.length && !restart) {
      const answer = i < fields.length ? await askField(conversation, ctx, fields[i]!, draft, i > 0) : await confirmStep(conversation, ctx, draft);
      if (answer === RESTART) restart = true;
      else if (answer === BACK) i--;
      else if (i === fields.length) {
        const outcome = await conversation.external(() => registerProfile(ctx.deps.prisma, ctx.deps.clock, ctx.person!.id, draft as ProfileDraft));
        const person = { ...ctx.person!, role };
        await ctx.reply(ctx.t(`registration.done_${outcome}`), { reply_markup: menuKeyboard({ ...ctx, person }) });
        return;
      } else {
        (draft as Record<string, unknown>)[fields[i]!] = answer;
        i++;
      }
    }
  }
}

function registrationComposer(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.callbackQuery(ROLE_DATA, async (ctx) => {
    await ack(ctx);
    const role = ctx.match[1];
    if (!isOneOf(ROLES, role)) return ctx.reply(ctx.t("errors.stale_button"));
    if (hasUnfinishedForm(ctx)) return offerResume(ctx);
    await ctx.editMessageReplyMarkup().catch(() => undefined);
    await ctx.conversation.enter(REGISTRATION, role);
  });
  return c;
}

export const registrationFeature: Feature = {
  name: "registration",
  composer: registrationComposer(),
  conversations: [{ id: REGISTRATION, builder: registration }],
};
