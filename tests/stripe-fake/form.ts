// Stripe's request bodies are form-encoded with brackets for nesting (`recurring[interval]=month`,
// `lookup_keys[0]=a`, `metadata[plan]=x`): read into plain objects and arrays, as Stripe's API does.
export type FormValue = string | FormValue[] | { [key: string]: FormValue };

export function parseStripeForm(params: URLSearchParams): Record<string, FormValue> {
  const root: Record<string, FormValue> = {};
  for (const [rawKey, value] of params) {
    const parts = rawKey.split(/\[|\]\[|\]/).filter((p, i) => p !== "" || i === 0);
    let node: Record<string, FormValue> | FormValue[] = root;
    parts.forEach((part, index) => {
      const last = index === parts.length - 1;
      const key = part === "" && Array.isArray(node) ? String(node.length) : part;
      if (last) {
        (node as Record<string, FormValue>)[key] = value;
        return;
      }
      const nextIsIndex = /^\d*$/.test(parts[index + 1]!);
      const existing = (node as Record<string, FormValue>)[key];
      const child = existing && typeof existing === "object" ? existing : nextIsIndex ? [] : {};
      (node as Record<string, FormValue>)[key] = child;
      node = child as Record<string, FormValue> | FormValue[];
    });
  }
  return root;
}
