// The person's rights over their data: /mydata sends everything stored about them as a readable
// JSON file. /deleteme (erasure after confirmation) lives in ui/erase.ts, reachable without consent.
import { Composer, InputFile } from "grammy";
import type { BotContext } from "../context.js";
import type { Feature } from "../feature.js";
import { menuScreen } from "../ui/menu.js";
import { fieldText } from "../ui/profile-view.js";
import { programmeName, roleKey, military } from "../ui/programme.js";
import { exportPersonData, fieldsFor } from "../../services/people/profiles.js";
import { isOneOf, ROLES } from "../../services/vocabulary.js";

async function sendMyData(ctx: BotContext): Promise<void> {
  const { prisma, clock } = ctx.deps;
  const { person, auditTrail } = await exportPersonData(prisma, clock, ctx.person!.id);
  const t = ctx.t;
  const p = person.profile && !person.profile.erasedAt ? person.profile : null;
  const profile: Record<string, unknown> | null = p && isOneOf(ROLES, p.role)
    ? Object.fromEntries([
        [t("profile.fields.role"), t(roleKey(ctx.deps.config, p.role))],
        ...fieldsFor(p.role, military(ctx.deps.config)).map((f) => [t(`profile.fields.${f}`), fieldText(ctx, f, p, p.region)]),
        [t("mydata.registered_at"), p.registeredAt.toISOString()],
        ...(p.guardianName ? [[t("consent.mydata_guardian"), `${p.guardianName}, ${p.guardianContact ?? ""}`], [t("consent.mydata_guardian_confirmed"), p.guardianConfirmedAt?.toISOString() ?? null]] : []),
      ])
    : null;
  const data = {
    [t("mydata.about")]: t("mydata.about_text", { programme: programmeName(ctx.deps.config, ctx.locale) }),
    [t("mydata.telegram_id")]: Number(person.telegramId),
    [t("mydata.language")]: person.locale ? t(`language.names.${person.locale}`) : null,
    [t("mydata.first_contact")]: person.createdAt.toISOString(),
    [t("mydata.profile")]: profile,
    [t("mydata.consents")]: person.consents.map((c) => ({ [t("mydata.version")]: c.version, [t("mydata.given_at")]: c.givenAt.toISOString(), [t("mydata.withdrawn_at")]: c.withdrawnAt?.toISOString() ?? null })),
    [t("mydata.role_history")]: person.roleChanges.map((r) => ({
      [t("mydata.from_role")]: r.fromRole ? t(roleKey(ctx.deps.config, r.fromRole)) : null,
      [t("mydata.to_role")]: t(roleKey(ctx.deps.config, r.toRole)),
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

function personalData(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  menuScreen(c, "mydata", sendMyData, "profile:mydata");
  return c;
}

export const personalDataFeature: Feature = { name: "personal-data", composer: personalData(), commands: ["mydata"] };
