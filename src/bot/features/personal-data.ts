// The person's rights over their data: /mydata sends everything stored about them as a readable
// JSON file; /deleteme erases it after confirmation (anonymous counts for reports stay).
import { Composer, InlineKeyboard, InputFile } from "grammy";
import type { BotContext } from "../context.js";
import type { Feature } from "../feature.js";
import { ack, clearButtons, menuScreen } from "../ui/menu.js";
import { fieldText } from "../ui/profile-view.js";
import { chatKey, CONVERSATION_PREFIX } from "../transport/storage.js";
import { exportPersonData, EDITABLE_FIELDS } from "../../services/people/profiles.js";
import { erasePersonData } from "../../services/people/erasure.js";
import { eventSettings } from "./events/settings.js";
import { isOneOf, ROLES } from "../../services/vocabulary.js";

async function sendMyData(ctx: BotContext): Promise<void> {
  const { prisma, clock } = ctx.deps;
  const { person, auditTrail } = await exportPersonData(prisma, clock, ctx.person!.id);
  const t = ctx.t;
  const p = person.profile && !person.profile.erasedAt ? person.profile : null;
  const profile: Record<string, unknown> | null = p && isOneOf(ROLES, p.role)
    ? Object.fromEntries([
        [t("profile.fields.role"), t(`registration.roles.${p.role}`)],
        ...EDITABLE_FIELDS[p.role].map((f) => [t(`profile.fields.${f}`), fieldText(ctx, f, p, p.region)]),
        [t("mydata.registered_at"), p.registeredAt.toISOString()],
      ])
    : null;
  const data = {
    [t("mydata.about")]: t("mydata.about_text", { programme: ctx.deps.config.PROGRAMME_NAME }),
    [t("mydata.telegram_id")]: Number(person.telegramId),
    [t("mydata.language")]: person.locale ? t(`language.names.${person.locale}`) : null,
    [t("mydata.first_contact")]: person.createdAt.toISOString(),
    [t("mydata.profile")]: profile,
    [t("mydata.consents")]: person.consents.map((c) => ({ [t("mydata.version")]: c.version, [t("mydata.given_at")]: c.givenAt.toISOString(), [t("mydata.withdrawn_at")]: c.withdrawnAt?.toISOString() ?? null })),
    [t("mydata.role_history")]: person.roleChanges.map((r) => ({
      [t("mydata.from_role")]: r.fromRole ? t(`registration.roles.${r.fromRole}`) : null,
      [t("mydata.to_role")]: t(`registration.roles.${r.toRole}`),
      [t("mydata.at")]: r.at.toISOString(),
    })),
    [t("mydata.cases")]: person.cases.map((c) => ({
      [t("mydata.case_number")]: `#${c.number}`,
      [t("mydata.case_category")]: t(`categories.${c.category}`),
      [t("mydata.case_status")]: t(`cases.status.${c.status}`),
      [t("mydata.at")]: c.createdAt.toISOString(),
      [t("mydata.case_messages")]: c.messages.map((m) => m.text ?? `[${m.kind}]`),
      [t("mydata.case_rating")]: c.rating,
    })),
    [t("mydata.enrolments")]: [],
    [t("mydata.actions")]: auditTrail.map((a) => ({ [t("mydata.at")]: a.at.toISOString(), [t("mydata.action")]: a.action })),
  };
  const file = new InputFile(Buffer.from(JSON.stringify(data, null, 2), "utf8"), "my-data.json");
  await ctx.replyWithDocument(file, { caption: t("mydata.caption") });
}

async function askErase(ctx: BotContext): Promise<void> {
  const kb = new InlineKeyboard().text(ctx.t("erase.yes"), "erase:yes").row().text(ctx.t("erase.no"), "erase:no");
  await ctx.reply(ctx.t("erase.question"), { reply_markup: kb });
}

function personalData(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  menuScreen(c, "mydata", sendMyData, "profile:mydata");
  menuScreen(c, "deleteme", askErase, "profile:deleteme");
  c.callbackQuery("erase:no", async (ctx) => {
    await ack(ctx);
    await clearButtons(ctx, ctx.t("erase.kept"));
  });
  c.callbackQuery("erase:yes", async (ctx) => {
    await ack(ctx);
    await clearButtons(ctx);
    await ctx.conversation.exitAll();
    const key = chatKey(ctx)!;
    await erasePersonData(ctx.deps.prisma, ctx.deps.clock, ctx.person!.id, [key, `${CONVERSATION_PREFIX}${key}`], eventSettings(ctx.deps.config));
    // Nothing of this chat is written back after erasure.
    ctx.session = undefined as never;
    await ctx.reply(ctx.t("erase.done"), { reply_markup: { remove_keyboard: true } });
  });
  return c;
}

export const personalDataFeature: Feature = { name: "personal-data", composer: personalData(), commands: ["mydata", "deleteme"] };
