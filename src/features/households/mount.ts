export { householdRoutes } from "./routes";
