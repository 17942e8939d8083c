// Conversation state lives in the database: a restart in the middle of a flow resumes it, /cancel
// leaves it from anywhere, and a conversation inside has the person's language and the API retries.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Composer } from "grammy";
import type { Conversation } from "@grammyjs/conversations";
import { sqliteTestDb, type TestDb } from "../helpers/db.js";
import { BOT_INFO, Harness, harness } from "../helpers/harness.js";
import { createBot } from "../../src/bot/create-bot.js";
import { keepFetchedUpdates } from "../../src/bot/transport/inbox.js";
import { unfinishedUpdates } from "../../src/services/delivery/updates.js";
import type { BotContext, FlowContext } from "../../src/bot/context.js";
import type { Feature } from "../../src/bot/feature.js";
import { sqliteRunnerOf, useSqliteRunner } from "../../src/db/direct.js";

// A two-question flow standing in for the registration forms that build on this.
async function twoQuestions(conversation: Conversation<BotContext, FlowContext>, ctx: FlowContext) {
  await ctx.reply(`Q1 (${ctx.locale})`);
  const a = await conversation.waitFor("message:text", { otherwise: (c) => c.reply(c.t("errors.not_text")) });
  await ctx.reply("Q2");
  const b = await conversation.waitFor("message:text", { otherwise: (c) => c.reply(c.t("errors.not_text")) });
  const stored = await conversation.external(() => ctx.deps.prisma.auditEvent.count());
  await ctx.reply(`Got ${a.message.text} and ${b.message.text} (${stored})`);
}

const flow = new Composer<BotContext>();
flow.command("twoq", (ctx) => ctx.conversation.enter("two-questions"));
const feature: Feature = { name: "test-flow", composer: flow, conversations: [{ id: "two-questions", builder: twoQuestions }] };

let db: TestDb;
let h: Harness;
beforeEach(async () => {
  db = await sqliteTestDb();
  h = await harness(db, { features: [feature] });
});
afterEach(async () => db.dispose());


describe("conversations", () => {
  it("runs a flow with the person's language inside, recording calls made from within", async () => {
    const u = await h.member(701, "lt");
    await h.command(u, "twoq");
    expect(h.lastText(u.id)).toBe("Q1 (lt)");
    await h.send(h.message(u, { sticker: { file_id: "s", file_unique_id: "s", type: "regular", width: 1, height: 1, is_animated: false, is_video: false } }));
    expect(h.lastText(u.id)).toContain("Kol kas suprantu tik tekstą");
    await h.text(u, "alpha");
    await h.text(u, "beta");
    expect(h.lastText(u.id)).toMatch(/^Got alpha and beta \(\d+\)$/);
    // Replays answer earlier calls from the stored log: nothing is sent twice.
    expect(h.texts(u.id).filter((t) => t.startsWith("Q"))).toEqual(["Q1 (lt)", "Q2"]);
    // parse mode is applied inside conversations too
    expect(h.last(u.id)!.payload.parse_mode).toBe("HTML");
  });

  it("reads the person once per update, however many updates the conversation replays", async () => {
    const u = await h.member(703, "en");
    // Count the statements that read a person (db/direct.ts runs them on SQLite's connection).
    const run = sqliteRunnerOf(db.prisma)!;
    let reads = 0;
    useSqliteRunner(db.prisma, (sql, args) => ((reads += sql.includes('LEFT JOIN "Person" p') ? 1 : 0), run(sql, args)));
    await h.command(u, "twoq");
    await h.text(u, "alpha");
    await h.text(u, "beta"); // replays /twoq and "alpha" before it reaches the end
    expect(h.lastText(u.id)).toMatch(/^Got alpha and beta/);
    expect(reads).toBe(3);
  });

  it("resumes where the person was after a restart", async () => {
    const u = await h.member(702);
    await h.command(u, "twoq");
    await h.text(u, "alpha");
    expect(h.lastText(u.id)).toBe("Q2");
    const stored = await db.prisma.session.findMany({ where: { key: { startsWith: "conversation:" } } });
    expect(stored).toHaveLength(1);
    const after = await h.restart();
    after.clear();
    await after.text(u, "beta");
    expect(after.texts(u.id)).toHaveLength(1);
    expect(after.lastText(u.id)).toMatch(/^Got alpha and beta/);
  });

  it("killed in the middle of handling an answer: after the restart the answer is kept, once", async () => {
    let dying = false;
    h = await harness(db, { features: [feature], intercept: (c) => (dying && c.payload.text === "Q2" ? "hang" : undefined) });
    const u = await h.member(705);
    await h.command(u, "twoq");
    dying = true;
    const answer = h.message(u, { text: "alpha" });
    void h.send(answer); // never finishes: the process "dies" while Telegram is being asked to send Q2
    await vi.waitFor(() => expect(h.calls.some((c) => c.payload.text === "Q2")).toBe(true));
    dying = false;
    const after = await h.restart();
    expect(after.lastText(u.id)).toBe("Q2"); // the unfinished answer was handled at start
    after.clear();
    await after.send(structuredClone(answer)); // Telegram may deliver it again as well: ignored
    expect(after.calls).toHaveLength(0);
    await after.text(u, "beta");
    expect(after.texts(u.id)).toEqual([expect.stringMatching(/^Got alpha and beta/)]);
    expect(await db.prisma.inboxUpdate.count({ where: { handledAt: null } })).toBe(0);
  });

  it("long polling writes each fetched batch down before it is handled", async () => {
    const u = await h.member(706);
    const upd = h.message(u, { text: "alpha" });
    const polled = createBot(h.deps, { botInfo: BOT_INFO, fetch: (async () => new Response(JSON.stringify({ ok: true, result: [upd] }))) as typeof fetch });
    keepFetchedUpdates(polled, h.deps);
    await polled.api.getUpdates({ offset: 0, timeout: 0 });
    expect(await unfinishedUpdates(db.prisma, new Date(0), new Date())).toEqual([upd]);
    // A start finishes it (the person was in no flow, so it is taken as a question), and it is not handled again.
    const after = await h.restart();
    expect(after.lastText(u.id)).toContain("готового ответа на этот вопрос у меня нет");
    expect(await unfinishedUpdates(db.prisma, new Date(0), new Date())).toEqual([]);
  });

  it("/cancel leaves the flow from the middle; the next text is not taken as an answer", async () => {
    const u = await h.member(703);
    await h.command(u, "twoq");
    await h.text(u, "alpha");
    await h.command(u, "cancel");
    expect(h.lastText(u.id)).toContain("Действие отменено");
    await h.text(u, "beta");
    expect(h.lastText(u.id)).not.toContain("Got");
    await h.command(u, "cancel");
    expect(h.lastText(u.id)).toContain("нечего отменять");
  });

  it("the Cancel button leaves the flow too", async () => {
    const u = await h.member(704);
    await h.command(u, "twoq");
    await h.press(u, "cancel");
    expect(h.answers()).toHaveLength(1);
    expect(h.lastText(u.id)).toContain("Действие отменено");
  });

  it("a flow cannot be entered before consent", async () => {
    const u = h.user(705);
    await h.command(u, "start");
    await h.press(u, "lang:ru");
    h.clear();
    await h.command(u, "twoq");
    expect(h.texts(u.id).join()).not.toContain("Q1");
    expect(h.lastText(u.id)).toContain("Вы даёте согласие");
  });
});
