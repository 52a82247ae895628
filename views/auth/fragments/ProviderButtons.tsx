export interface ProviderLink {
  id: string;
  label: string;
}

/** Sign-in buttons for the OAuth providers this deployment has configured; none when there are none. */
export function ProviderButtons(props: { providers: ProviderLink[] }) {
  if (props.providers.length === 0) return null;
  return (
    <div class="providers">
      <p class="divider">
        <span>or continue with</span>
      </p>
      {props.providers.map((provider) => (
        // A plain link: the provider round trip is a full navigation, never an htmx swap.
        <a class="button provider" href={`/auth/${provider.id}`} hx-boost="false">
          {provider.label}
        </a>
      ))}
    </div>
  );
}
