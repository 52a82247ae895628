// Passkeys in the browser (WebAuthn): the buttons marked data-passkey-register (profile) and
// data-passkey-signin (sign-in page) drive the ceremonies against /api/auth/passkeys/*. Without
// WebAuthn support the buttons stay hidden; everything else on those pages works without this file.
(function () {
  "use strict";
  if (!window.PublicKeyCredential || !PublicKeyCredential.parseCreationOptionsFromJSON) return;

  async function post(url, body) {
    const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body || {}), credentials: "same-origin" });
    const data = await response.json().catch(function () { return {}; });
    if (!response.ok) throw new Error((data.error && data.error.message) || "Something went wrong. Try again.");
    return data;
  }

  function showError(box, error) {
    if (!box) return;
    box.textContent = error && error.name === "NotAllowedError" ? "The passkey request was cancelled or timed out." : (error && error.message) || String(error);
    box.setAttribute("role", "alert");
    box.hidden = false;
  }

  document.addEventListener("click", async function (event) {
    const register = event.target.closest("[data-passkey-register]");
    const signin = event.target.closest("[data-passkey-signin]");
    const second = event.target.closest("[data-passkey-second]");
    if (!register && !signin && !second) return;
    event.preventDefault();
    const scope = (register || signin || second).closest("[data-passkey-add], [data-passkey-signin-box]");
    const errorBox = scope && scope.querySelector("[data-passkey-error]");
    if (errorBox) errorBox.hidden = true;
    try {
      if (register) {
        const password = scope.querySelector("input[name=currentPassword]");
        const started = await post("/api/auth/passkeys/options", password && password.value ? { currentPassword: password.value } : {});
        const credential = await navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(started.options) });
        await post("/api/auth/passkeys", { challengeId: started.challengeId, response: credential.toJSON() });
        location.assign("/profile#passkeys");
        location.reload();
      } else if (second) {
        // The second step after a password: this account's own passkeys.
        const started = await post("/api/auth/login/two-factor/passkey/options");
        const credential = await navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(started.options) });
        await post("/api/auth/login/two-factor/passkey", { challengeId: started.challengeId, response: credential.toJSON() });
        location.assign(second.getAttribute("data-next") || "/home");
      } else {
        const started = await post("/api/auth/passkeys/signin/options");
        const credential = await navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(started.options) });
        await post("/api/auth/passkeys/signin", { challengeId: started.challengeId, response: credential.toJSON() });
        location.assign(signin.getAttribute("data-next") || "/home");
      }
    } catch (error) {
      showError(errorBox, error);
    }
  });

  document.querySelectorAll("[data-passkey-add], [data-passkey-signin-box]").forEach(function (element) {
    element.hidden = false;
  });
})();
