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
import { fieldsFor, registerProfile, type ProfileDraft } from "../../services/people/profiles.js";
import { findRegion } from "../../services/regions.js";
import { isOneOf, type Role } from "../../services/vocabulary.js";
import { isMinor } from "../../services/people/guardian.js";
import { offerGuardian } from "./guardian.js";
import { offeredRoles, roleKey, military } from "../ui/programme.js";

export const REGISTRATION = "registration";
const ROLE_DATA = /^reg:role:([a-z_]+)$/;
const CONFIRM = "form:confirm";

export async function askRole(ctx: BotContext, change = false): Promise<void> {
  const kb = new InlineKeyboard();
  for (const r of offeredRoles(ctx.deps.config)) kb.text(ctx.t(roleKey(ctx.deps.config, r, "i_am")), `reg:role:${r}`).row();
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
  const fields = fieldsFor(role, military(ctx.deps.config));
  for (;;) {
    const draft: Draft = { role };
    await ctx.reply(ctx.t("registration.intro", { role: ctx.t(roleKey(ctx.deps.config, role)), count: fields.length + 1 }));
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
        // A graduate under 18: a parent, guardian or the institution must also agree.
        const now = new Date(await conversation.now());
        if (isMinor({ role, birthDate: draft.birthDate ?? null }, now)) await offerGuardian(ctx);
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
    // Only the roles this programme serves (callback data can be forged).
    if (!isOneOf(offeredRoles(ctx.deps.config), role)) return ctx.reply(ctx.t("errors.stale_button"));
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
