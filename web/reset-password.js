const token = new URLSearchParams(location.search).get("token");
// The token is a password in all but name: keep it out of the address bar and browser history.
history.replaceState(null, "", location.pathname);

const form = document.getElementById("reset");
const message = document.getElementById("message");
if (!token) {
  showError(message, "This link has no reset token. Open the link from your e-mail again.");
  form.hidden = true;
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  message.hidden = true;
  const password = form.password.value;
  if (password !== form.confirm.value) return showError(message, "The two passwords differ.");
  try {
    await callApi("POST", "/api/auth/password-reset/confirm", { body: { Token: token, Password: password } });
    form.hidden = true;
    document.getElementById("done").hidden = false;
    document.getElementById("sign-in").focus();
  } catch (error) {
    showError(message, error);
  }
});
