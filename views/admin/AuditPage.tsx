import { AdminLayout } from "./AdminLayout";
import { AuditFilterForm, type AuditFilterProps } from "./fragments/AuditFilterForm";
import { AuditResults, type AuditResultsProps } from "./fragments/AuditResults";

export function AuditPage(props: AuditResultsProps & AuditFilterProps) {
  return (
    <AdminLayout section="audit" title="Audit log">
      <AuditFilterForm values={props.values} errors={props.errors} />
      <AuditResults {...props} />
    </AdminLayout>
  );
}
