export { markFailed, markSent, recordMessage, type MailContext, type MailDelivery, type Mailer, type MailerDeps, type MailMessage } from "./mailer";
export { outboxMailer } from "./outbox-mailer";
export { businessOutbox, householdOutbox, type OutboxMessage, type OutboxView } from "./service";
export { pruneOutbox } from "./retention";
