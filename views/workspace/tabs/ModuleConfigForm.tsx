import type { ConfiguredModule } from "../../../src/features/workspace/module-config";
import { FormMessage, type FieldErrors } from "../../components/Field";

interface Option {
  value: string;
  label: string;
}

export interface ModuleConfigFormProps {
  businessId: string;
  kind: "company" | "institution";
  modules: ConfiguredModule[];
  roles: readonly string[];
  departments: { id: string; name: string }[];
  positions: { id: string; name: string }[];
  /** The stored configuration could not be read; members see the safe default. */
  fallback: boolean;
  errors?: FieldErrors;
  message?: string | null;
}

export const MODULE_CONFIG_FORM_ID = "module-config";

/** A group of checkboxes for one list; none ticked means everyone. Its errors sit right under it. */
function CheckGroup(props: { name: string; legend: string; options: Option[]; selected: string[]; errors?: string[]; empty: string }) {
  const id = `${MODULE_CONFIG_FORM_ID}-${props.name.replace(/[^a-z0-9]+/gi, "-")}`;
  const errors = props.errors ?? [];
  return (
    <fieldset class={errors.length ? "check-group has-error" : "check-group"} aria-describedby={errors.length ? `${id}-error` : undefined}>
      <legend class="module-config-hidden">{props.legend}</legend>
      {props.options.length ? (
        props.options.map((option) => (
          <label class="choice">
            <input type="checkbox" name={props.name} value={option.value} checked={props.selected.includes(option.value)} />
            {option.label}
          </label>
        ))
      ) : (
        <p class="muted">{props.empty}</p>
      )}
      {errors.length ? (
        <p class="field-error" id={`${id}-error`}>
          {errors.join(" ")}
        </p>
      ) : null}
    </fieldset>
  );
}

/**
 * The settings tab's module table (admins): for each module, whether it is on and which roles,
 * departments and positions see it. A plain form that htmx upgrades, with errors shown in place.
 */
export function ModuleConfigForm(props: ModuleConfigFormProps) {
  const action = `/business/${props.businessId}/workspace/settings/modules`;
  const errors = props.errors ?? {};
  const unitsLabel = props.kind === "institution" ? "Classes and departments" : "Departments";
  const roles = props.roles.map((role) => ({ value: role, label: role }));
  const departments = props.departments.map((d) => ({ value: d.id, label: d.name }));
  const positions = props.positions.map((p) => ({ value: p.id, label: p.name }));
  const formErrors = [...(errors._form ?? []), ...(errors.modules ?? [])];
  return (
    <form id={MODULE_CONFIG_FORM_ID} class="card module-config" method="post" action={action} hx-post={action} hx-target="this" hx-swap="outerHTML">
      <h3>Modules</h3>
      <p class="muted">
        Choose the modules this business uses and who sees each. Leave a list with nothing ticked to let everyone in; a member must
        pass every list. Owners and admins always see Settings.
      </p>
      {props.fallback ? (
        <p class="form-message error" role="alert">
          The saved module configuration could not be read, so members see a safe default (overview and members; settings for
          owners and admins). Saving this form replaces it.
        </p>
      ) : null}
      <FormMessage kind="error" message={formErrors.length ? formErrors.join(" ") : null} />
      <FormMessage kind="success" message={props.message} />
      <div class="module-config-table-wrap">
        <table class="module-config-table">
          <caption class="module-config-hidden">Modules and who sees them</caption>
          <thead>
            <tr>
              <th scope="col">Module</th>
              <th scope="col">On</th>
              <th scope="col">Roles</th>
              <th scope="col">{unitsLabel}</th>
              <th scope="col">Positions</th>
            </tr>
          </thead>
          <tbody>
            {props.modules.map(({ module, setting }) => (
              <tr>
                <th scope="row">
                  <input type="hidden" name="module" value={module.id} />
                  {module.label}
                  <p class="muted">{module.description}</p>
                </th>
                <td>
                  <label class="choice">
                    <input type="checkbox" name={`${module.id}.enabled`} value="on" checked={setting.enabled} />
                    <span class="module-config-hidden">{module.label} </span>on
                  </label>
                </td>
                <td>
                  <CheckGroup
                    name={`${module.id}.allowedRoles`}
                    legend={`Roles that see ${module.label}`}
                    options={roles}
                    selected={setting.allowedRoles}
                    errors={errors[`${module.id}.allowedRoles`]}
                    empty="No roles."
                  />
                </td>
                <td>
                  <CheckGroup
                    name={`${module.id}.allowedDepartments`}
                    legend={`${unitsLabel} that see ${module.label}`}
                    options={departments}
                    selected={setting.allowedDepartments}
                    errors={errors[`${module.id}.allowedDepartments`]}
                    empty={props.kind === "institution" ? "No classes or departments yet." : "No departments yet."}
                  />
                </td>
                <td>
                  <CheckGroup
                    name={`${module.id}.allowedPositions`}
                    legend={`Positions that see ${module.label}`}
                    options={positions}
                    selected={setting.allowedPositions}
                    errors={errors[`${module.id}.allowedPositions`]}
                    empty="No positions yet."
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <button type="submit" class="button primary">
        Save modules
      </button>
    </form>
  );
}
