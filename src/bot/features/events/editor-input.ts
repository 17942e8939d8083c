// What the event editor's fields share: the event being written (the event file's fields, JSON-safe
// for the conversation's replay) and one question asked as free text or buttons, answered kindly
// when the text is wrong. Used by editor.ts (the fields one at a time) and editor-extras.ts
// (questions, quotas, party, series); it never saves anything.
import type { FlowContext } from "../../context.js";
import { ask, BACK, RESTART, type Button, type Flow } from "../../forms/ask.js";
import type { EventSpec } from "../../../services/events/spec.js";

export type Localised = { ru: string } & Record<string, string>;
/** An event being written. */
export type Spec = Omit<EventSpec, "title" | "description"> & { title: Localised; description?: Localised };
export type Problem = { problem: string; params?: Record<string, unknown> };
export type Got<T> = Promise<T | typeof BACK | typeof RESTART>;

const text = (u: FlowContext) => u.message?.text?.trim();
const show = (u: FlowContext, q: string, key: string, params: Record<string, unknown> = {}, buttons: Button[][] = []) => ({ show: `${u.t(`organiser.problem.${key}`, params)}\n\n${q}`, buttons });
export const isProblem = (r: unknown): r is Problem => typeof r === "object" && r !== null && "problem" in r && !Array.isArray(r);

/** One question with a free-text answer (or its buttons); `read` says what the text means. */
export function askText<T>(conversation: Flow, ctx: FlowContext, q: string, buttons: Button[][], back: boolean, read: (u: FlowContext, s: string) => Promise<T | Problem>, press?: (data: string) => T | undefined): Got<T> {
  return ask<T>(conversation, ctx, {
    text: q, buttons, back,
    handle: async (u) => {
      const data = u.callbackQuery?.data;
      if (data !== undefined) {
        const v = press?.(data);
        return v !== undefined ? { done: v } : undefined;
      }
      const s = text(u);
      if (!s) return u.message ? show(u, q, "text_only", {}, buttons) : undefined;
      const r = await read(u, s);
      return isProblem(r) ? show(u, q, r.problem, r.params, buttons) : { done: r };
    },
  });
}

/** Applies an answer unless the person went back. */
export function with_<T>(v: T | typeof BACK | typeof RESTART, f: (v: T) => Spec): Spec | typeof BACK | typeof RESTART {
  if (v === BACK || v === RESTART) return v as typeof BACK | typeof RESTART;
  return f(v as T);
}

/** The spec without `field` when `v` is empty, else with it. */
export function setOrClear<K extends keyof Spec>(spec: Spec, field: K, v: Spec[K] | "" | undefined): Spec {
  const { [field]: _gone, ...rest } = spec;
  return v === "" || v === undefined ? (rest as Spec) : ({ ...rest, [field]: v } as unknown as Spec);
}
