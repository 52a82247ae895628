// The module configuration rules without a database (module-config.test.ts has the saves end to end).
import { describe, expect, test } from "bun:test";
import { checkModuleUpdates, moduleUpdatesFromForm, planModuleChanges, withSentValues, type ModuleConfig, type ModuleSetting } from "./module-rules";
import { sentFields } from "../../http/validate";
import { BUILTIN_MODULES } from "./modules";

const registry = BUILTIN_MODULES;
const business = { departmentIds: new Set(["d1"]), positionIds: new Set(["p1"]) };
const formKey = (moduleId: string, field: string) => `${moduleId}.${field}`;
const setting = (over: Partial<ModuleSetting> = {}): ModuleSetting => ({ enabled: true, allowedRoles: [], allowedDepartments: [], allowedPositions: [], ...over });

describe("module rules (no database)", () => {
  test("unknown or repeated modules, and roles, departments and positions not of this business, are field errors", () => {
    expect(checkModuleUpdates([{ moduleId: "chat", allowedRoles: ["owner"], allowedDepartments: ["d1"], allowedPositions: ["p1"] }], business, registry, formKey)).toEqual({});
    expect(
      checkModuleUpdates(
        [{ moduleId: "nope" }, { moduleId: "chat", allowedRoles: ["wizard"], allowedDepartments: ["d2"] }, { moduleId: "chat", allowedPositions: ["p9"] }],
        business,
        registry,
        formKey,
      ),
    ).toEqual({
      modules: ["“nope” is not a module.", "“chat” is listed twice."],
      "chat.allowedRoles": ["“wizard” is not a role."],
      "chat.allowedDepartments": ["“d2” is not a department of this business."],
      "chat.allowedPositions": ["“p9” is not a position of this business."],
    });
    expect(checkModuleUpdates([{ moduleId: "chat", allowedRoles: ["x"] }], business, registry, (_id, field) => field)).toEqual({ allowedRoles: ["“x” is not a role."] });
  });

  test("a plan writes only what changes: omitted fields keep the stored value or the default; lists lose repeats", () => {
    const stored = new Map<string, ModuleSetting | null>([["chat", setting({ allowedRoles: ["owner"] })]]);
    const plan = planModuleChanges([{ moduleId: "chat", enabled: false }, { moduleId: "calendar", allowedDepartments: ["d1", "d1"] }, { moduleId: "overview" }], stored, registry);
    expect(plan.settings).toEqual({
      chat: setting({ enabled: false, allowedRoles: ["owner"] }),
      calendar: setting({ allowedDepartments: ["d1"] }),
      overview: setting(),
    });
    expect(plan.writes.map((w) => w.moduleId)).toEqual(["chat", "calendar"]);
    expect(plan.before).toEqual({ chat: setting({ allowedRoles: ["owner"] }), calendar: setting() });
    expect(plan.after).toEqual({ chat: setting({ enabled: false, allowedRoles: ["owner"] }), calendar: setting({ allowedDepartments: ["d1"] }) });
  });

  test("an unreadable stored row is written over even when the new setting equals the default, and audited as unreadable", () => {
    const plan = planModuleChanges([{ moduleId: "chat" }], new Map([["chat", null]]), registry);
    expect(plan.writes).toEqual([{ moduleId: "chat", setting: setting() }]);
    expect(plan.before).toEqual({ chat: "unreadable" });
  });

  test("the form: each named module once, an unticked box is off or empty; after a refusal the form shows what was sent", () => {
    const updates = moduleUpdatesFromForm(sentFields({ module: ["chat", "calendar", "chat"], "chat.enabled": "on", "chat.allowedRoles": ["owner", "admin"], "calendar.allowedPositions": "p1" }).lists);
    expect(updates).toEqual([
      { moduleId: "chat", enabled: true, allowedRoles: ["owner", "admin"], allowedDepartments: [], allowedPositions: [] },
      { moduleId: "calendar", enabled: false, allowedRoles: [], allowedDepartments: [], allowedPositions: ["p1"] },
    ]);
    expect(moduleUpdatesFromForm(sentFields({}).lists)).toEqual([]);
    const saved: ModuleConfig = { businessId: "b", fallback: false, modules: registry.map((module) => ({ module, setting: setting() })) };
    const shown = withSentValues(saved, updates);
    expect(shown.modules.find((m) => m.module.id === "chat")!.setting).toEqual(setting({ allowedRoles: ["owner", "admin"] }));
    expect(shown.modules.find((m) => m.module.id === "calendar")!.setting).toEqual(setting({ enabled: false, allowedPositions: ["p1"] }));
    expect(shown.modules.find((m) => m.module.id === "overview")!.setting).toBe(saved.modules[0]!.setting);
  });
});
