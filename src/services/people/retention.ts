// How long what a person left half-way is kept: an unfinished form (name, phone, date of birth, a
// description) and messages held for "which request?" are deleted after FORM_EXPIRY_DAYS without
// activity, as the consent text says.
import type { Db } from "../../db/client.js";

/** Deletes conversation state (keys starting with `prefix`) and held messages untouched since `olderThan`. */
export async function expireUnfinished(db: Db, olderThan: Date, prefix: string): Promise<number> {
  const forms = await db.session.deleteMany({ where: { key: { startsWith: prefix }, updatedAt: { lt: olderThan } } });
  const held = await db.heldMessage.deleteMany({ where: { createdAt: { lt: olderThan } } });
  return forms.count + held.count;
}
