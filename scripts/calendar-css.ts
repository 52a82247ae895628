// Writes static/calendar-grid.css from src/features/calendar/grid-css.ts. Run: bun scripts/calendar-css.ts
import { writeFileSync } from "node:fs";
import { gridCss } from "../src/features/calendar/grid-css";

writeFileSync(new URL("../static/calendar-grid.css", import.meta.url), gridCss());
