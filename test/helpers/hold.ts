// Making a race happen every time: one connection's first write to a table waits at a gate until
// the test lets it go, so the other side runs in between.
import type { Db } from "../../src/db/client.js";

/** A client whose first `update`/`updateMany` on `model` waits for `release()`; `arrived` resolves when it is held. */
export function heldAtFirstWrite(db: Db, model: "case" | "enrolment") {
  let release!: () => void;
  let arrive!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const arrived = new Promise<void>((r) => (arrive = r));
  let first = true;
  const hold = async () => {
    if (!first) return;
    first = false;
    arrive();
    await gate;
  };
  const wait = { async update({ args, query }: { args: unknown; query: (a: unknown) => Promise<unknown> }) { await hold(); return query(args); },
    async updateMany({ args, query }: { args: unknown; query: (a: unknown) => Promise<unknown> }) { await hold(); return query(args); } };
  const held = db.$extends({ query: { [model]: wait } } as never);
  return { db: held as unknown as Db, arrived, release };
}
