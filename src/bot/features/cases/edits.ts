// An edited message. In a case (the original was relayed, by either side) the new text goes to the
// other side as a correction ("исправлено: …"), once per edit (its own per-update key). Anywhere
// else — a typo fixed in a form answer, a question, a chat message — it is ignored quietly: the
// person does not need an error for tidying up their words.
import { Composer } from "grammy";
import type { BotContext } from "../../context.js";
import type { Feature } from "../../feature.js";
import { addCoordinatorMessage, addRequesterMessage, type Incoming } from "../../../services/cases/messages.js";
import { coordinatorByTelegram } from "../../../services/cases/queries.js";
import { caseNumber } from "../../../services/cases/lifecycle.js";
import { editKey, messageKey } from "./incoming.js";

function edits(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.on("edited_message", async (ctx) => {
    const m = ctx.editedMessage;
    const text = m.text ?? m.caption;
    const { prisma, clock } = ctx.deps;
    // The key of the original message names its chat, so only this chat's own messages are found.
    const original = text ? await prisma.caseMessage.findUnique({ where: { sourceKey: messageKey(m) }, select: { caseId: true, author: true } }) : null;
    if (!original || !text || !ctx.person) return;
    const correction: Incoming = { text, kind: "correction", chatId: m.chat.id, messageId: m.message_id, key: editKey(m) };
    const reply = (key: string) => ctx.reply(ctx.t(key, { number: caseNumber(original.caseId) }), { reply_parameters: { message_id: m.message_id, allow_sending_without_reply: true } });
    if (original.author === "requester") {
      const r = await addRequesterMessage(prisma, clock, original.caseId, ctx.person.id, correction);
      if (r !== "closed") await reply(`cases.message_${r}`);
    } else if (original.author === "coordinator") {
      const me = await coordinatorByTelegram(prisma, m.chat.id);
      const r = me ? await addCoordinatorMessage(prisma, clock, original.caseId, me.id, correction, false) : "not_allowed";
      if (r === "relayed") await reply("coordinator.sent_relayed");
    }
  });
  return c;
}

export const editsFeature: Feature = { name: "edits", composer: edits() };
