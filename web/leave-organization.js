const params = new URLSearchParams(location.search);
const key = params.get("key");
// The key is a credential: keep it out of the address bar and browser history.
history.replaceState(null, "", location.pathname);

const form = document.getElementById("leave");
const message = document.getElementById("message");
form.block.checked = params.get("block") === "1";
if (!key) {
  showError(message, "This link has no key. Open the link from your e-mail again.");
  form.hidden = true;
}

// A button, not the link itself: mail scanners that open links must not take anyone out.
form.addEventListener("submit", async (event) => {
  event.preventDefault();
  message.hidden = true;
  try {
    const answer = await callApi("POST", "/api/auth/memberships/leave", {
      body: { Token: key, BlockMail: form.block.checked },
    });
    form.hidden = true;
    document.getElementById("left").textContent = answer.Blocked
      ? `You left ${answer.OrganizationName}; it can no longer e-mail you.`
      : `You left ${answer.OrganizationName}.`;
    document.getElementById("done").hidden = false;
  } catch (error) {
    showError(message, error);
  }
});
