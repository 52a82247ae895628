// The text of the terms of service and the privacy notice. PLACEHOLDERS: an operator replaces both
// with their own documents here, and changes TERMS_VERSION / PRIVACY_VERSION (config) whenever a text
// changes, so that every account is asked once to accept the new version at its next sign-in.

export function TermsText() {
  return (
    <>
      <p class="form-message error" role="note">
        Placeholder: the operator of this site has not yet put its own terms here (views/privacy/legal-text.tsx).
      </p>
      <h2>Using Block on Block</h2>
      <p>You may use this service to run your businesses and households and to talk with the people in them. Do not use it to break the law or to harm others.</p>
      <h2>Your account</h2>
      <p>Keep your password and second factor to yourself. You can take all your data with you and delete your account at any time from your profile.</p>
      <h2>Changes</h2>
      <p>When these terms change, the version number above changes and you are asked to accept the new version the next time you sign in.</p>
    </>
  );
}

export function PrivacyText() {
  return (
    <>
      <p class="form-message error" role="note">
        Placeholder: the operator of this site has not yet put its own privacy notice here (views/privacy/legal-text.tsx).
      </p>
      <h2>What we keep</h2>
      <p>Your name, email address, Block ID and what you create or are given in the app: memberships, messages, files, notifications. Sign-in records (address, browser) keep your account safe.</p>
      <h2>Why</h2>
      <p>To provide the service you signed up for. Anything more — product emails, the AI assistant working on your data, usage analytics — only with your consent, which starts off and which you can give or withdraw in your profile at any time.</p>
      <h2>Your rights</h2>
      <p>Download everything we hold about you, or delete your account, from your profile. Consent you withdraw stops the use from then on.</p>
    </>
  );
}
