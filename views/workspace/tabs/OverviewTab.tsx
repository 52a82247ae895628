export interface OverviewProps {
  kind: "company" | "institution";
  description: string;
  counts: { members: number; departments: number; positions: number };
  /** Members by role, highest role first. */
  roles: { role: string; members: number }[];
  /** Members per department (an institution's classes and departments). */
  units: { name: string; members: number }[];
  /** Members in no department. */
  unassigned: number;
}

function plural(n: number, one: string, many: string) {
  return `${n} ${n === 1 ? one : many}`;
}

/** The overview tab: what the business is and who is in it. An institution names its units "classes and departments". */
export function OverviewTab(props: OverviewProps) {
  const institution = props.kind === "institution";
  const unitsLabel = institution ? "Classes and departments" : "Departments";
  return (
    <div class="workspace-overview">
      {props.description ? <p class="overview-description">{props.description}</p> : <p class="muted">No description yet.</p>}
      <dl class="overview-stats">
        <div class="card overview-stat">
          <dt>Members</dt>
          <dd>{props.counts.members}</dd>
        </div>
        <div class="card overview-stat">
          <dt>{unitsLabel}</dt>
          <dd>{props.counts.departments}</dd>
        </div>
        <div class="card overview-stat">
          <dt>Positions</dt>
          <dd>{props.counts.positions}</dd>
        </div>
      </dl>
      <section class="card overview-members" aria-labelledby="overview-members-title">
        <h3 id="overview-members-title">{institution ? "Members of the institution" : "Members"}</h3>
        <p>
          {props.roles.filter((r) => r.members > 0).map((r) => plural(r.members, r.role, `${r.role}s`)).join(" · ") || "No members."}
        </p>
        <h4>{unitsLabel}</h4>
        {props.units.length ? (
          <ul class="overview-units">
            {props.units.map((unit) => (
              <li>
                <span>{unit.name}</span> <span class="muted">{plural(unit.members, "member", "members")}</span>
              </li>
            ))}
          </ul>
        ) : (
          <p class="muted">{institution ? "No classes or departments yet." : "No departments yet."}</p>
        )}
        {props.unassigned > 0 && props.units.length ? (
          <p class="muted">
            {plural(props.unassigned, "member is", "members are")} in no {institution ? "class or department" : "department"}.
          </p>
        ) : null}
      </section>
    </div>
  );
}
