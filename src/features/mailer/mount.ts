export { outboxPages as mailerRoutes } from "./routes";
