/** A module that is switched on but has nothing to show yet: said plainly, with no made-up content. */
export function EmptyModuleTab(props: { label: string; description: string; businessName: string }) {
  return (
    <div class="empty-state">
      <p>
        <strong>{props.label}</strong> is enabled for {props.businessName}, but it has no content yet.
      </p>
      <p class="muted">{props.description}</p>
    </div>
  );
}

/** The workspace of a member who may use none of its modules. */
export function NoModules() {
  return (
    <div class="empty-state">
      <p>No modules of this business are available to you yet.</p>
      <p class="muted">An owner or admin of the business chooses who sees each module.</p>
    </div>
  );
}
