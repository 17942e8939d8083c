import { describe, expect, it } from "vitest";
import { pickCoordinator, type Candidate } from "../../src/services/cases/assignment.js";

const c = (id: number, over: Partial<Candidate> = {}): Candidate => ({
  id, regions: ["RU-TAM"], categories: ["payments"], maxOpen: 5, openCases: 0, onDuty: true, active: true, supervisor: false, lastAssignedAt: null, ...over,
});
const need = { category: "payments", regionCode: "RU-TAM" };

describe("assignment rule", () => {
  it("picks a coordinator of the region and category with the fewest open cases", () => {
    expect(pickCoordinator([c(1, { openCases: 3 }), c(2, { openCases: 1 }), c(3, { openCases: 2 })], need)?.id).toBe(2);
  });
  it("breaks ties by who waited longest since their last assignment (never assigned first)", () => {
    const t = (m: number) => new Date(Date.UTC(2026, 10, 22, 10, m));
    expect(pickCoordinator([c(1, { lastAssignedAt: t(5) }), c(2, { lastAssignedAt: t(1) }), c(3, { lastAssignedAt: t(3) })], need)?.id).toBe(2);
    expect(pickCoordinator([c(1, { lastAssignedAt: t(5) }), c(2)], need)?.id).toBe(2);
  });
  it("skips off-duty, inactive, full, excluded coordinators and other regions or categories", () => {
    const list = [c(1, { onDuty: false }), c(2, { active: false }), c(3, { openCases: 5 }), c(4), c(5, { regions: ["RU-LIP"] }), c(6, { categories: ["legal"] })];
    expect(pickCoordinator(list, { ...need, exclude: new Set([4]) })).toBeNull();
    expect(pickCoordinator(list, need)?.id).toBe(4);
  });
  it("falls back to coordinators of the category without region, then supervisors of the region, then any supervisor", () => {
    const other = c(1, { regions: ["RU-LIP"] });
    const anyRegion = c(2, { regions: [], openCases: 4 });
    const supHere = c(3, { supervisor: true, categories: [] });
    const supElsewhere = c(4, { supervisor: true, regions: ["RU-LIP"], categories: [] });
    expect(pickCoordinator([other, anyRegion, supHere, supElsewhere], need)?.id).toBe(2);
    expect(pickCoordinator([other, supHere, supElsewhere], need)?.id).toBe(3);
    expect(pickCoordinator([other, supElsewhere], need)?.id).toBe(4);
    expect(pickCoordinator([other], need)).toBeNull();
  });
  it("handles requesters without a region: category coordinators for any region, then supervisors", () => {
    expect(pickCoordinator([c(1), c(2, { regions: [] })], { category: "payments", regionCode: null })?.id).toBe(2);
    expect(pickCoordinator([c(1), c(3, { supervisor: true })], { category: "payments", regionCode: null })?.id).toBe(3);
  });
});
