const params = new URLSearchParams(location.search);
const token = params.get("token");
// join=1: the account has a password already, so accepting takes only the button.
const joining = params.get("join") === "1";
// The token is a password in all but name: keep it out of the address bar and browser history.
history.replaceState(null, "", location.pathname);

const form = document.getElementById("accept");
const message = document.getElementById("message");
if (joining) {
  document.title = "Accept the invitation";
  document.querySelector("h1").textContent = "Accept the invitation";
  for (const field of form.querySelectorAll("label, input")) field.remove();
  form.querySelector("button").textContent = "Accept";
  document.querySelector("#done p").textContent = "You are now a member.";
}
if (!token) {
  showError(message, "This link has no invitation token. Open the link from your e-mail again.");
  form.hidden = true;
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  message.hidden = true;
  const password = joining ? undefined : form.password.value;
  if (!joining && password !== form.confirm.value) return showError(message, "The two passwords differ.");
  try {
    const accepted = await callApi("POST", "/api/auth/invitations/accept", {
      body: { Token: token, Password: password },
    });
    // The portal reads the address from the fragment, which stays out of requests and logs.
    document.getElementById("sign-in").href = "/sign-in#email=" + encodeURIComponent(accepted.Email);
    form.hidden = true;
    document.getElementById("done").hidden = false;
    document.getElementById("sign-in").focus();
  } catch (error) {
    showError(message, error);
  }
});
