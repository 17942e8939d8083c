// How much keeping a chat's order across processes costs per update on PostgreSQL, for the choice
// made in services/delivery/updates.ts. Three ways, each over the same updates (sequential, then
// three "processes" with their own pools at once):
//   row claim    the inbox claim alone (one process's order only: what sequentialize gives);
//   chat claim   the claim in a transaction holding a per-chat advisory lock for its few
//                milliseconds, claimed only when no other update of the chat is in hand or older
//                and untried, plus the hand-on read after it (what the bot does);
//   session lock a per-chat pg_advisory_lock held on a dedicated connection while the update is
//                handled, then the row claim (the alternative: no order, a connection per chat in hand).
// Printed, never asserted (npm run bench).
import pg from "pg";
import type { Update } from "grammy/types";
import { migrate } from "../../src/db/migrate.js";
import { openDatabase, type Db } from "../../src/db/client.js";
import { admitUpdate, markHandled, nextOfChat } from "../../src/services/delivery/updates.js";
import { emptyPostgresUrl, dropPostgresSchema, postgresAvailable } from "../helpers/db.js";
import { postgresTarget } from "../../src/db/url.js";

const N = Number(process.env.BENCH_CLAIMS ?? 600);
const CHATS = 60;
let id = 1;
const update = (chat: number): Update => ({ update_id: id++, message: { message_id: id, date: 0, chat: { id: chat, type: "private", first_name: "B" }, text: "x" } as never });

async function rowClaim(db: Db, u: Update): Promise<void> {
  const updateId = BigInt(u.update_id);
  await db.inboxUpdate.create({ data: { updateId, payload: JSON.stringify(u), chatId: BigInt(u.message!.chat.id), sourceKey: `m:${u.update_id}`, receivedAt: new Date() } });
  await db.inboxUpdate.updateMany({ where: { updateId, handledAt: null, claimedUntil: null }, data: { attempts: { increment: 1 }, claimedUntil: new Date(Date.now() + 60_000) } });
  await db.inboxUpdate.findUnique({ where: { updateId }, select: { handledAt: true, attempts: true } });
  await markHandled(db, u.update_id, new Date());
}
async function chatClaim(db: Db, u: Update): Promise<void> {
  await admitUpdate(db, u, new Date(), "bench");
  await markHandled(db, u.update_id, new Date());
  await nextOfChat(db, u.message!.chat.id, new Date());
}
function sessionLock(client: pg.Client) {
  return async (db: Db, u: Update) => {
    await client.query("SELECT pg_advisory_lock($1, hashtext($2))", [727276, String(u.message!.chat.id)]);
    await rowClaim(db, u);
    await client.query("SELECT pg_advisory_unlock($1, hashtext($2))", [727276, String(u.message!.chat.id)]);
  };
}

async function measure(label: string, dbs: Db[], way: (db: Db, u: Update) => Promise<void>): Promise<void> {
  const t = performance.now();
  for (let i = 0; i < N; i++) await way(dbs[0]!, update(1000 + (i % CHATS)));
  const sequential = (performance.now() - t) / N;
  const t2 = performance.now();
  await Promise.all(dbs.map(async (db, p) => {
    for (let i = 0; i < N / dbs.length; i++) await way(db, update(1000 + ((i * 3 + p) % CHATS)));
  }));
  const perSecond = N / ((performance.now() - t2) / 1000);
  console.log(`  ${label.padEnd(13)} ${sequential.toFixed(2)} ms per update sequential; ${perSecond.toFixed(0)} updates/s with ${dbs.length} processes at once`);
}

if (!postgresAvailable) {
  console.log("claims bench: no PostgreSQL server, skipped");
  process.exit(0);
}
const url = emptyPostgresUrl();
await migrate(url);
const opened = await Promise.all([openDatabase(url), openDatabase(url), openDatabase(url)]);
const dbs = opened.map((o) => o.prisma);
const locker = new pg.Client({ connectionString: postgresTarget(url).connectionString });
await locker.connect();
console.log(`\nper-update cost of the inbox claim on PostgreSQL (${N} updates over ${CHATS} chats; loaded shared machine, pessimistic)`);
for (let i = 0; i < 50; i++) await rowClaim(dbs[0]!, update(1)); // warm-up
await measure("row claim", dbs, rowClaim);
await measure("chat claim", dbs, chatClaim);
await measure("session lock", [dbs[0]!], sessionLock(locker));
await locker.end();
for (const o of opened) await o.close();
await dropPostgresSchema(url);
