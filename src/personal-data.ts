// Every feature's registration of the personal data it stores (features/privacy/registry.ts). The
// export and erasure jobs run these; coverage.test.ts fails when a column naming a person is in none.
import { auditPersonalData } from "./features/audit/personal-data";
import { authPersonalData } from "./features/auth/personal-data";
import { billingPersonalData } from "./features/billing/personal-data";
import { calendarPersonalData } from "./features/calendar/personal-data";
import { chatPersonalData } from "./features/chat/personal-data";
import { consentsPersonalData } from "./features/consents/personal-data";
import { exportsPersonalData } from "./features/exports/personal-data";
import { erasurePersonalData } from "./features/erasure/personal-data";
import { householdsPersonalData } from "./features/households/personal-data";
import { invitationsPersonalData } from "./features/invitations/personal-data";
import { locationPersonalData } from "./features/location/personal-data";
import { mailerPersonalData } from "./features/mailer/personal-data";
import { modulesPersonalData } from "./features/modules/personal-data";
import { notificationsPersonalData } from "./features/notifications/personal-data";
import { presencePersonalData } from "./features/presence/personal-data";
import type { PersonalDataSource } from "./features/privacy";
import { ratelimitPersonalData } from "./features/ratelimit/personal-data";
import { realtimePersonalData } from "./features/realtime/personal-data";
import { workspacePersonalData } from "./features/workspace/personal-data";

export const PERSONAL_DATA: readonly PersonalDataSource[] = [
  authPersonalData,
  // Before the workspace's and households': its eraser tells the modules of the person's spaces (redact) while the
  // memberships still say which those are.
  modulesPersonalData,
  workspacePersonalData,
  householdsPersonalData,
  invitationsPersonalData,
  mailerPersonalData,
  locationPersonalData,
  auditPersonalData,
  ratelimitPersonalData,
  realtimePersonalData,
  chatPersonalData,
  notificationsPersonalData,
  presencePersonalData,
  exportsPersonalData,
  consentsPersonalData,
  erasurePersonalData,
  calendarPersonalData,
  billingPersonalData,
];
