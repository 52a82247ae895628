// The module API's OpenAPI 3.1 document (GET /api/module-runtime/openapi.json), generated from the zod schemas the
// endpoints validate with (zod's own JSON Schema output, draft 2020-12 — what OpenAPI 3.1 uses), so the document
// cannot drift from what the server accepts. openapi.test.ts checks every runtime route is in it.
import { z } from "zod";
import { moduleEventInput } from "../calendar";
import type { ModuleScope } from "./manifest";

export interface RuntimeOperation {
  method: "get" | "post";
  path: string;
  summary: string;
  scope: ModuleScope | null;
  query?: z.ZodObject;
  body?: z.ZodType;
  status: 200 | 201;
  answer: string;
}

const schemaOf = (schema: z.ZodType, io: "input" | "output" = "input") => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as Record<string, unknown>;
  return rest;
};

export function runtimeOperations(schemas: { eventsQuery: z.ZodObject; notificationInput: z.ZodType; chatInput: z.ZodType }): RuntimeOperation[] {
  return [
    { method: "get", path: "/api/module-runtime/context", summary: "The person and the space (names with profile.read / context.read)", scope: null, status: 200, answer: "{user: {id, displayName?, locale?, timeZone?}, context: {id, type, name?}, scopes}" },
    { method: "get", path: "/api/module-runtime/members", summary: "The space's members, by pseudonymous ids", scope: "members.read", status: 200, answer: "{members: [{id, name, role, you}]}" },
    { method: "get", path: "/api/module-runtime/calendar/events", summary: "Occurrences of the space's calendars the person can see", scope: "calendar.read", query: schemas.eventsQuery, status: 200, answer: "{occurrences: [...], truncated}" },
    { method: "post", path: "/api/module-runtime/calendar/events", summary: "A new event in the space's primary calendar, as the person", scope: "calendar.write", body: moduleEventInput, status: 201, answer: "{event: {id, title, start, end, timeZone, allDay}}" },
    { method: "get", path: "/api/module-runtime/chat/channels", summary: "The space's chat channels the person may read", scope: "chat.post", status: 200, answer: "{channels: [{id, name}]}" },
    { method: "post", path: "/api/module-runtime/chat", summary: "A message in one of those channels, as the person", scope: "chat.post", body: schemas.chatInput, status: 201, answer: "{message: {id, channel}}" },
    { method: "post", path: "/api/module-runtime/notifications", summary: "A notification to the person the module acts for", scope: "notifications.send", body: schemas.notificationInput, status: 201, answer: "{notification: {id, delivered}}" },
  ];
}

const ERROR = {
  type: "object",
  required: ["error"],
  properties: { error: { type: "object", required: ["code", "message", "details"], properties: { code: { type: "string" }, message: { type: "string" }, details: { type: "object" } } } },
};

const FAILURES = {
  "400": "The input is invalid; details.fieldErrors names each field",
  "401": "No token, or it is expired, altered, for another module, or its install is gone",
  "403": "The token lacks the scope, the request came from another origin, or the person left the space",
  "404": "Not found in this space",
  "423": "The module is suspended",
  "429": "Over 300 calls a minute for this install",
};

export function openApiDocument(operations: RuntimeOperation[], serverUrl: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const parameters = op.query
      ? Object.entries(op.query.shape).map(([name, schema]) => ({ name, in: "query", required: !(schema as z.ZodType).safeParse(undefined).success, schema: schemaOf(schema as z.ZodType) }))
      : undefined;
    (paths[op.path] ??= {})[op.method] = {
      summary: op.summary,
      security: [{ moduleToken: [] }],
      ...(op.scope ? { "x-scope": op.scope, description: `Needs the ${op.scope} scope.` } : {}),
      ...(parameters ? { parameters } : {}),
      ...(op.body ? { requestBody: { required: true, content: { "application/json": { schema: schemaOf(op.body) } } } } : {}),
      responses: {
        [String(op.status)]: { description: op.answer },
        ...Object.fromEntries(Object.entries(FAILURES).map(([status, description]) => [status, { description, content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } }])),
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: { title: "Block on Block module API", version: "1", description: "For marketplace modules: send the short-lived token from the bridge's getToken (or POST /api/modules/:id/token) as a Bearer token. See docs/modules.md." },
    servers: [{ url: serverUrl }],
    paths,
    components: { securitySchemes: { moduleToken: { type: "http", scheme: "bearer", bearerFormat: "JWT" } }, schemas: { Error: ERROR } },
  };
}
