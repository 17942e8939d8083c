// A bare greeting or thanks ("здравствуйте", "hello", "labas", "спасибо") is not a question: it gets
// a friendly pointer to the menu instead of "I have no answer".
const GREETINGS = [
  "привет", "здравствуйте", "здравствуй", "добрый день", "добрый вечер", "доброе утро", "алло", "спасибо", "благодарю", "ок", "хорошо",
  "hello", "hi", "hey", "good morning", "good evening", "thanks", "thank you", "ok",
  "labas", "sveiki", "laba diena", "labas vakaras", "aciu", "ačiū", "gerai",
];

export function isGreeting(text: string): boolean {
  const t = text.toLowerCase().replace(/ё/g, "е").replace(/[^\p{L}\s]/gu, " ").replace(/\s+/g, " ").trim();
  return t.length > 0 && t.split(" ").length <= 3 && GREETINGS.some((g) => t === g || t.startsWith(`${g} `) || t.endsWith(` ${g}`));
}
