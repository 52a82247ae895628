import { Hono } from "hono";
import { AuditPage } from "../../../views/admin/AuditPage";
import { BusinessesPage, BUSINESS_SEARCH } from "../../../views/admin/BusinessesPage";
import { BusinessPage } from "../../../views/admin/BusinessPage";
import { DashboardPage } from "../../../views/admin/DashboardPage";
import { AuditFilterForm } from "../../../views/admin/fragments/AuditFilterForm";
import { AuditResults } from "../../../views/admin/fragments/AuditResults";
import { BusinessResults } from "../../../views/admin/fragments/BusinessResults";
import { SearchForm } from "../../../views/admin/fragments/SearchForm";
import { otherErrors } from "../../http/forms";
import { render } from "../../http/render";
import type { AppEnv } from "../../http/types";
import { parseQuery } from "../../http/validate";
import { AppError } from "../../lib/errors";
import { searchAudit } from "./audit-log";
import { loadDashboard } from "./dashboard";
import { findBusiness, searchBusinesses } from "./directory";
import { auditQuery, auditSearch, listQuery, rowId } from "./input";

/** The portal's own pages: the dashboard, businesses and the audit log (users, places and Block IDs have their own files). */
export function adminPortalRoutes() {
  return new Hono<AppEnv>()
    .get("/admin-portal", (c) => c.redirect("/admin-portal/dashboard", 303))
    .get("/admin-portal/dashboard", async (c) => {
      const dashboard = await loadDashboard(c.var.deps);
      return render(c, { title: "Dashboard · Admin", fragment: <DashboardPage {...dashboard} /> });
    })
    .get("/admin-portal/businesses", async (c) => {
      const query = parseQuery(c, listQuery);
      const valid = query.ok ? query.data : { q: "", page: 1 };
      const errors = query.ok ? undefined : query.errors;
      const found = query.ok ? await searchBusinesses(c.var.deps.db, valid) : { rows: [], hasMore: false };
      const props = { ...found, q: valid.q, page: valid.page, message: errors ? otherErrors(errors, ["q"]) : null };
      const typed = query.ok ? valid.q : query.values.q;
      return render(c, {
        title: "Businesses · Admin",
        status: query.ok ? 200 : 400,
        fragment: (
          <>
            <SearchForm {...BUSINESS_SEARCH} q={typed} errors={errors} oob />
            <BusinessResults {...props} />
          </>
        ),
        page: () => <BusinessesPage {...props} q={typed ?? ""} errors={errors} />,
      });
    })
    .get("/admin-portal/businesses/:id", async (c) => {
      const id = rowId.safeParse(c.req.param("id"));
      const business = id.success ? await findBusiness(c.var.deps.db, id.data) : null;
      if (!business) throw new AppError(404, "not_found", "There is no such business.");
      return render(c, { title: `${business.name} · Admin`, fragment: <BusinessPage business={business} /> });
    })
    .get("/admin-portal/audit", async (c) => {
      const query = parseQuery(c, auditQuery);
      const values = query.values;
      const errors = query.ok ? undefined : query.errors;
      const found = query.ok ? await searchAudit(c.var.deps.db, query.data) : { rows: [], nextCursor: null };
      const props = {
        rows: found.rows,
        olderHref: found.nextCursor ? `/admin-portal/audit${auditSearch(values, { cursor: found.nextCursor })}` : null,
        newestHref: query.ok && query.data.cursor ? `/admin-portal/audit${auditSearch(values)}` : null,
        message: errors ? otherErrors(errors, ["actor", "action", "targetType", "targetId", "from", "to"]) : null,
        values,
        errors,
      };
      return render(c, {
        title: "Audit log · Admin",
        status: query.ok ? 200 : 400,
        fragment: (
          <>
            <AuditFilterForm values={values} errors={errors} oob />
            <AuditResults {...props} />
          </>
        ),
        page: () => <AuditPage {...props} />,
      });
    });
}
