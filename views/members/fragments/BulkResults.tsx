import type { MembersPanelProps } from "../types";

/** One line per row of a bulk action: applied, or why not. */
export function BulkResults(props: { bulk: NonNullable<MembersPanelProps["bulk"]> }) {
  const { results, names, action } = props.bulk;
  const applied = results.filter((r) => r.ok).length;
  const failed = results.length - applied;
  const verb = action === "remove" ? "removed" : "updated";
  return (
    <div class={failed ? "members-results has-failures" : "members-results"} role="status">
      <p>
        <strong>{applied === 1 ? `1 member ${verb}` : `${applied} members ${verb}`}</strong>
        {failed ? `; ${failed === 1 ? "1 row was" : `${failed} rows were`} not applied:` : "."}
      </p>
      {failed ? (
        <ul>
          {results.map((r) =>
            r.ok ? null : (
              <li data-user={r.userId ?? ""}>
                <strong>{(r.userId && names[r.userId]) ?? r.userId ?? `Row ${r.index + 1}`}</strong>: {r.error.message}{" "}
                {Object.values(r.error.details?.fieldErrors ?? {}).flat().join(" ")}
              </li>
            ),
          )}
        </ul>
      ) : null}
    </div>
  );
}
