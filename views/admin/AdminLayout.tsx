import type { Child } from "hono/jsx";

export type AdminSection = "dashboard" | "users" | "block-ids" | "places" | "businesses" | "audit" | "exports" | "erasures" | "modules" | "revenue";

const SECTIONS: { id: AdminSection; href: string; label: string }[] = [
  { id: "dashboard", href: "/admin-portal/dashboard", label: "Dashboard" },
  { id: "users", href: "/admin-portal/users", label: "Users" },
  { id: "block-ids", href: "/admin-portal/block-ids", label: "Block IDs" },
  { id: "places", href: "/admin-portal/places", label: "Places" },
  { id: "businesses", href: "/admin-portal/businesses", label: "Businesses" },
  { id: "audit", href: "/admin-portal/audit", label: "Audit log" },
  { id: "exports", href: "/admin-portal/exports", label: "Data exports" },
  { id: "erasures", href: "/admin-portal/erasures", label: "Erasures" },
  { id: "modules", href: "/admin-portal/modules", label: "Modules" },
  { id: "revenue", href: "/admin-portal/revenue", label: "Revenue" },
];

/** Every admin page: its heading and the portal's own section links. */
export function AdminLayout(props: { section: AdminSection; title: string; children: Child }) {
  return (
    <section class="admin-page">
      <nav class="admin-nav" aria-label="Admin portal">
        {SECTIONS.map((s) => (
          <a href={s.href} aria-current={s.id === props.section ? "page" : undefined}>
            {s.label}
          </a>
        ))}
      </nav>
      <h1>{props.title}</h1>
      {props.children}
    </section>
  );
}
