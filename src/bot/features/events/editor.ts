// The event editor: an organiser creates an event in a conversation, one field at a time, sees a
// preview and saves it as a draft or publishes it; an existing event opens at the preview, where any
// field can be changed. The fields are those of an event file (services/events/spec.ts) and are
// checked by the same rules before anything is saved; a published event's new time or place is told
// to everyone signed up by the service (organise.ts updateEvent). Translations of the description,
// extra questions, quotas, party size and series are set from the preview (editor-extras.ts).
import { InlineKeyboard } from "grammy";
import type { FlowContext } from "../../context.js";
import { ask, BACK, RESTART, type Button, type Flow } from "../../forms/ask.js";
import { escapeHtml } from "../../../i18n.js";
import { cut, TEXT_LIMIT, visibleLength } from "../../../services/text.js";
import { EVENT_KINDS, ROLES, type EventKind } from "../../../services/vocabulary.js";
import { answeredQuestions, createEvent, publishEvent, updateEvent, type EventChange } from "../../../services/events/organise.js";
import { questionsOf } from "../../../services/events/rules.js";
import { REST } from "../../../services/events/seats.js";
import { checkEventSpec, DESCRIPTION_MAX, formatLocal, localToUtc, PLACE_MAX, problemField, TITLE_MAX } from "../../../services/events/spec.js";
import { isTimeZone } from "../../../services/events/settings.js";
import { pressKey } from "../cases/incoming.js";
import { organisedEvent, organiserOf } from "./actor.js";
import { askText, setOrClear, with_, type Got, type Localised, type Problem, type Spec } from "./editor-input.js";
import { askParty, askQuestions, askQuotas, askSeries, type Facts } from "./editor-extras.js";
import { eventSettings } from "./settings.js";
import { eventCard } from "./view.js";

export const EVENT_EDITOR = "event-editor";

/** The fields a new event is asked in turn; the preview also changes EXTRA ones. */
const FIELDS = ["title", "title_en", "title_lt", "description", "kind", "timeZone", "starts", "ends", "place", "online", "regions", "audience", "ages", "capacity", "deadline", "approval"] as const;
const EXTRA = ["description_en", "description_lt", "questions", "quotas", "party", "series"] as const;
type Field = (typeof FIELDS)[number] | (typeof EXTRA)[number];
const ALL: readonly Field[] = [...FIELDS, ...EXTRA];
const URL_MAX = 500;
const REGIONS_MAX = 100;
const DETAIL_SHOWN = 300;

/** "12.07.2027 10:00" or "2027-07-12 10:00" as "2027-07-12 10:00"; a date alone gets `time`. */
function localOf(s: string, time?: string): string | null {
  const m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\s+(\d{1,2}):(\d{2}))?$/.exec(s) ?? null;
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}))?$/.exec(s);
  const [y, mo, d, h, mi] = m ? [m[3], m[2], m[1], m[4], m[5]] : iso ? [iso[1], iso[2], iso[3], iso[4], iso[5]] : [];
  if (!y) return null;
  const hm = h !== undefined ? `${h.padStart(2, "0")}:${mi}` : time;
  return hm ? `${y}-${mo!.padStart(2, "0")}-${d!.padStart(2, "0")} ${hm}` : null;
}

/** Asks one field and returns the spec with it changed (or BACK). */
async function askField(conversation: Flow, ctx: FlowContext, field: Field, spec: Spec, back: boolean, defaultZone: string, facts: Facts): Got<Spec> {
  const t = ctx.t;
  if (field === "questions") return askQuestions(conversation, ctx, spec, facts);
  if (field === "quotas") return askQuotas(conversation, ctx, spec, facts, back);
  if (field === "party") return askParty(conversation, ctx, spec, back);
  if (field === "series") return askSeries(conversation, ctx, spec, back);
  const q = t(`organiser.ask.${field}`, { zone: defaultZone, limit: TITLE_MAX, max: DESCRIPTION_MAX });
  const long = (max: number): Problem => ({ problem: "too_long", params: { max } });
  const now = async () => new Date(await conversation.now());
  switch (field) {
    case "title":
      return with_(await askText<string>(conversation, ctx, q, [], back, async (_u, s) => (s.length > TITLE_MAX ? long(TITLE_MAX) : s)), (v) => ({ ...spec, title: { ...spec.title, ru: v } }));
    case "title_en":
    case "title_lt": {
      const lang = field === "title_en" ? "en" : "lt";
      const set = (v: string) => {
        const title = { ...spec.title };
        if (v) title[lang] = v;
        else delete title[lang];
        return { ...spec, title };
      };
      return with_(await askText<string>(conversation, ctx, q, [[[t("organiser.skip"), "form:ed:none"]]], back, async (_u, s) => (s.length > TITLE_MAX ? long(TITLE_MAX) : s), (d) => (d === "form:ed:none" ? "" : undefined)), set);
    }
    case "description":
      return with_(
        await askText<string>(conversation, ctx, q, [[[t("organiser.skip"), "form:ed:none"]]], back, async (_u, s) => (s.length > DESCRIPTION_MAX ? long(DESCRIPTION_MAX) : s), (d) => (d === "form:ed:none" ? "" : undefined)),
        // Without a Russian text there is no description (the file's rule): the translations go too.
        (v) => setOrClear(spec, "description", v ? { ...(spec.description ?? {}), ru: v } : ""),
      );
    case "description_en":
    case "description_lt": {
      const lang = field === "description_en" ? "en" : "lt";
      if (!spec.description?.ru) {
        await ctx.reply(t("organiser.problem.description_ru_first"));
        return spec;
      }
      return with_(
        await askText<string>(conversation, ctx, q, [[[t("organiser.clear"), "form:ed:none"]]], back, async (_u, s) => (s.length > DESCRIPTION_MAX ? long(DESCRIPTION_MAX) : s), (d) => (d === "form:ed:none" ? "" : undefined)),
        (v) => {
          const description = { ...spec.description! };
          if (v) description[lang] = v;
          else delete description[lang];
          return { ...spec, description };
        },
      );
    }
    case "kind": {
      const buttons: Button[][] = EVENT_KINDS.map((k) => [[t(`events.kind.${k}`), `form:ed:kind:${k}`]]);
      return with_(await askText<EventKind>(conversation, ctx, q, buttons, back, async () => ({ problem: "use_buttons" }), (d) => EVENT_KINDS.find((k) => d === `form:ed:kind:${k}`)), (kind) => ({ ...spec, kind }));
    }
    case "timeZone":
      return with_(
        await askText<string>(conversation, ctx, q, [[[defaultZone, "form:ed:tz"]]], back, async (_u, s) => (isTimeZone(s) && s.includes("/") ? s : { problem: "time_zone" }), (d) => (d === "form:ed:tz" ? defaultZone : undefined)),
        (timeZone) => ({ ...spec, timeZone }),
      );
    case "starts":
    case "ends":
    case "deadline": {
      const buttons: Button[][] = field === "deadline" ? [[[t("organiser.until_start"), "form:ed:none"]]] : [];
      const v = await askText<string>(conversation, ctx, q, buttons, back, async (_u, s) => {
        const local = localOf(s, field === "deadline" ? "23:59" : undefined);
        if (!local) return { problem: "date_format" };
        const at = localToUtc(local, spec.timeZone);
        if (typeof at === "string") return { problem: "date_unreal" };
        if (at <= (await now())) return { problem: "date_past" };
        const starts = spec.starts ? localToUtc(spec.starts, spec.timeZone) : null;
        if (field === "ends" && starts instanceof Date && at <= starts) return { problem: "ends_before" };
        if (field === "deadline" && starts instanceof Date && at > starts) return { problem: "deadline_after" };
        return local;
      }, (d) => (d === "form:ed:none" ? "" : undefined));
      if (field === "starts") return with_(v, (starts) => ({ ...spec, starts }));
      if (field === "ends") return with_(v, (ends) => ({ ...spec, ends }));
      return with_(v, (d) => {
        const { signupDeadline: _s, ...rest } = spec;
        return d ? { ...rest, signupDeadline: d } : rest;
      });
    }
    case "place":
      return with_(await askText<string>(conversation, ctx, q, [[[t("organiser.online_only"), "form:ed:none"]]], back, async (_u, s) => (s.length > PLACE_MAX ? long(PLACE_MAX) : s), (d) => (d === "form:ed:none" ? "" : undefined)), (v) => {
        const { place: _p, ...rest } = spec;
        return v ? { ...rest, place: v } : rest;
      });
    case "online":
      return with_(await askText<string>(conversation, ctx, q, [[[t("organiser.no_link"), "form:ed:none"]]], back, async (_u, s) => (s.length > URL_MAX ? long(URL_MAX) : /^https?:\/\/\S+\.\S+$/i.test(s) ? s : { problem: "url" }), (d) => (d === "form:ed:none" ? "" : undefined)), (v) => {
        const { online: _o, ...rest } = spec;
        return v ? { ...rest, online: v } : rest;
      });
    case "regions":
      return with_(
        await askText<string[] | "all">(conversation, ctx, q, [[[t("organiser.all_regions"), "form:ed:all"]]], back, async (_u, s) => {
          const codes = [...new Set(s.toUpperCase().split(/[\s,;]+/).filter(Boolean))];
          if (codes.length > REGIONS_MAX) return { problem: "too_many_regions", params: { max: REGIONS_MAX } };
          const known = await conversation.external(async () => (await ctx.deps.prisma.region.findMany({ where: { code: { in: codes } }, select: { code: true } })).map((r) => r.code));
          const unknown = codes.filter((c) => !known.includes(c));
          return unknown.length ? { problem: "unknown_regions", params: { codes: cut(unknown.join(", "), 300) } } : codes;
        }, (d) => (d === "form:ed:all" ? ("all" as const) : undefined)),
        (regions) => ({ ...spec, regions }),
      );
    case "audience": {
      let chosen = spec.audience === "everyone" || !spec.audience ? [] : [...spec.audience];
      const buttons = (): Button[][] => [...ROLES.map((r): Button[] => [[`${chosen.includes(r) ? "✅ " : ""}${t(`registration.roles.${r}`)}`, `form:ed:aud:${r}`]]), [[t("organiser.done"), "form:ed:aud:done"]]];
      const v = await ask<string[]>(conversation, ctx, {
        text: q, buttons: buttons(), back,
        handle: async (u) => {
          const data = u.callbackQuery?.data ?? "";
          if (data === "form:ed:aud:done") return { done: chosen };
          const role = ROLES.find((r) => data === `form:ed:aud:${r}`);
          if (role) {
            chosen = chosen.includes(role) ? chosen.filter((r) => r !== role) : [...chosen, role];
            return { edit: buttons() };
          }
          return u.message ? { error: "use_buttons" } : undefined;
        },
      });
      return with_(v, (list) => ({ ...spec, audience: list.length ? (list as typeof ROLES[number][]) : "everyone" }));
    }
    case "ages":
      return with_(
        await askText<{ min?: number; max?: number }>(conversation, ctx, q, [[[t("organiser.no_limits"), "form:ed:none"]]], back, async (_u, s) => {
          // "14-23", "14+" (or "14-"), "-23"
          const m = /^(\d{1,2})?\s*[-–+]\s*(\d{1,2})?$/.exec(s);
          const min = m?.[1] === undefined ? undefined : Number(m[1]);
          const max = m?.[2] === undefined ? undefined : Number(m[2]);
          if (!m || (min === undefined && max === undefined) || (min !== undefined && max !== undefined && min > max)) return { problem: "ages" };
          return { min, max };
        }, (d) => (d === "form:ed:none" ? {} : undefined)),
        (a: { min?: number; max?: number }) => {
          const { minAge: _a, maxAge: _b, ...rest } = spec;
          return { ...rest, ...(a.min !== undefined ? { minAge: a.min } : {}), ...(a.max !== undefined ? { maxAge: a.max } : {}) };
        },
      );
    case "capacity":
      return with_(
        await askText<number>(conversation, ctx, q, [[[t("organiser.unlimited"), "form:ed:none"]]], back, async (_u, s) => (/^\d{1,6}$/.test(s) && Number(s) >= 1 ? Number(s) : { problem: "capacity" }), (d) => (d === "form:ed:none" ? 0 : undefined)),
        (n) => {
          const { capacity: _c, ...rest } = spec;
          return n ? { ...rest, capacity: n } : rest;
        },
      );
    case "approval":
      return with_(
        await askText<boolean>(conversation, ctx, q, [[[t("events.yes"), "form:ed:yes"], [t("events.no"), "form:ed:no"]]], back, async () => ({ problem: "use_buttons" }), (d) => (d === "form:ed:yes" ? true : d === "form:ed:no" ? false : undefined)),
        (needsApproval) => ({ ...spec, needsApproval }),
      );
  }
}

/** The preview: the card as participants will see it, and what the card does not show. */
function preview(ctx: FlowContext, spec: Spec, seatsTaken: number, problems: string[]): string {
  const t = ctx.t;
  const startsAt = spec.starts ? localToUtc(spec.starts, spec.timeZone) : null;
  const endsAt = spec.ends ? localToUtc(spec.ends, spec.timeZone) : null;
  const card = (description: Record<string, string>) => startsAt instanceof Date && endsAt instanceof Date && endsAt > startsAt
    ? eventCard(t, ctx.locale, { kind: spec.kind, title: JSON.stringify(spec.title), description: JSON.stringify(description), startsAt, endsAt, timeZone: spec.timeZone, place: spec.place ?? null, onlineUrl: spec.online ?? null, capacity: spec.capacity ?? null, seatsTaken, waitingList: spec.waitingList ?? true }, { confirmed: true })
    : `<b>${escapeHtml(spec.title.ru)}</b>`;
  const none = t("organiser.none");
  const details = [
    ...(["en", "lt"] as const).map((l) => t(`organiser.preview.title_${l}`, { value: spec.title[l] ? escapeHtml(spec.title[l]) : none, interpolation: { escapeValue: false } })),
    ...(["en", "lt"] as const).map((l) => t(`organiser.preview.description_${l}`, { value: spec.description?.[l] ? escapeHtml(cut(spec.description[l], 60)) : none, interpolation: { escapeValue: false } })),
    t("organiser.preview.time_zone", { value: spec.timeZone }),
    t("organiser.preview.regions", { value: spec.regions === "all" || !spec.regions ? t("organiser.all_regions") : spec.regions.join(", ") }),
    t("organiser.preview.audience", { value: spec.audience === "everyone" || !spec.audience ? t("organiser.everyone") : spec.audience.map((r) => t(`registration.roles.${r}`)).join(", ") }),
    t("organiser.preview.ages", { value: spec.minAge === undefined && spec.maxAge === undefined ? none : `${spec.minAge ?? ""}–${spec.maxAge ?? ""}` }),
    t("organiser.preview.deadline", { value: spec.signupDeadline ?? t("organiser.until_start") }),
    t("organiser.preview.approval", { value: t(spec.needsApproval ? "events.yes" : "events.no") }),
    t("organiser.preview.questions", { n: spec.questions?.length ?? 0, value: escapeHtml(cut((spec.questions ?? []).map((q) => (q.label as Localised)[ctx.locale] ?? q.label.ru).join("; "), DETAIL_SHOWN)), interpolation: { escapeValue: false } }),
    t("organiser.preview.quotas", { value: quotasShown(spec, none) }),
    t("organiser.preview.party", { adults: spec.party?.adults ?? 1, children: spec.party?.children ?? 0 }),
    t("organiser.preview.series", { value: spec.series ?? none }),
  ];
  const head = problems.length ? `${problems.map((p) => `⚠️ ${p}`).join("\n")}\n\n` : "";
  const whole = (c: string) => `${head}${t("organiser.preview.head")}\n\n${c}\n\n${details.join("\n")}`;
  // The longest of everything (titles, place, link, description) is more than one message: the
  // description is shortened in the preview only, by what the rest takes.
  const room = PREVIEW_LIMIT - visibleLength(whole(card({})));
  const shown = Object.fromEntries(Object.entries(spec.description ?? {}).map(([l, d]) => [l, cut(d, Math.max(100, room))]));
  return whole(card(shown));
}

/** "RU-TAM 6, RU-LIP 6 (+10)": seats kept per region, and the shared rest. */
function quotasShown(spec: Spec, none: string): string {
  const list = Object.entries(spec.quotas ?? {});
  if (!list.length) return none;
  const rest = (spec.capacity ?? 0) - list.reduce((a, [, n]) => a + n, 0);
  return cut(`${list.map(([c, n]) => `${c} ${n}`).join(", ")} (+${rest})`, DETAIL_SHOWN);
}

/** Room for the preview: a message, less the editor's own margin. */
const PREVIEW_LIMIT = TEXT_LIMIT - 100;

async function eventEditor(conversation: Flow, ctx: FlowContext, eventId: number | null) {
  const defaultZone = ctx.deps.config.EVENT_TIME_ZONE;
  // Who, and the event as it is: checked again at saving by the services.
  const start = await conversation.external(async () => {
    if (eventId === null) return (await organiserOf(ctx)) ? { spec: null, status: "draft", seatsTaken: 0, answered: [] as string[] } : null;
    const found = await organisedEvent(ctx, eventId);
    if (!found || !["draft", "published"].includes(found.event.status)) return null;
    const { prisma } = ctx.deps;
    const quotas = await prisma.eventQuota.findMany({ where: { eventId, regionCode: { not: REST } }, select: { regionCode: true, seats: true } });
    const series = found.event.seriesId ? await prisma.eventSeries.findUnique({ where: { id: found.event.seriesId }, select: { code: true } }) : null;
    const more = { quotas: Object.fromEntries(quotas.map((q) => [q.regionCode, q.seats])), series: series?.code };
    return { spec: specOf(found.event, more), status: found.event.status, seatsTaken: found.event.seatsTaken, answered: await answeredQuestions(prisma, eventId) };
  });
  if (!start) return void (await ctx.reply(ctx.t("organiser.not_allowed")));
  const suffix = Math.floor((await conversation.random()) * 36 ** 4).toString(36).padStart(4, "0");
  let spec: Spec = start.spec ?? { code: "", kind: "training", title: { ru: "" }, timeZone: defaultZone, starts: "", ends: "", regions: "all", audience: "everyone", needsApproval: false };
  if (!start.spec) {
    // A new event: every field in turn (Back goes one field back).
    const order: Field[] = [...FIELDS];
    for (let i = 0; i < order.length; ) {
      const r = await askField(conversation, ctx, order[i]!, spec, i > 0, defaultZone, start);
      if (r === BACK) i = Math.max(0, i - 1);
      else if (r === RESTART) i = 0;
      else {
        spec = r;
        i++;
      }
    }
    spec = { ...spec, code: `${spec.kind}-${String(spec.starts).slice(0, 10).replaceAll("-", "")}-${suffix}` };
  }
  let problems: string[] = [];
  for (;;) {
    const fieldButtons: Button[][] = [];
    for (let i = 0; i < ALL.length; i += 2) fieldButtons.push(ALL.slice(i, i + 2).map((f): Button => [ctx.t(`organiser.field.${f}`), `form:ed:f:${f}`]));
    const actions: Button[] = start.status === "draft" ? [[ctx.t("organiser.save_draft"), "form:ed:save"], [ctx.t("organiser.publish_button"), "form:ed:pub"]] : [[ctx.t("organiser.save_changes"), "form:ed:save"]];
    const choice = await ask<{ action: string; key: string }>(conversation, ctx, {
      text: preview(ctx, spec, start.seatsTaken, problems), buttons: [actions, ...fieldButtons], back: false,
      handle: async (u) => {
        const data = u.callbackQuery?.data ?? "";
        if (data === "form:ed:save" || data === "form:ed:pub") return { done: { action: data.slice(8), key: pressKey(u.callbackQuery!) } };
        const f = ALL.find((x) => data === `form:ed:f:${x}`);
        if (f) return { done: { action: `f:${f}`, key: "" } };
        return u.message ? { error: "use_buttons" } : undefined;
      },
    });
    if (typeof choice !== "object") continue;
    if (choice.action.startsWith("f:")) {
      const r = await askField(conversation, ctx, choice.action.slice(2) as Field, spec, true, defaultZone, start);
      if (r !== BACK && r !== RESTART) spec = r;
      problems = [];
      continue;
    }
    const saved: Saved = await conversation.external(() => save(ctx, eventId, spec, choice.action === "pub", choice.key));
    if ("problems" in saved) {
      problems = [...new Set(saved.problems.map((p) => ctx.t(`organiser.problem_field.${problemField(p)}`, { defaultValue: ctx.t("organiser.problem_field.file") })))];
      continue;
    }
    if ("refused" in saved) return void (await ctx.reply(ctx.t(`organiser.save_refused.${saved.refused}`)));
    const done = eventId === null ? (choice.action === "pub" ? "created_published" : "created") : choice.action === "pub" ? "saved_published" : "saved";
    return void (await ctx.reply(ctx.t(`organiser.${done}`), { reply_markup: new InlineKeyboard().text(ctx.t("organiser.open_event"), `org:ev:${saved.id}`) }));
  }
}

type Saved = { id: number } | { problems: string[] } | { refused: string };

/** An event as the editor's fields. */
function specOf(e: { code: string; kind: string; title: string; description: string; timeZone: string; startsAt: Date; endsAt: Date; place: string | null; onlineUrl: string | null; regions: string; audience: string; minAge: number | null; maxAge: number | null; capacity: number | null; signUpUntil: Date | null; needsApproval: boolean; waitingList: boolean; questions: string; maxAdults: number; maxChildren: number }, more: { quotas: Record<string, number>; series?: string }): Spec {
  const description = JSON.parse(e.description) as Record<string, string>;
  return {
    code: e.code, kind: e.kind as Spec["kind"], title: JSON.parse(e.title) as Record<string, string> & { ru: string }, timeZone: e.timeZone,
    starts: formatLocal(e.startsAt, e.timeZone), ends: formatLocal(e.endsAt, e.timeZone),
    ...(description.ru ? { description: description as Localised } : {}), ...(e.place ? { place: e.place } : {}), ...(e.onlineUrl ? { online: e.onlineUrl } : {}),
    regions: e.regions ? e.regions.split(",") : "all", audience: e.audience ? (e.audience.split(",") as Spec["audience"]) : "everyone",
    ...(e.minAge !== null ? { minAge: e.minAge } : {}), ...(e.maxAge !== null ? { maxAge: e.maxAge } : {}), ...(e.capacity !== null ? { capacity: e.capacity } : {}),
    ...(e.signUpUntil ? { signupDeadline: formatLocal(e.signUpUntil, e.timeZone) } : {}), needsApproval: e.needsApproval, waitingList: e.waitingList,
    questions: questionsOf(e.questions) as Spec["questions"], ...(Object.keys(more.quotas).length ? { quotas: more.quotas } : {}),
    ...(e.maxAdults !== 1 || e.maxChildren !== 0 ? { party: { adults: e.maxAdults, children: e.maxChildren } } : {}), ...(more.series ? { series: more.series } : {}),
  };
}

/** Checks the fields by the event file's rules and saves: a new event, or the changes of one. */
async function save(ctx: FlowContext, eventId: number | null, spec: Spec, publish: boolean, key: string): Promise<Saved> {
  const { prisma, clock } = ctx.deps;
  const checked = await checkEventSpec(prisma, clock(), spec, eventId ? { except: eventId } : {});
  if ("problems" in checked) return checked;
  const e = checked.event;
  if (eventId === null) {
    const by = await organiserOf(ctx);
    if (!by) return { refused: "not_allowed" };
    const made = await createEvent(prisma, clock, e, by);
    if (made === "not_allowed") return { refused: "not_allowed" };
    if ("invalid" in made) return { problems: [`${made.invalid}: invalid`] };
    if (publish) await publishEvent(prisma, clock, made.id, by);
    return made;
  }
  const found = await organisedEvent(ctx, eventId);
  if (!found) return { refused: "not_allowed" };
  const change: EventChange = {
    kind: e.kind, title: e.title, ...(e.description ? { description: e.description } : {}), timeZone: e.timeZone, startsAt: e.startsAt, endsAt: e.endsAt,
    place: e.place ?? null, onlineUrl: e.onlineUrl ?? null, regions: e.regions ?? [], audience: e.audience ?? [], minAge: e.minAge ?? null, maxAge: e.maxAge ?? null,
    signUpUntil: e.signUpUntil ?? null, needsApproval: e.needsApproval ?? false, maxAdults: e.maxAdults ?? 1, maxChildren: e.maxChildren ?? 0,
    questions: e.questions ?? [], quotas: e.quotas ?? {}, seriesCode: e.seriesCode ?? null,
    ...(e.capacity !== found.event.capacity ? { capacity: e.capacity ?? null } : {}),
  };
  const r = await updateEvent(prisma, clock, eventId, change, found.by, key, eventSettings(ctx.deps.config));
  if (r === "below_taken") return { problems: ["capacity: below the seats taken"] };
  if (r === "quotas_locked" || r === "questions_answered") return { problems: [`${r === "quotas_locked" ? "quotasLocked" : "questionsAnswered"}: refused`] };
  if (typeof r === "object") return { problems: [`${r.invalid}: invalid`] };
  if (r !== "changed") return { refused: r };
  if (publish && found.event.status === "draft") await publishEvent(prisma, clock, eventId, found.by);
  return { id: eventId };
}

export const editorConversations = [{ id: EVENT_EDITOR, builder: eventEditor }];
