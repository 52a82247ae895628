export { adminRoutes } from "./routes";
