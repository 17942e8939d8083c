// /organise: an organiser's desk in the bot. Their events (paged); per event its panel (publish,
// edit, write to participants), the sign-up lists (approve or reject from the list; the waiting
// list in line order), attendance per day (tap a name to mark or unmark), a CSV import of
// attendance, and the figures. Every press is checked by organisedEvent (actor.ts): the one rule.
import { Composer, InlineKeyboard } from "grammy";
import type { BotContext } from "../../context.js";
import type { Feature } from "../../feature.js";
import { ack } from "../../ui/menu.js";
import { hasUnfinishedForm, offerResume } from "../../forms/resume.js";
import { dbInt } from "../../ui/callbacks.js";
import { escapeHtml } from "../../../i18n.js";
import { cut } from "../../../services/text.js";
import { publishEvent } from "../../../services/events/organise.js";
import { attendanceSheet, organisersEvents, signUps, type RosterList } from "../../../services/events/roster.js";
import { checkIn, eventDays, uncheck } from "../../../services/events/attendance.js";
import { eventFigures, seriesFigures } from "../../../services/events/figures.js";
import { organisedEvent, organiserOf } from "./actor.js";
import { decide } from "./organiser.js";
import { eventCard, localised, when } from "./view.js";
import { EVENT_EDITOR, editorConversations } from "./editor.js";
import { EVENT_ANNOUNCE, EVENT_IMPORT, participantsConversations } from "./participants-flows.js";

const EVENTS_PAGE = 8;
const ROSTER_PAGE = 20;
const BUTTON_PAGE = 10;
const NAME_SHOWN = 60;
const LISTS: Record<string, RosterList> = { p: "pending_approval", w: "waiting", c: "confirmed" };
const LIST_CODE: Record<RosterList, string> = { pending_approval: "p", waiting: "w", confirmed: "c" };

type Found = NonNullable<Awaited<ReturnType<typeof organisedEvent>>>;

/** Edits the screen a button was pressed on (lists change in place), or sends a new one. */
async function screen(ctx: BotContext, text: string, kb: InlineKeyboard): Promise<void> {
  if (ctx.callbackQuery?.message) {
    // "Not modified" (a press that changed nothing, such as a double tap) means the screen is right.
    const edited = await ctx.editMessageText(text, { reply_markup: kb }).then(() => true, (err: Error) => /not modified/i.test(err.message));
    if (edited) return;
  }
  await ctx.reply(text, { reply_markup: kb });
}

const refuse = (ctx: BotContext) => (ctx.callbackQuery ? ack(ctx, ctx.t("organiser.not_allowed"), true) : ctx.reply(ctx.t("organiser.not_allowed")).then(() => undefined));

/** The event of a press, if the presser may organise it; else the press is refused and null returned. */
async function pressed(ctx: BotContext, id: string | undefined): Promise<Found | null> {
  const found = await organisedEvent(ctx, dbInt(id));
  if (!found) await refuse(ctx);
  return found;
}

/** Opens one of the organiser's conversations, unless a form is half-way (then: continue or start over). */
async function enter(ctx: BotContext, id: string, arg: number | null): Promise<void> {
  if (hasUnfinishedForm(ctx)) return offerResume(ctx);
  await ctx.conversation.enter(id, arg);
}

const nameOf = (ctx: BotContext, name: string | null) => escapeHtml(cut(name ?? ctx.t("organiser.erased"), NAME_SHOWN));
const titleOf = (ctx: BotContext, e: { title: string }, max = 200) => escapeHtml(cut(localised(e.title, ctx.locale), max));

async function listEvents(ctx: BotContext, page: number): Promise<void> {
  const by = await organiserOf(ctx);
  if (!by) return refuse(ctx);
  const p = await organisersEvents(ctx.deps.prisma, ctx.deps.clock, by, page, EVENTS_PAGE);
  const kb = new InlineKeyboard();
  for (const e of p.items) kb.text(cut(`${ctx.t(`organiser.status_icon.${e.status}`)} ${localised(e.title, ctx.locale)} · ${when(e, ctx.locale)}`, 60), `org:ev:${e.id}`).row();
  if (page > 0) kb.text(ctx.t("events.prev"), `org:list:${page - 1}`);
  if (p.hasMore) kb.text(ctx.t("events.next"), `org:list:${page + 1}`);
  kb.row().text(ctx.t("organiser.new_button"), "org:new");
  await screen(ctx, ctx.t(p.items.length || page ? "organiser.events" : "organiser.no_events"), kb);
}

async function panel(ctx: BotContext, { event: e }: Found): Promise<void> {
  const counts = Object.fromEntries(
    (await ctx.deps.prisma.enrolment.groupBy({ by: ["status"], where: { eventId: e.id }, _count: { _all: true } })).map((g) => [g.status, g._count._all]),
  );
  const text = [
    eventCard(ctx.t, ctx.locale, e, { confirmed: true }),
    "",
    ctx.t(`organiser.status.${e.status}`),
    ctx.t("organiser.counts", { confirmed: counts.confirmed ?? 0, waiting: (counts.waiting ?? 0) + (counts.offered ?? 0), pending: counts.pending_approval ?? 0 }),
    ctx.t("organiser.link", { link: `https://t.me/${ctx.me.username}?start=ev_${e.code}` }),
  ].join("\n");
  const kb = new InlineKeyboard();
  if (e.status === "draft") kb.text(ctx.t("organiser.publish_button"), `org:pub:${e.id}`).row();
  if (e.status === "draft" || e.status === "published") kb.text(ctx.t("organiser.edit_button"), `org:edit:${e.id}`).row();
  kb.text(ctx.t("organiser.tab.c"), `org:su:${e.id}:c:0`).text(ctx.t("organiser.pending_button", { count: counts.pending_approval ?? 0 }), `org:su:${e.id}:p:0`).row();
  kb.text(ctx.t("organiser.tab.w"), `org:su:${e.id}:w:0`).row();
  kb.text(ctx.t("organiser.attendance_button"), `org:att:${e.id}:0:0`).text(ctx.t("organiser.import_button"), `org:imp:${e.id}`).row();
  kb.text(ctx.t("organiser.write_button"), `org:msg:${e.id}`).text(ctx.t("organiser.figures_button"), `org:fig:${e.id}`).row();
  kb.text(ctx.t("organiser.back_to_events"), "org:list:0");
  await screen(ctx, text, kb);
}

async function roster(ctx: BotContext, { event: e }: Found, list: RosterList, page: number): Promise<void> {
  const size = list === "pending_approval" ? BUTTON_PAGE : ROSTER_PAGE;
  const r = await signUps(ctx.deps.prisma, e.id, list, page, size);
  const lines = [ctx.t(`organiser.list_title.${LIST_CODE[list]}`, { title: titleOf(ctx, e), count: r.total, interpolation: { escapeValue: false } })];
  const kb = new InlineKeyboard();
  r.items.forEach((x, i) => {
    const where = [x.regionCode, x.role ? ctx.t(`registration.roles.${x.role}`) : null, x.seats > 1 ? ctx.t("organiser.seats", { count: x.seats }) : null].filter(Boolean).join(" · ");
    lines.push(`${page * size + i + 1}. ${nameOf(ctx, x.name)} — №${x.enrolmentId}${where ? ` · ${escapeHtml(where)}` : ""}`);
    if (list === "pending_approval") kb.text(`✅ №${x.enrolmentId}`, `org:ok:${e.id}:${x.enrolmentId}`).text(`❌ №${x.enrolmentId}`, `org:no:${e.id}:${x.enrolmentId}`).row();
  });
  if (!r.total) lines.push(ctx.t("organiser.list_empty"));
  const code = LIST_CODE[list];
  if (page > 0) kb.text(ctx.t("events.prev"), `org:su:${e.id}:${code}:${page - 1}`);
  if (r.hasMore) kb.text(ctx.t("events.next"), `org:su:${e.id}:${code}:${page + 1}`);
  kb.row();
  for (const other of ["c", "p", "w"].filter((c) => c !== code)) kb.text(ctx.t(`organiser.tab.${other}`), `org:su:${e.id}:${other}:0`);
  kb.row().text(ctx.t("organiser.back_to_event"), `org:ev:${e.id}`);
  await screen(ctx, lines.join("\n"), kb);
}

async function sheet(ctx: BotContext, { event: e }: Found, dayIndex: number, page: number): Promise<void> {
  const days = eventDays(e);
  const day = days[Math.min(dayIndex, days.length - 1)]!;
  const s = await attendanceSheet(ctx.deps.prisma, e.id, day, page, BUTTON_PAGE);
  const kb = new InlineKeyboard();
  const d = days.indexOf(day);
  for (const x of s.items) kb.text(`${x.present ? "✅" : "⬜️"} ${cut(x.name ?? ctx.t("organiser.erased"), 40)} №${x.enrolmentId}`, `org:mark:${e.id}:${d}:${x.enrolmentId}:${x.present ? "u" : "m"}:${page}`).row();
  if (page > 0) kb.text(ctx.t("events.prev"), `org:att:${e.id}:${d}:${page - 1}`);
  if (s.hasMore) kb.text(ctx.t("events.next"), `org:att:${e.id}:${d}:${page + 1}`);
  kb.row();
  // Days of a multi-day event: a row of buttons (a week or so fits; longer events page by the day buttons shown).
  if (days.length > 1) {
    days.slice(Math.max(0, d - 3), d + 4).forEach((x) => kb.text(`${x === day ? "• " : ""}${x.slice(5)}`, `org:att:${e.id}:${days.indexOf(x)}:0`));
    kb.row();
  }
  kb.text(ctx.t("organiser.back_to_event"), `org:ev:${e.id}`);
  const text = ctx.t("organiser.attendance", { title: titleOf(ctx, e), day, present: s.present, total: s.total, interpolation: { escapeValue: false } });
  await screen(ctx, s.total ? text : `${text}\n${ctx.t("organiser.list_empty")}`, kb);
}

async function figures(ctx: BotContext, { event: e }: Found): Promise<void> {
  const f = (await eventFigures(ctx.deps.prisma, ctx.deps.clock, e.id))!;
  const lines = [
    ctx.t("organiser.figures.title", { title: titleOf(ctx, e), interpolation: { escapeValue: false } }),
    ctx.t("organiser.figures.main", { signedUp: f.signedUp, confirmed: f.confirmed, waiting: f.waiting + f.offered, pending: f.pendingApproval, approved: f.approved, rejected: f.rejected, cancelled: f.cancelled, attended: f.attended }),
    f.noShows === null ? ctx.t("organiser.figures.no_shows_later") : ctx.t("organiser.figures.no_shows", { count: f.noShows }),
  ];
  // Up to 30 rows of each breakdown: the longest (every region of Russia) still fits one message.
  const part = (head: string, rows: { key: string; confirmed: number; attended: number }[], label: (k: string) => string) => {
    if (!rows.length) return;
    lines.push("", head, ...rows.slice(0, 30).map((b) => `• ${escapeHtml(label(b.key))}: ${b.confirmed} / ${b.attended}`));
    if (rows.length > 30) lines.push(ctx.t("organiser.figures.more", { count: rows.length - 30 }));
  };
  part(ctx.t("organiser.figures.by_region"), f.byRegion, (k) => (k === "unknown" ? "—" : k));
  part(ctx.t("organiser.figures.by_role"), f.byRole, (k) => (k === "unknown" ? "—" : ctx.t(`registration.roles.${k}`)));
  if (e.seriesId) {
    const series = await ctx.deps.prisma.eventSeries.findUnique({ where: { id: e.seriesId } });
    const s = await seriesFigures(ctx.deps.prisma, e.seriesId);
    if (series && s) lines.push("", ctx.t("organiser.figures.series", { title: escapeHtml(cut(localised(series.title, ctx.locale), 200)), events: s.events, participants: s.participants, completed: s.completed, after: series.completeAfter, interpolation: { escapeValue: false } }));
  }
  await screen(ctx, lines.join("\n"), new InlineKeyboard().text(ctx.t("organiser.back_to_event"), `org:ev:${e.id}`));
}

function organise(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.command("organise", (ctx) => listEvents(ctx, 0));
  c.callbackQuery(/^org:list:(\d{1,4})$/, async (ctx) => {
    await ack(ctx);
    await listEvents(ctx, Number(ctx.match[1]));
  });
  c.callbackQuery("org:new", async (ctx) => {
    if (!(await organiserOf(ctx))) return refuse(ctx);
    await ack(ctx);
    await enter(ctx, EVENT_EDITOR, null);
  });
  c.callbackQuery(/^org:(ev|edit|pub|fig|imp|msg):(\d+)$/, async (ctx) => {
    const found = await pressed(ctx, ctx.match[2]);
    if (!found) return;
    const action = ctx.match[1];
    if (action === "pub") {
      const ok = await publishEvent(ctx.deps.prisma, ctx.deps.clock, found.event.id, found.by);
      await ack(ctx, ctx.t(ok ? "organiser.published" : "organiser.not_published"), !ok);
      return panel(ctx, (await organisedEvent(ctx, found.event.id)) ?? found);
    }
    await ack(ctx);
    if (action === "ev") return panel(ctx, found);
    if (action === "fig") return figures(ctx, found);
    await enter(ctx, action === "edit" ? EVENT_EDITOR : action === "imp" ? EVENT_IMPORT : EVENT_ANNOUNCE, found.event.id);
  });
  c.callbackQuery(/^org:su:(\d+):([pwc]):(\d{1,4})$/, async (ctx) => {
    const found = await pressed(ctx, ctx.match[1]);
    if (!found) return;
    await ack(ctx);
    await roster(ctx, found, LISTS[ctx.match[2]!]!, Number(ctx.match[3]));
  });
  c.callbackQuery(/^org:(ok|no):(\d+):(\d+)$/, async (ctx) => {
    const found = await pressed(ctx, ctx.match[2]);
    const enrolmentId = dbInt(ctx.match[3]);
    if (!found) return;
    // The sign-up must be of this event (the service checks the presser may decide it).
    const of = enrolmentId ? await ctx.deps.prisma.enrolment.findFirst({ where: { id: enrolmentId, eventId: found.event.id }, select: { id: true } }) : null;
    const r = of ? await decide(ctx, of.id, ctx.match[1] === "ok") : "not_pending";
    await ack(ctx, ctx.t(`events.decided.${r}`), r === "not_allowed" || r === "not_pending");
    await roster(ctx, found, "pending_approval", 0);
  });
  c.callbackQuery(/^org:att:(\d+):(\d{1,3}):(\d{1,4})$/, async (ctx) => {
    const found = await pressed(ctx, ctx.match[1]);
    if (!found) return;
    await ack(ctx);
    await sheet(ctx, found, Number(ctx.match[2]), Number(ctx.match[3]));
  });
  // The button says what a tap does (mark, or unmark: a mistake at the door), so a double tap on
  // the same screen does it once.
  c.callbackQuery(/^org:mark:(\d+):(\d{1,3}):(\d+):([mu]):(\d{1,4})$/, async (ctx) => {
    const found = await pressed(ctx, ctx.match[1]);
    if (!found) return;
    const day = eventDays(found.event)[Number(ctx.match[2])];
    const enrolmentId = dbInt(ctx.match[3]);
    const mine = enrolmentId && day ? await ctx.deps.prisma.enrolment.findFirst({ where: { id: enrolmentId, eventId: found.event.id }, select: { id: true } }) : null;
    if (!mine || !day) return ack(ctx, ctx.t("errors.stale_button"), true);
    const result = ctx.match[4] === "u"
      ? ((await uncheck(ctx.deps.prisma, { enrolmentId: mine.id, day, by: found.by })) ? "unmarked" : "not_marked")
      : (await checkIn(ctx.deps.prisma, ctx.deps.clock, { eventId: found.event.id, enrolmentId: mine.id, day, by: found.by })).result;
    await ack(ctx, ctx.t(`organiser.mark.${result}`), result === "not_enrolled" || result === "wrong_day" || result === "not_allowed");
    await sheet(ctx, found, Number(ctx.match[2]), Number(ctx.match[5]));
  });
  return c;
}

export const organiseFeature: Feature = { name: "organise", composer: organise(), commands: ["organise"], conversations: [...editorConversations, ...participantsConversations] };
