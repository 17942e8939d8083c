// Two short conversations from an organiser's event panel: writing to everyone at the event (whom,
// the text, a preview with how many it reaches, then Send: queued through the outbox by
// services/events/announce.ts), and importing attendance from a CSV document (the same import as
// the CLI's, services/events/attendance-import.ts) with a summary of what was marked.
import type { FlowContext } from "../../context.js";
import { ask, BACK, type Button, type Flow } from "../../forms/ask.js";
import { escapeHtml } from "../../../i18n.js";
import { cut } from "../../../services/text.js";
import { announce, announcementAudience, ANNOUNCEMENT_MAX } from "../../../services/events/announce.js";
import { importAttendance, type ImportResult } from "../../../services/events/attendance-import.js";
import { downloadFile } from "../../transport/files.js";
import { pressKey } from "../cases/incoming.js";
import { organisedEvent } from "./actor.js";
import { localised } from "./view.js";

export const EVENT_ANNOUNCE = "event-announce";
export const EVENT_IMPORT = "event-import";

/** A CSV of attendance is a few hundred rows; a file far beyond is not one. */
const CSV_MAX_BYTES = 512 * 1024;
/** Problem rows listed in the summary (the rest are counted), so it fits one message. */
const PROBLEMS_SHOWN = 40;

async function writeToParticipants(conversation: Flow, ctx: FlowContext, eventId: number) {
  const facts = await conversation.external(async () => {
    const found = await organisedEvent(ctx, eventId);
    if (!found || found.event.status === "cancelled") return null;
    const [confirmed, all] = await Promise.all([announcementAudience(ctx.deps.prisma, eventId, false), announcementAudience(ctx.deps.prisma, eventId, true)]);
    return { title: found.event.title, confirmed, all };
  });
  if (!facts) return void (await ctx.reply(ctx.t("organiser.not_allowed")));
  const title = escapeHtml(cut(localised(facts.title, ctx.locale), 200));
  const whom: Button[][] = [[[ctx.t("organiser.to_confirmed", { count: facts.confirmed }), "form:to:c"]], ...(facts.all > facts.confirmed ? [[[ctx.t("organiser.to_all", { count: facts.all }), "form:to:w"] as Button]] : [])];
  for (;;) {
    const waiting = await ask<boolean>(conversation, ctx, {
      text: ctx.t("organiser.write_whom", { title, interpolation: { escapeValue: false } }), buttons: whom, back: false,
      handle: async (u) => (u.callbackQuery?.data === "form:to:c" ? { done: false } : u.callbackQuery?.data === "form:to:w" ? { done: true } : u.message ? { error: "use_buttons" } : undefined),
    });
    if (typeof waiting !== "boolean") continue;
    const text = await ask<string>(conversation, ctx, {
      text: ctx.t("organiser.write_text", { max: ANNOUNCEMENT_MAX }), back: true,
      handle: async (u) => {
        const s = u.message?.text?.trim();
        if (!s) return u.message ? { show: `${u.t("organiser.problem.text_only")}\n\n${u.t("organiser.write_text", { max: ANNOUNCEMENT_MAX })}`, buttons: [] } : undefined;
        return s.length > ANNOUNCEMENT_MAX ? { error: "text_long", params: { max: ANNOUNCEMENT_MAX } } : { done: s };
      },
    });
    if (text === BACK || typeof text !== "string") continue;
    const count = waiting ? facts.all : facts.confirmed;
    const rendered = ctx.t("organiser.notice.message", { title, text: escapeHtml(text), interpolation: { escapeValue: false } });
    const key = await ask<string>(conversation, ctx, {
      text: `${ctx.t("organiser.write_preview", { count })}\n\n${rendered}`, buttons: [[[ctx.t("organiser.send_button", { count }), "form:send"]]], back: true,
      handle: async (u) => (u.callbackQuery?.data === "form:send" ? { done: pressKey(u.callbackQuery) } : u.message ? { error: "use_buttons" } : undefined),
    });
    if (typeof key !== "string") continue;
    const r = await conversation.external(async () => {
      const found = await organisedEvent(ctx, eventId);
      return found ? announce(ctx.deps.prisma, ctx.deps.clock, { eventId, text, waiting, by: found.by, key }) : "not_allowed";
    });
    return void (await ctx.reply(typeof r === "object" ? ctx.t("organiser.write_queued", { count: r.recipients }) : ctx.t(`organiser.write_refused.${r}`)));
  }
}

/** The import's summary: counts, then the rows not marked with their line numbers. */
function summary(ctx: FlowContext, r: ImportResult): string {
  if (typeof r === "string") return ctx.t(`organiser.import_refused.${r}`);
  const lines = [ctx.t("organiser.import_done", { marked: r.marked, already: r.already, problems: r.problems.length })];
  for (const p of r.problems.slice(0, PROBLEMS_SHOWN)) lines.push(ctx.t(`organiser.import_problem.${p.problem}`, { line: p.line }));
  if (r.problems.length > PROBLEMS_SHOWN) lines.push(ctx.t("organiser.import_more", { count: r.problems.length - PROBLEMS_SHOWN }));
  return lines.join("\n");
}

async function importCsv(conversation: Flow, ctx: FlowContext, eventId: number) {
  const ok = await conversation.external(async () => !!(await organisedEvent(ctx, eventId)));
  if (!ok) return void (await ctx.reply(ctx.t("organiser.not_allowed")));
  const fileId = await ask<string>(conversation, ctx, {
    text: ctx.t("organiser.import_ask"), back: false,
    handle: async (u) => {
      const d = u.message?.document;
      if (!d) return u.message ? { show: `${u.t("organiser.problem.csv_only")}\n\n${u.t("organiser.import_ask")}`, buttons: [] } : undefined;
      if ((d.file_size ?? 0) > CSV_MAX_BYTES) return { show: `${u.t("organiser.problem.csv_big")}\n\n${u.t("organiser.import_ask")}`, buttons: [] };
      return { done: d.file_id };
    },
  });
  if (typeof fileId !== "string") return;
  const r = await conversation.external(async (): Promise<ImportResult | "download"> => {
    const got = await downloadFile(ctx.api, ctx.deps, fileId, CSV_MAX_BYTES);
    if ("refused" in got) return "download";
    const found = await organisedEvent(ctx, eventId);
    if (!found) return "not_allowed";
    return importAttendance(ctx.deps.prisma, ctx.deps.clock, { eventId, csv: got.bytes.toString("utf8"), by: found.by });
  });
  await ctx.reply(r === "download" ? ctx.t("organiser.problem.csv_download") : summary(ctx, r));
}

export const participantsConversations = [
  { id: EVENT_ANNOUNCE, builder: writeToParticipants },
  { id: EVENT_IMPORT, builder: importCsv },
];
