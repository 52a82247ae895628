export { householdPages as householdRoutes } from "./pages";
