// The text of a case card (/case): status, figures, the latest of the timeline and of the
// conversation. A case can hold any number of long messages, so the card is built to fit one
// Telegram message: each message is cut, and the oldest lines give way first. The actions (the
// card's buttons) never depend on how long the case is.
import type { BotContext } from "../../context.js";
import { escapeHtml } from "../../../i18n.js";
import { caseFigures, type ViewedCase } from "../../../services/cases/queries.js";
import { cut, TEXT_LIMIT } from "../../../services/text.js";
import { fitLines } from "../../ui/fit.js";
import { localStamp } from "../../ui/dates.js";

/** How much of each message the card shows; /case is an overview, the chat holds the full text. */
const MESSAGE_EXCERPT = 300;
const EVENTS_SHOWN = 12;


export function caseCardText(ctx: BotContext, c: ViewedCase, staff: boolean): string {
  const head = [
    ctx.t("cases.card", { number: c.number, category: ctx.t(`categories.${c.category}`), status: ctx.t(`cases.status.${c.status}`), urgency: ctx.t(`help_request.urgency.${c.urgency}`) }),
  ];
  if (!staff) return head.join("\n");
  const f = caseFigures(c);
  head.push(ctx.t("coordinator.figures", { first: f.firstResponseMinutes ?? "—", resolved: f.resolutionMinutes ?? "—" }));
  head.push("", `<b>${ctx.t("coordinator.timeline")}</b>`);
  const events = c.events.slice(-EVENTS_SHOWN);
  if (c.events.length > events.length) head.push(ctx.t("coordinator.earlier", { count: c.events.length - events.length }));
  for (const e of events) {
    head.push(`${localStamp(ctx, e.at)} · ${ctx.t(`coordinator.event.${e.type}`)}${e.detail && e.type === "status" ? ` → ${ctx.t(`cases.status.${e.detail}`)}` : ""}`);
  }
  head.push("", `<b>${ctx.t("coordinator.messages")}</b>`);
  const lines = c.messages.map((m) => {
    const file = m.fileId || m.kind !== "text" ? `[${ctx.t(`coordinator.kind.${m.kind}`)}]${m.text ? " " : ""}` : "";
    return `${ctx.t(`coordinator.author.${m.author}`)}: ${file}${escapeHtml(cut(m.text ?? "", MESSAGE_EXCERPT))}`;
  });
  return fitLines(head, lines, TEXT_LIMIT, (count) => ctx.t("coordinator.earlier", { count }));
}
