// The console shell: sign-in, navigation between pages, sign-out. Administrators get #/overview (their landing page),
// #/tokens, #/sessions, #/sidecars, #/audit and #/my-sessions; a user without an admin role signs in too, for #/my-sessions alone
// (their landing page): every other page needs an admin scope their token does not carry.
import { Code, ConnectError } from "@connectrpc/connect";
import { isAdmin, mySessions, onSignedOut, refresh, signIn, signOut } from "./api.js";
import { auditPage } from "./audit.js";
import { mySessionsPage } from "./my-sessions.js";
import { overviewPage } from "./overview.js";
import { sessionsPage } from "./sessions.js";
import { sidecarsPage } from "./sidecars.js";
import { tokensPage } from "./tokens.js";
import { explain, h } from "./ui.js";

const ADMIN_PAGES = {
  overview: ["Overview", overviewPage],
  tokens: ["Tokens", tokensPage],
  sessions: ["Sessions", sessionsPage],
  sidecars: ["Sidecars", sidecarsPage],
  audit: ["Audit", auditPage],
};
const USER_PAGES = { "my-sessions": ["My sessions", mySessionsPage] };

/** The pages the signed-in user's token opens, and the first of them where they land. */
function pages() {
  return isAdmin() ? { ...ADMIN_PAGES, ...USER_PAGES } : USER_PAGES;
}
const app = document.getElementById("app");
let signedInAs = "";

function signInView(message) {
  const error = h("p", { class: "error", role: "alert" }, message ?? "");
  const form = h("form", { class: "sign-in", "aria-label": "Sign in" },
    h("h1", {}, "Token Authority"), h("p", {}, "Sign in to see where you are signed in; administrators also manage every token and session."),
    h("label", { for: "email" }, "Email", h("input", { id: "email", type: "email", autocomplete: "username", required: true })),
    h("label", { for: "password" }, "Password", h("input", { id: "password", type: "password", autocomplete: "current-password", required: true })),
    h("button", { type: "submit", class: "primary" }, "Sign in"), error);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const email = form.querySelector("#email").value.trim();
    try {
      await signIn(email, form.querySelector("#password").value);
      signedInAs = email;
      shell();
    } catch (e) {
      error.textContent = signInFailure(e);
    }
  });
  app.replaceChildren(form);
  form.querySelector("#email").focus();
}

/** Why a sign-in failed, in sign-in terms (explain() speaks of a session that already existed). */
function signInFailure(e) {
  if (!(e instanceof ConnectError)) return `Sign-in failed: ${explain(e)}`;
  switch (e.code) {
    case Code.PermissionDenied:
      return `Not allowed: ${e.rawMessage}.`;
    case Code.Unauthenticated:
      return `Sign-in failed: ${e.rawMessage}. Check the email and password.`;
    case Code.ResourceExhausted:
      return `Sign-in failed: ${e.rawMessage}. Wait a moment before trying again.`;
    default:
      return `Sign-in failed: ${explain(e)}`;
  }
}

function shell() {
  const main = h("main", { id: "page", tabindex: "-1" });
  const nav = h("nav", { class: "top", "aria-label": "Console" },
    h("span", { class: "brand" }, "Token Authority"),
    Object.entries(pages()).map(([key, [label]]) => h("a", { href: `#/${key}`, "data-page": key }, label)),
    h("span", { class: "spacer" }),
    h("span", { class: "who" }, signedInAs),
    h("button", { onclick: async () => { await signOut().catch(() => {}); } }, "Sign out"));
  app.replaceChildren(nav, main);
  route();
}

function route() {
  const main = document.getElementById("page");
  if (!main) return;
  const asked = location.hash.replace(/^#\//, "");
  const open = pages();
  const key = Object.hasOwn(open, asked) ? asked : Object.keys(open)[0];
  const [, render] = open[key];
  document.querySelectorAll("nav.top a").forEach((a) => {
    if (a.dataset.page === key) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  });
  render(main);
  main.focus();
}

onSignedOut(() => signInView("You are signed out."));
window.addEventListener("hashchange", route);

// A browser that still holds a live refresh cookie resumes without a password.
(async () => {
  try {
    await refresh();
    signedInAs = (await mySessions.listMySessions({ pageSize: 1 })).userEmail;
    shell();
  } catch (e) {
    // Two refresh cookies are refused (one may have been set by another host of this domain, which signing in again
    // does not remove): say so instead of a silent sign-in form.
    signInView(/more than one refresh cookie/.test(e?.rawMessage ?? "") ? e.rawMessage : undefined);
  } finally {
    app.removeAttribute("aria-busy");
  }
})();
