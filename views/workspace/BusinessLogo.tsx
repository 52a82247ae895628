/** What BusinessLogo needs of a business: its id and name, and the storage key of its logo (null without one). */
export interface LogoOwner {
  id: string;
  name: string;
  logoKey: string | null;
}

/** The logo's address; the key's last part versions it, so a new logo is never served from an old cache. */
export function logoSrc(business: Pick<LogoOwner, "id" | "logoKey">): string | null {
  if (!business.logoKey) return null;
  const version = business.logoKey.slice(business.logoKey.lastIndexOf("/") + 1);
  return `/business/${encodeURIComponent(business.id)}/logo?v=${encodeURIComponent(version)}`;
}

const PIXELS = { small: 40, large: 96 } as const;

/**
 * A business's logo at a fixed size (CSS class `business-logo small|large`, contained, never
 * stretched); nothing when it has none. Pure: place it anywhere, e.g. the workspace header.
 */
export function BusinessLogo(props: { business: LogoOwner; size?: keyof typeof PIXELS }) {
  const src = logoSrc(props.business);
  if (!src) return null;
  const size = props.size ?? "small";
  return <img class={`business-logo ${size}`} src={src} alt={`${props.business.name} logo`} width={PIXELS[size]} height={PIXELS[size]} decoding="async" />;
}
