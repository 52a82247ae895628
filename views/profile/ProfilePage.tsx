import type { Child } from "hono/jsx";
import type { PublicUser, SessionListItem } from "../../src/features/auth";
import type { BlockIdSectionData } from "../../src/features/location";
import { BlockIdSection } from "./fragments/BlockIdSection";
import { EmailForm } from "./fragments/EmailForm";
import { TwoFactorSection } from "./fragments/TwoFactorSection";
import { PasskeySection, type PasskeyView } from "./fragments/PasskeySection";
import { ProviderSection, type ProviderSectionProps } from "./fragments/ProviderSection";
import { NameForm } from "./fragments/NameForm";
import { PasswordForm } from "./fragments/PasswordForm";
import { SessionList } from "./fragments/SessionList";
import { ConsentSection, type ConsentSectionProps } from "../privacy/ConsentSection";
import { ExportSection, type ExportSectionProps } from "../privacy/ExportSection";
import { DeletionSection } from "../privacy/DeletionSection";

export type ProfileSection = "name" | "email" | "password" | "sessions" | "location";

export interface ProfilePageProps {
  user: PublicUser;
  sessions: SessionListItem[];
  hasPassword: boolean;
  twoFactor: { enabled: boolean; recoveryCodesLeft: number };
  /** Every other session was just signed out (`?ended=others`). */
  endedOthers?: boolean;
  passkeys: PasskeyView[];
  providers: Pick<ProviderSectionProps, "linked" | "available">;
  /** A new address waiting for its confirmation link to be followed. */
  pendingEmail?: string | null;
  /** The Block ID section: the current number, its place and source, the town pickers, the history. */
  blockId: BlockIdSectionData;
  /** The section just saved by a plain form post (from `?saved=`), to confirm it. */
  saved?: string;
  /** A message about something that failed before this page, e.g. connecting a provider. */
  notice?: string | null;
  /** The consents section (features/consents): each purpose and the history. */
  consents: Pick<ConsentSectionProps, "items" | "history">;
  /** "Download your data" (features/exports). */
  exports: ExportSectionProps;
  /** A section shown as given, such as a form with its errors after a plain form post. */
  overrides?: Partial<Record<ProfileSection, Child>>;
  /** ERASURE_GRACE_DAYS, for the "Delete my account" section (features/erasure). */
  deletionGraceDays?: number;
}

export function ProfilePage(props: ProfilePageProps) {
  const { overrides = {}, saved } = props;
  return (
    <section class="profile-page">
      <h1>Your profile</h1>
      {props.user.isPlatformAdmin ? <p class="badge">Platform admin</p> : null}
      {props.notice ? (
        <p class="form-message error" role="alert">
          {props.notice}
        </p>
      ) : null}
      {overrides.location ?? <BlockIdSection {...props.blockId} moved={saved === "location"} />}
      <div class="grid">
        {overrides.name ?? <NameForm name={props.user.name} saved={saved === "name"} />}
        {overrides.email ?? <EmailForm email={props.user.email} pendingEmail={props.pendingEmail} saved={saved === "email"} />}
        {overrides.password ?? <PasswordForm hasPassword={props.hasPassword} saved={saved === "password"} />}
        <TwoFactorSection {...props.twoFactor} hasPassword={props.hasPassword} />
        <PasskeySection passkeys={props.passkeys} hasPassword={props.hasPassword} />
        <ProviderSection {...props.providers} hasPassword={props.hasPassword} />
        {overrides.sessions ?? <SessionList sessions={props.sessions} message={saved === "sessions" ? "The session is revoked." : null} endedOthers={props.endedOthers} />}
      </div>
      <ExportSection {...props.exports} />
      <ConsentSection {...props.consents} saved={saved === "consents"} />
      {props.deletionGraceDays === undefined ? null : <DeletionSection hasPassword={props.hasPassword} graceDays={props.deletionGraceDays} />}
    </section>
  );
}
