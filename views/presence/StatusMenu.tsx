import { PresenceDot, presenceLabel } from "./PresenceDot";
import { StatusForm, type StatusFormProps } from "./StatusForm";

export interface StatusMenuProps extends Omit<StatusFormProps, "from" | "target"> {
  userId: string;
  /** Open when the form has errors to show. */
  open?: boolean;
}

/**
 * The header's status control, loaded after the page (AppShell links to /presence, and htmx
 * replaces that link with this): the caller's dot and text, and the form in a <details>.
 */
export function StatusMenu(props: StatusMenuProps) {
  const { own } = props;
  return (
    <details class="status-menu" id="status-menu" open={props.open}>
      <summary>
        <PresenceDot userId={props.userId} presence={own} />
        <span class="status-menu-label">{own.text || presenceLabel({ status: own.status, text: "" })}</span>
      </summary>
      <div class="status-menu-panel">
        <StatusForm from="menu" own={own} back={props.back} target="#status-menu" values={props.values} errors={props.errors} />
        <p class="status-menu-more">
          <a href="/presence">Status page</a>
        </p>
      </div>
    </details>
  );
}
