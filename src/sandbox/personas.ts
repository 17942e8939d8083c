// The people of the sandbox: Telegram users a trainee plays in turn, each with a private chat with
// the bot. Their roles in the programme come from demo data (coordinators) and settings (admin);
// the family member and the graduate register through the bot like anyone.
export type PersonaKind = "family" | "graduate" | "coordinator" | "supervisor" | "admin";

export interface Persona {
  id: number;
  first_name: string;
  last_name: string;
  kind: PersonaKind;
  /** Sent when the person presses "share my phone number". */
  phone: string;
}

export const PERSONAS: readonly Persona[] = [
  { id: 1001, first_name: "Мария", last_name: "Иванова", kind: "family", phone: "+79001112233" },
  { id: 1002, first_name: "Алексей", last_name: "Смирнов", kind: "graduate", phone: "+79004445566" },
  { id: 2001, first_name: "Анна", last_name: "Петрова", kind: "coordinator", phone: "+79007778899" },
  { id: 2002, first_name: "Светлана", last_name: "Орлова", kind: "supervisor", phone: "+79005556677" },
  { id: 9001, first_name: "Олег", last_name: "Кузнецов", kind: "admin", phone: "+79003334455" },
];

export const ADMIN_IDS = PERSONAS.filter((p) => p.kind === "admin").map((p) => p.id);

export function personaById(id: number): Persona | undefined {
  return PERSONAS.find((p) => p.id === id);
}
