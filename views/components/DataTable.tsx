import type { Child } from "hono/jsx";

/** A column heading: its text, or an object for a numeric column or a heading only screen readers hear. */
export type Column = string | { label: string; numeric?: boolean; hidden?: boolean };

/**
 * The shared table: scrolls sideways on narrow screens, column headings scoped for screen readers.
 * The children are the body's rows; `class` adds to the table's own (a name to find it by).
 */
export function DataTable(props: { columns: Column[]; caption?: string; class?: string; children: Child }) {
  return (
    <div class="table-wrap">
      <table class={props.class ? `data-table ${props.class}` : "data-table"}>
        {props.caption ? <caption class="visually-hidden">{props.caption}</caption> : null}
        <thead>
          <tr>
            {props.columns.map((column) =>
              typeof column === "string" ? (
                <th scope="col">{column}</th>
              ) : (
                <th scope="col" class={column.numeric ? "numeric" : undefined}>
                  {column.hidden ? <span class="visually-hidden">{column.label}</span> : column.label}
                </th>
              ),
            )}
          </tr>
        </thead>
        <tbody>{props.children}</tbody>
      </table>
    </div>
  );
}
