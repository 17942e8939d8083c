// Telegram's size limits and how long texts are cut to fit them. Telegram refuses a message of more
// than 4096 characters or a caption of more than 1024 (counted after HTML is parsed, in UTF-16
// units as JavaScript counts), so every message the bot builds is measured here, never guessed.

export const TEXT_LIMIT = 4096;
export const CAPTION_LIMIT = 1024;

/** Room kept for a header or a label the bot adds to a person's text (case number, sender). */
export const HEADER_ROOM = 250;

/** The length Telegram counts: tags removed and entities decoded, as its HTML parser does. */
export function visibleLength(html: string): number {
  return html
    .replace(/<[^>]*>/g, "")
    .replace(/&(lt|gt|amp|quot|#\d+|#x[0-9a-f]+);/gi, "_").length;
}

/** Cuts a plain text to at most `max` characters, ending with "…" when cut (never in a surrogate pair). */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  if (/[\uD800-\uDBFF]/.test(text[end - 1] ?? "")) end--;
  return `${text.slice(0, end).trimEnd()}…`;
}

/**
 * Splits a plain text into pieces of at most `max` characters, preferring paragraph, line, sentence
 * and word breaks, so a long message arrives as several readable ones. Deterministic: the same
 * text always gives the same pieces (queued parts are rendered later, one by one).
 */
export function splitText(text: string, max: number): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const window = rest.slice(0, max);
    const at = [/\n\n(?![\s\S]*\n\n)/, /\n(?![\s\S]*\n)/, /[.!?…]\s(?![\s\S]*[.!?…]\s)/, /\s(?![\s\S]*\s)/]
      .map((re) => re.exec(window))
      .find((m) => m && m.index > max / 2);
    let end = at ? at.index + at[0].length : max;
    if (!at && /[\uD800-\uDBFF]/.test(rest[end - 1] ?? "")) end--;
    parts.push(rest.slice(0, end).trimEnd());
    rest = rest.slice(end).trimStart();
  }
  if (rest.length || !parts.length) parts.push(rest);
  return parts;
}
