// Check-in by QR code. A confirmed participant shows a QR code in the bot; it holds a deep link
// (t.me/<bot>?start=ci_<enrolment>_<signature>) that an organiser scans with the phone's camera,
// which opens the bot and marks attendance for today (a multi-day camp: each day). The signature
// (an HMAC with the bot token) keeps a link from being made up for someone else's sign-up; the
// service lets only organisers mark. A second scan says who marked it and when.
import { createHmac } from "node:crypto";
import { Composer, InputFile } from "grammy";
import QRCode from "qrcode";
import type { BotContext } from "../../context.js";
import type { Feature } from "../../feature.js";
import { ack } from "../../ui/menu.js";
import { dbInt } from "../../ui/callbacks.js";
import { checkIn } from "../../../services/events/attendance.js";
import { escapeHtml } from "../../../i18n.js";
import { localised } from "./view.js";
import { actorOf } from "./actor.js";

export const CHECKIN_PREFIX = "ci_";

const signature = (token: string, enrolmentId: number) => createHmac("sha256", token).update(`checkin:${enrolmentId}`).digest("base64url").slice(0, 12);

export const checkinPayload = (token: string, enrolmentId: number) => `${CHECKIN_PREFIX}${enrolmentId}_${signature(token, enrolmentId)}`;

/** The enrolment a scanned payload names, if its signature is right. */
export function enrolmentOfPayload(token: string, payload: string): number | null {
  const m = /^ci_(\d+)_([A-Za-z0-9_-]{12})$/.exec(payload);
  const id = m ? dbInt(m[1]) : null;
  return id && m![2] === signature(token, id) ? id : null;
}

/** An organiser scanned a participant's code. */
export async function scanned(ctx: BotContext, payload: string): Promise<void> {
  const enrolmentId = enrolmentOfPayload(ctx.deps.config.BOT_TOKEN, payload);
  const by = await actorOf(ctx);
  if (!enrolmentId || !(by.coordinatorId || by.admin)) return void (await ctx.reply(ctx.t("events.checkin.not_for_you")));
  const e = await ctx.deps.prisma.enrolment.findUnique({ where: { id: enrolmentId }, include: { event: true, person: { include: { profile: true } } } });
  if (!e) return void (await ctx.reply(ctx.t("events.checkin.unknown")));
  const r = await checkIn(ctx.deps.prisma, ctx.deps.clock, { eventId: e.eventId, enrolmentId, by });
  const who = escapeHtml(e.person.profile?.fullName ?? `#${e.personId}`);
  const title = escapeHtml(localised(e.event.title, ctx.locale));
  if (r.result === "already") {
    const at = new Intl.DateTimeFormat(ctx.locale, { timeZone: e.event.timeZone, hour: "2-digit", minute: "2-digit" }).format(r.markedAt);
    return void (await ctx.reply(ctx.t("events.checkin.already", { who, title, at, interpolation: { escapeValue: false } })));
  }
  await ctx.reply(ctx.t(`events.checkin.${r.result}`, { who, title, interpolation: { escapeValue: false } }));
}

function checkin(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.callbackQuery(/^ev:qr:(\d+)$/, async (ctx) => {
    const id = dbInt(ctx.match[1]);
    const mine = id ? await ctx.deps.prisma.enrolment.findFirst({ where: { id, personId: ctx.person!.id, status: "confirmed" }, include: { event: true } }) : null;
    if (!mine) return ack(ctx, ctx.t("errors.stale_button"), true);
    await ack(ctx);
    const link = `https://t.me/${ctx.me.username}?start=${checkinPayload(ctx.deps.config.BOT_TOKEN, mine.id)}`;
    const png = await QRCode.toBuffer(link, { type: "png", width: 512, margin: 2 });
    await ctx.replyWithPhoto(new InputFile(png, "checkin.png"), { caption: ctx.t("events.checkin.show", { title: escapeHtml(localised(mine.event.title, ctx.locale)), interpolation: { escapeValue: false } }), parse_mode: "HTML" });
  });
  return c;
}

export const eventCheckinFeature: Feature = { name: "event-checkin", composer: checkin() };
