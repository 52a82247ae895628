import { PreferencesForm, type PreferencesFormProps } from "./fragments/PreferencesForm";

/** /notifications/settings: how each kind of notification reaches the user. */
export function SettingsPage(props: PreferencesFormProps) {
  return (
    <section class="narrow-page">
      <h1>Notification settings</h1>
      <p class="muted">
        “In app” shows a notification under the bell. “Email too” also mails it, in one digest, when you have not been in the app for a while. “Off” sends nothing.
      </p>
      <PreferencesForm {...props} />
      <p>
        <a href="/notifications">Back to notifications</a>
      </p>
    </section>
  );
}
