// What a person sent, as the case services take it: text, or the file of a photo (largest size) or
// document. Shared by the help-request form and both directions of the relay.
import type { Message } from "grammy/types";
import type { Incoming } from "../../../services/cases/messages.js";

export function attachmentOf(m: Message): { kind: "photo" | "document"; fileId: string } | null {
  if (m.photo) return { kind: "photo", fileId: m.photo.at(-1)!.file_id };
  if (m.document) return { kind: "document", fileId: m.document.file_id };
  return null;
}

/** A relayed message: a file goes as a copy of the original (with the case number), text as text. */
export function incomingOf(m: Message, chatId: number): Incoming {
  const file = attachmentOf(m);
  return { text: file ? undefined : m.text, kind: file?.kind ?? "text", fileId: file?.fileId, chatId, messageId: m.message_id };
}
