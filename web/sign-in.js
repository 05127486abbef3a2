const form = document.getElementById("sign-in");
const message = document.getElementById("message");

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  message.hidden = true;
  try {
    const session = await callApi("POST", "/api/auth/sign-in", {
      body: { Email: form.email.value, Password: form.password.value },
    });
    const result = await callApi("GET", "/api/users/organizations", { token: session.AccessToken });
    const list = document.getElementById("organizations");
    list.replaceChildren(
      ...result.Organizations.map((organization) => {
        const item = document.createElement("li");
        item.textContent = organization.Name + " (" + organization.IdentityOrganizationId + ")";
        return item;
      }),
    );
    document.getElementById("result").textContent = JSON.stringify(result, null, 2);
    form.hidden = true;
    document.getElementById("signed-in").hidden = false;
  } catch (error) {
    showError(message, error);
  }
});
