// The event file administrators write (YAML): parsed here, checked by the events service's one set
// of rules (services/events/spec.ts, shared with the bot's event editor). Every problem is one line
// "<file>: <field>: <problem>"; a file with any problem creates nothing.
import { parseDocument } from "yaml";
import type { Db } from "../db/client.js";
import type { NewEvent } from "../services/events/organise.js";
import { checkEventSpec } from "../services/events/spec.js";

export { formatLocal, localToUtc } from "../services/events/spec.js";

/** Reads an event file: the NewEvent, or the problem lines. */
export async function readEventFile(db: Db, now: Date, fileName: string, source: string): Promise<{ event: NewEvent } | { problems: string[] }> {
  const doc = parseDocument(source);
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    const line = e.linePos ? ` at line ${e.linePos[0].line}` : "";
    return { problems: [`${fileName}: YAML error${line}: ${e.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "")}`] };
  }
  const r = await checkEventSpec(db, now, doc.toJS() ?? {});
  return "problems" in r ? { problems: r.problems.map((p) => `${fileName}: ${p}`) } : r;
}
