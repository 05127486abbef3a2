// The developer portal: sign in, choose an organization (a rep also a customer), get an access token
// and open GraphiQL with it. Tokens live in this page's memory only, so a reload or sign-out forgets them.
const byId = (id) => document.getElementById(id);
const status = byId("status");
const message = byId("message");
const signInForm = byId("sign-in");
const signedIn = byId("signed-in");
const accessForm = byId("access");
const actForForm = byId("act-for");
const tokenSection = byId("token");
const tokenField = byId("access-token");

let session = null;

function say(text) {
  message.hidden = true;
  status.textContent = text;
}

/** Runs one step with its button disabled; a refusal shows the server's problem detail. */
async function step(button, work) {
  button.disabled = true;
  message.hidden = true;
  status.textContent = "";
  try {
    await work();
  } catch (error) {
    showError(message, error);
  } finally {
    button.disabled = false;
  }
}

/** The claims, for display only: the server checks the signature, the page just reads them. */
function claimsOf(token) {
  const part = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
  const bytes = Uint8Array.from(atob(part), (char) => char.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

function option(value, text) {
  const element = document.createElement("option");
  element.value = value;
  element.textContent = text;
  return element;
}

// The invitation and reset pages hand the address over in the fragment, which no server sees.
const handedOver = new URLSearchParams(location.hash.slice(1)).get("email");
if (handedOver) {
  history.replaceState(null, "", location.pathname + location.search);
  signInForm.email.value = handedOver;
  signInForm.password.focus();
}

signInForm.addEventListener("submit", (event) => {
  event.preventDefault();
  step(signInForm.querySelector("button"), async () => {
    const email = signInForm.email.value;
    const answer = await callApi("POST", "/api/auth/sign-in", {
      body: { Email: email, Password: signInForm.password.value },
    });
    const identityToken = answer.AccessToken;
    // Memberships, and sales-rep assignments, which are not memberships but give access too.
    const [memberships, assignments] = await Promise.all([
      callApi("GET", "/api/users/organizations", { token: identityToken }),
      callApi("GET", "/api/salesreps/organizations", { token: identityToken }),
    ]);
    const organizations = new Map();
    for (const organization of memberships.Organizations) {
      organizations.set(organization.IdentityOrganizationId, { name: organization.Name, rep: false });
    }
    for (const assignment of assignments.salesRepOrganizations) {
      if (assignment.active) {
        organizations.set(assignment.identityOrganizationId, { name: assignment.organizationName, rep: true });
      }
    }
    session = { identityToken, organizations, issued: [identityToken] };
    signInForm.password.value = "";
    byId("who").textContent = email;
    const choices = [...organizations].map(([id, { name, rep }]) => option(id, rep ? `${name} (sales rep)` : name));
    byId("organization").replaceChildren(...choices);
    accessForm.hidden = choices.length === 0;
    signInForm.hidden = true;
    signedIn.hidden = false;
    say(
      choices.length ? "Signed in. Choose an organization." : "Signed in. Your account belongs to no organization yet.",
    );
  });
});

accessForm.addEventListener("submit", (event) => {
  event.preventDefault();
  step(accessForm.querySelector("button"), async () => {
    const claims = await getAccessToken(accessForm.organization.value);
    const rep = claims.Roles.includes("SalesRep");
    if (rep) await listRepCustomers(claims);
    actForForm.hidden = !rep;
  });
});

// A rep's customers belong to one organization: choosing another asks for its token first.
accessForm.organization.addEventListener("change", () => {
  actForForm.hidden = true;
});

actForForm.addEventListener("submit", (event) => {
  event.preventDefault();
  step(actForForm.querySelector("button"), () =>
    getAccessToken(accessForm.organization.value, actForForm.customer.value.trim()),
  );
});

async function getAccessToken(organizationId, customerNumber) {
  const answer = await callApi("POST", "/api/auth/access", {
    token: session.identityToken,
    body: { IdentityOrganizationId: organizationId, ...(customerNumber ? { CustomerNumber: customerNumber } : {}) },
  });
  const token = answer.AccessToken;
  session.issued.push(token);
  session.accessToken = token;
  const claims = claimsOf(token);
  const expires = new Date(claims.exp * 1000);
  const time = document.createElement("time");
  time.dateTime = expires.toISOString();
  time.textContent = `${expires.toLocaleString()} (in ${Math.round(answer.ExpiresIn / 60)} minutes)`;
  byId("token-organization").textContent = session.organizations.get(organizationId).name;
  byId("token-roles").textContent = claims.Roles.length ? claims.Roles.join(", ") : "none";
  byId("token-customer").textContent = claims.CustomerNumber ?? "none";
  byId("token-expires").replaceChildren(time);
  tokenField.value = token;
  // graphiql-page.js takes the header from the fragment, which stays out of requests and logs.
  byId("open-graphiql").href = "/graphql#authorization=" + encodeURIComponent("Bearer " + token);
  tokenSection.hidden = false;
  say(`Access token for ${session.organizations.get(organizationId).name}, valid until ${expires.toLocaleString()}.`);
  return claims;
}

/** A rep's customers to pick from; the field takes any customer number in the rep's scope too. */
async function listRepCustomers(claims) {
  const page = await callApi("GET", "/api/salesreps/customers?pageSize=100&sortOn=CompanyName", {
    token: session.accessToken,
  });
  byId("customers").replaceChildren(
    ...page.data.map((customer) => option(customer.customerNumber, customer.companyName)),
  );
  if (claims.CustomerNumber) actForForm.customer.value = claims.CustomerNumber;
}

byId("copy").addEventListener("click", async () => {
  try {
    await navigator.clipboard.writeText(tokenField.value);
    say("The token is copied.");
  } catch {
    // No clipboard API outside a secure context (plain http on a host other than localhost).
    tokenField.select();
    say("The token is selected: press Ctrl+C (⌘C on a Mac) to copy it.");
  }
});

byId("sign-out").addEventListener("click", (event) => {
  step(event.currentTarget, async () => {
    const { identityToken, issued } = session;
    // Ends the session on the server: its identity token and every access token issued from it.
    // The page forgets the tokens whatever the answer.
    try {
      await callApi("POST", "/api/auth/sign-out", { token: identityToken, body: {} });
      say("Signed out. The tokens of this sign-in no longer work.");
    } catch (error) {
      throw new Error(`Signed out of this page, but the server refused to end the session: ${error.message}`, {
        cause: error,
      });
    } finally {
      forget(issued);
    }
  });
});

/** Drops the page's tokens, and the copies GraphiQL keeps in this origin's storage. */
function forget(tokens) {
  session = null;
  for (const key of Object.keys(localStorage)) {
    const value = localStorage.getItem(key) ?? "";
    if (tokens.some((token) => value.includes(token))) localStorage.removeItem(key);
  }
  tokenField.value = "";
  byId("open-graphiql").href = "/graphql";
  byId("organization").replaceChildren();
  byId("customers").replaceChildren();
  actForForm.reset();
  actForForm.hidden = true;
  tokenSection.hidden = true;
  signedIn.hidden = true;
  signInForm.hidden = false;
}
