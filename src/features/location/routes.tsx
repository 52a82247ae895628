import { Hono } from "hono";
import { z } from "zod";
import { LocationPickers } from "../../../views/location/LocationPickers";
import type { AppEnv } from "../../http/types";
import { queryParams } from "../../http/validate";
import { pickerSelection } from "./input";
import { loadPickerOptions } from "./options";

// The selection narrows (see pickerSelection); the rest says how to draw the fieldset again.
const pickerQuery = pickerSelection.extend({
  form: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, "A form id is lower-case letters, digits and dashes."),
  legend: z.string().trim().min(1).max(80).default("Location"),
  hint: z.string().trim().min(1).max(300).optional().catch(undefined),
});

/** GET /location/pickers: the country / region / town fieldset again, narrowed (htmx swaps it in). */
export function pickerRoutes() {
  return new Hono<AppEnv>().get("/location/pickers", queryParams(pickerQuery), async (c) => {
    const query = c.req.valid("query");
    const options = await loadPickerOptions(c.var.deps.db, query);
    c.header("Cache-Control", "no-store");
    c.header("Vary", "HX-Request", { append: true });
    return c.html(<LocationPickers options={options} form={query.form} legend={query.legend} hint={query.hint} />);
  });
}
