// The admin console in headless Chromium (Debian's /usr/bin/chromium driven by playwright-core)
// against a running authority and a validator sidecar: sign in, search, details, revoke with a
// reason, bulk revoke, force logout, the audit page, a user without an admin role on My sessions, and
// after each revocation the sidecar's denial of the affected access token; the Overview's charts,
// tables that fit 1280 px, pages that fit 420 px, and the favicon. Screenshots of every page go to $TA_SCREENSHOTS.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { chromium } from "playwright-core";
import { DenialReason, ValidatorService } from "../gen/tokenauthority/v1/validator_pb.js";
import { clients, env, webUrl } from "./web-client.mjs";

const { auth } = clients();
const sidecar = createClient(ValidatorService,
  createGrpcTransport({ baseUrl: `http://127.0.0.1:${env("TA_SIDECAR_PORT")}` }));
const screenshots = env("TA_SCREENSHOTS");
const appLogin = (username) => auth.login({ clientId: "demo-app", username, password: env("TA_USER_PASSWORD"),
  device: { name: `${username.split("@")[0]}'s laptop`, userAgent: "console-browser-test" } });

let browser;
let page;

before(async () => {
  mkdirSync(screenshots, { recursive: true });
  browser = await chromium.launch({
    executablePath: process.env.TA_CHROMIUM ?? "/usr/bin/chromium",
    // As root in CI there is no sandbox; without the background-networking flags Chromium keeps
    // trying to reach Google's hosts, which this machine's network refuses.
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  page.setDefaultTimeout(15_000);
});

after(async () => {
  await browser?.close();
});

const shot = (name) => page.screenshot({ path: `${screenshots}/${name}.png`, fullPage: true });

/** Waits until the sidecar's answer for `accessToken` matches (it learns of changes through its feed). */
async function sidecarAnswers(accessToken, expected, matches) {
  const deadline = Date.now() + 10_000;
  let last;
  while (Date.now() < deadline) {
    last = await sidecar.validate({ token: accessToken, audience: "demo-api" });
    if (matches(last)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`sidecar still answers valid=${last.valid} reason=${DenialReason[last.reason]}, expected ${expected}`);
}
const sidecarDenies = (token, reason) =>
  sidecarAnswers(token, DenialReason[reason], (r) => !r.valid && r.reason === reason);
const sidecarAccepts = (token) => sidecarAnswers(token, "valid", (r) => r.valid);

/** Tables whose content is wider than their box hide columns behind a scroll bar: none may at this width. */
async function noTableIsClipped(where) {
  await page.locator(".table-wrap table tbody tr").first().waitFor();
  const clipped = await page.locator(".table-wrap").evaluateAll((wraps) => wraps
    .filter((w) => w.scrollWidth > w.clientWidth).map((w) => `${w.scrollWidth} > ${w.clientWidth}`));
  assert.deepEqual(clipped, [], `${where}: a table is wider than its container`);
}

/** The page scrolls sideways when its content is wider than the window. */
async function pageFitsTheWindow(where, tab = page) {
  const { scroll, client } = await tab.evaluate(() => ({ scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth }));
  assert.ok(scroll <= client, `${where}: the page is ${scroll}px wide in a ${client}px window`);
}

/** Pixels of a chart's canvas painted in its series' colour (not the white background, the grey grid or axes). */
async function paintedPixels(card) {
  return page.locator(`.card[data-card="${card}"] canvas`).evaluate((canvas) => {
    const { data } = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
    let painted = 0;
    for (let i = 0; i < data.length; i += 4) {
      const [r, g, b, a] = [data[i], data[i + 1], data[i + 2], data[i + 3]];
      if (a > 0 && Math.max(r, g, b) - Math.min(r, g, b) > 40) painted++;
    }
    return painted;
  });
}

async function confirmWithReason(reason) {
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Reason").fill(reason);
  await dialog.locator("button[type=submit]").click();
}

test("an admin revokes, bulk revokes and forces a logout from the console; the sidecar denies each token", async (t) => {
  const alice = await appLogin("alice@example.com");
  const bob = await appLogin("bob@example.com");
  const aliceSecond = await appLogin("alice@example.com");
  assert.equal((await sidecar.validate({ token: alice.accessToken, audience: "demo-api" })).valid, true);

  await t.test("a failed sign-in says so, and why", async () => {
    await page.goto(`${webUrl()}/admin/`);
    await page.getByLabel("Email").fill(env("TA_ADMIN_USERNAME"));
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Sign in" }).click();
    const alert = page.getByRole("alert");
    await alert.getByText(/^Sign-in failed: .+Check the email and password\.$/).waitFor();
    assert.doesNotMatch(await alert.textContent(), /Signed out/);
  });

  await t.test("sign in: the Overview is the landing page and its charts show the logins just made", async () => {
    await page.getByLabel("Password").fill(env("TA_ADMIN_PASSWORD"));
    await shot("01-sign-in");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Overview" }).waitFor();
    assert.equal(await page.locator("nav.top a[aria-current=page]").textContent(), "Overview");
    await page.locator(".card canvas").nth(4).waitFor();
    assert.equal(await page.locator(".card canvas").count(), 5, "five activity charts");
    // Three app logins and this admin's: at least four in the last hour, counted by the replica answering.
    const logins = await page.locator('.card[data-card="logins"] .headline').textContent();
    assert.ok(Number(logins.match(/^(\d+) logins?$/)?.[1]) >= 4, `logins headline: ${logins}`);
    assert.match(await page.locator('.card[data-card="active-sessions"] .headline').textContent(), /^[1-9]\d* now$/);
    assert.ok(await paintedPixels("logins") > 20, "the logins chart has bars");
    assert.ok(await paintedPixels("active-sessions") > 20, "the active-sessions chart has a line");
    await shot("10-overview");
    await page.getByRole("button", { name: "Last 24 hours" }).click();
    await page.locator('button[data-range="day"][aria-pressed="true"]').waitFor();
    await page.locator(".card .muted", { hasText: "per hour" }).first().waitFor();
    await page.locator(".card canvas").nth(4).waitFor();
    assert.ok(await paintedPixels("logins") > 20, "the day's logins chart has bars");
    await shot("11-overview-day");
    await page.getByRole("link", { name: "Tokens" }).click();
    await page.getByRole("heading", { name: "Tokens" }).waitFor();
  });

  await t.test("the favicon is served, at the root and beside the console", async () => {
    for (const path of ["/favicon.ico", "/admin/favicon.ico"]) {
      const response = await fetch(`${webUrl()}${path}`);
      assert.equal(response.status, 200, path);
      const body = Buffer.from(await response.arrayBuffer());
      assert.deepEqual([...body.subarray(0, 4)], [0, 0, 1, 0], `${path} is an ICO file`);
    }
  });

  await t.test("find a user's token by search and open its details", async () => {
    await page.getByLabel("Search").fill("alice@example.com");
    await page.getByLabel("Search").press("Enter");
    // The unfiltered list may show both at first: the search has applied once bob's token is gone.
    await page.getByRole("button", { name: bob.refreshTokenId }).waitFor({ state: "detached" });
    await page.getByRole("button", { name: alice.refreshTokenId }).waitFor();
    await shot("02-tokens");
    await page.getByRole("button", { name: alice.refreshTokenId }).click();
    const drawer = page.getByRole("dialog", { name: `Token ${alice.refreshTokenId}` });
    await drawer.getByText("Audit history").waitFor();
    await drawer.getByText("alice's laptop").waitFor();
    await drawer.getByText('"sid"').waitFor();
    await shot("03-token-details");
  });

  await t.test("revoke with a reason: the status, the audit entry and the sidecar follow", async () => {
    await page.getByRole("dialog", { name: `Token ${alice.refreshTokenId}` }).getByRole("button", { name: "Revoke" }).click();
    await confirmWithReason("browser test: lost laptop");
    // The console waits for the connected sidecars and says how many applied it.
    await page.getByText(/^Token revoked\. Applied by 1 of 1 sidecar in \d+ ms\.$/).waitFor();
    const drawer = page.getByRole("dialog", { name: `Token ${alice.refreshTokenId}` });
    await drawer.getByText("REVOKED", { exact: true }).first().waitFor();
    await drawer.getByText("browser test: lost laptop").first().waitFor();
    await shot("04-token-revoked");
    await drawer.getByRole("button", { name: "Close details" }).click();
    await sidecarDenies(alice.accessToken, DenialReason.SESSION_REVOKED);
  });

  await t.test("suspend, resume and edit a token's expiry and note", async () => {
    const bobSecond = await appLogin("bob@example.com");
    await page.getByLabel("Search").fill(bobSecond.refreshTokenId);
    await page.getByLabel("Search").press("Enter");
    await page.getByText("Page 1 · 1 token", { exact: true }).waitFor();
    await page.getByRole("button", { name: bobSecond.refreshTokenId }).click();
    const drawer = page.getByRole("dialog", { name: `Token ${bobSecond.refreshTokenId}` });
    await drawer.getByRole("button", { name: "Suspend" }).click();
    await confirmWithReason("browser test: suspicious");
    await page.getByText("Token suspended.").waitFor();
    await drawer.getByText("SUSPENDED", { exact: true }).first().waitFor();
    await sidecarDenies(bobSecond.accessToken, DenialReason.TOKEN_SUSPENDED);
    await drawer.getByRole("button", { name: "Resume" }).click();
    await confirmWithReason("browser test: cleared");
    await page.getByText("Token resumed.").waitFor();
    await sidecarAccepts(bobSecond.accessToken);
    await drawer.getByRole("button", { name: "Edit" }).click();
    const edit = page.getByRole("dialog", { name: `Edit ${bobSecond.refreshTokenId}` });
    await edit.getByLabel("Expires at").fill("2030-01-01T12:00");
    await edit.getByLabel("Note").fill("checked by the browser test");
    await edit.locator("button[type=submit]").click();
    // Past the session's absolute limit: the server's answer is shown, nothing changes.
    await page.getByText(/INVALID_ARGUMENT|FAILED_PRECONDITION|InvalidArgument|FailedPrecondition/).first().waitFor();
    await drawer.getByRole("button", { name: "Edit" }).click();
    const tomorrow = new Date(Date.now() + 24 * 3600_000 - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    await edit.getByLabel("Expires at").fill(tomorrow);
    await edit.getByLabel("Note").fill("checked by the browser test");
    await edit.locator("button[type=submit]").click();
    await page.getByText("Token updated.").waitFor();
    await page.getByRole("dialog", { name: `Token ${bobSecond.refreshTokenId}` }).getByText("checked by the browser test").waitFor();
    await page.getByRole("dialog", { name: `Token ${bobSecond.refreshTokenId}` }).getByRole("button", { name: "Close details" }).click();
  });

  await t.test("sort by a column, filter by status, export the filter as CSV", async () => {
    await page.getByLabel("Search").fill("");
    await page.getByLabel("Search").press("Enter");
    await page.getByRole("button", { name: "Expires At" }).click();
    await page.locator("th[aria-sort=ascending]", { hasText: "Expires At" }).waitFor();
    await page.getByRole("checkbox", { name: "REVOKED", exact: true }).check();
    await page.getByRole("button", { name: aliceSecond.refreshTokenId }).waitFor({ state: "detached" });
    await page.getByRole("button", { name: alice.refreshTokenId }).waitFor();
    const [download] = await Promise.all([page.waitForEvent("download"),
      page.getByRole("button", { name: "Export CSV" }).click()]);
    const csv = await readFile(await download.path(), "utf8");
    assert.match(csv.split("\n")[0], /token_id/);
    assert.ok(csv.includes(alice.refreshTokenId), "the revoked token is exported");
    assert.ok(!csv.includes(aliceSecond.refreshTokenId), "an active token is not");
    await page.getByRole("checkbox", { name: "REVOKED", exact: true }).uncheck();
  });

  await t.test("a reload keeps the admin signed in (cookie-mode refresh)", async () => {
    // The listener's cookie is Secure: Chromium kept it under its __Host- name (loopback counts as a secure origin).
    const cookies = await page.context().cookies();
    const refreshCookie = cookies.find((c) => c.name === "__Host-ta_refresh");
    assert.ok(refreshCookie?.httpOnly && refreshCookie.secure && refreshCookie.path === "/",
      `cookies: ${JSON.stringify(cookies.map((c) => [c.name, c.path, c.secure]))}`);
    await page.reload();
    await page.getByRole("heading", { name: "Tokens" }).waitFor();
    await page.getByText(env("TA_ADMIN_USERNAME")).first().waitFor();
  });

  await t.test("bulk revoke the selected tokens", async () => {
    await noTableIsClipped("tokens at 1280 px");
    await page.getByLabel(`Select ${bob.refreshTokenId}`).check();
    await page.getByRole("button", { name: "Revoke selected (1)" }).click();
    await page.getByRole("dialog", { name: "Revoke 1 token" }).getByRole("button", { name: "Cancel" }).click();
    await page.getByLabel(`Select ${aliceSecond.refreshTokenId}`).check();
    await page.getByRole("button", { name: "Revoke selected (2)" }).click();
    await confirmWithReason("browser test: bulk");
    await page.getByText("Revoked 2 of 2 tokens").waitFor();
    await sidecarDenies(bob.accessToken, DenialReason.SESSION_REVOKED);
    await sidecarDenies(aliceSecond.accessToken, DenialReason.SESSION_REVOKED);
    await shot("05-bulk-revoked");
  });

  await t.test("revoke every token a search matches: a preview, then the previewed count echoed back", async () => {
    const bobPhone = await appLogin("bob@example.com");
    const bobTablet = await appLogin("bob@example.com");
    await page.getByLabel("Search").fill("bob@example.com");
    await page.getByLabel("Search").press("Enter");
    await page.getByRole("button", { name: bobTablet.refreshTokenId }).waitFor();
    await page.getByRole("button", { name: "Revoke all matching…" }).click();
    let dialog = page.getByRole("dialog", { name: "Revoke all matching tokens" });
    // bob's first token was revoked in bulk above (counted apart, not revoked again); the one edited above is live.
    await dialog.getByText("This revokes 3 tokens in 3 sessions of 1 user (1 more already revoked)").waitFor();
    for (const pair of [bobPhone, bobTablet]) await dialog.getByRole("cell", { name: pair.refreshTokenId }).waitFor();
    assert.equal(await dialog.getByRole("cell", { name: bob.refreshTokenId }).count(), 0, "the sample shows only what it revokes");
    await shot("05b-revoke-matching-preview");
    // The filter grows between the preview and the confirmation: the authority refuses, nothing is revoked.
    const bobLaptop = await appLogin("bob@example.com");
    await confirmWithReason("browser test: by filter");
    await page.getByRole("alert").getByText(/FailedPrecondition: expected_count is 3 but the call would now revoke 4 tokens/).waitFor();
    await sidecarAccepts(bobPhone.accessToken);
    // Previewed again, the four go.
    await page.getByRole("button", { name: "Revoke all matching…" }).click();
    dialog = page.getByRole("dialog", { name: "Revoke all matching tokens" });
    await dialog.getByText("This revokes 4 tokens in 4 sessions of 1 user").waitFor();
    await confirmWithReason("browser test: by filter");
    await page.getByText("Revoked 4 tokens.").waitFor();
    for (const pair of [bobPhone, bobTablet, bobLaptop]) await sidecarDenies(pair.accessToken, DenialReason.SESSION_REVOKED);
  });

  await t.test("force logout a user from the sessions page", async () => {
    const aliceThird = await appLogin("alice@example.com");
    await page.getByRole("link", { name: "Sessions", exact: true }).click();
    await page.getByRole("heading", { name: "Sessions" }).waitFor();
    await page.getByRole("button", { name: "Force logout alice@example.com" }).first().waitFor();
    await noTableIsClipped("sessions at 1280 px");
    await shot("06-sessions");
    await page.getByRole("button", { name: "Force logout alice@example.com" }).first().click();
    await confirmWithReason("browser test: force logout");
    await page.getByText("alice@example.com logged out").waitFor();
    await sidecarDenies(aliceThird.accessToken, DenialReason.USER_TOKENS_REVOKED);
  });

  await t.test("the Sidecars page lists the sidecar at the log's head, and the Overview counts it fresh", async () => {
    await page.getByRole("link", { name: "Sidecars" }).click();
    await page.getByRole("heading", { name: "Sidecars" }).waitFor();
    const row = page.locator("tr[data-sidecar]");
    await row.first().waitFor();
    assert.equal(await row.count(), 1, "one sidecar follows this authority");
    assert.equal(await row.locator(".badge").textContent(), "fresh");
    assert.equal(await row.locator("td").nth(3).textContent(), "at head");
    await page.getByText(/^1 fresh · 0 lagging · 0 not reporting · 0 gone · log head \d+$/).waitFor();
    await noTableIsClipped("sidecars at 1280 px");
    await shot("15-sidecars");
    await page.getByRole("link", { name: "Overview" }).click();
    const card = page.locator('.card[data-card="sidecars"]');
    await card.locator('[data-state="fresh"] strong').waitFor();
    assert.equal(await card.locator('[data-state="fresh"] strong').textContent(), "1");
    assert.equal(await card.locator('[data-state="gone"] strong').textContent(), "0");
    await page.getByRole("link", { name: "Sessions", exact: true }).click();
  });

  await t.test("the audit page shows who did what", async () => {
    await page.getByRole("link", { name: "Audit" }).click();
    await page.getByRole("heading", { name: "Audit" }).waitFor();
    await page.getByText("browser test: force logout").waitFor();
    await page.getByText("browser test: lost laptop").first().waitFor();
    // The force logout's target is alice: her email is shown, her id kept beneath it.
    const forceLogout = page.locator("tr", { hasText: "browser test: force logout" }).first();
    assert.match(await forceLogout.textContent(), /user alice@example\.com/);
    assert.match(await forceLogout.locator(".id").last().textContent(), /\S{6,}/);
    await noTableIsClipped("audit at 1280 px");
    await shot("07-audit");
  });

  await t.test("readable in a narrow window", async () => {
    await page.setViewportSize({ width: 420, height: 900 });
    await page.getByRole("link", { name: "Tokens" }).click();
    await page.getByRole("heading", { name: "Tokens" }).waitFor();
    await shot("08-tokens-narrow");
    await page.getByRole("link", { name: "Overview" }).click();
    await page.locator(".card canvas").nth(4).waitFor();
    await pageFitsTheWindow("the Overview at 420 px");
    const widest = await page.locator(".card").evaluateAll((cards) => Math.max(...cards.map((c) => c.getBoundingClientRect().right)));
    assert.ok(widest <= 420, `a card reaches ${widest}px`);
    await shot("12-overview-narrow");
    await page.getByRole("link", { name: "Sidecars" }).click();
    await page.locator("tr[data-sidecar]").first().waitFor();
    await pageFitsTheWindow("the Sidecars page at 420 px");
    await shot("16-sidecars-narrow");
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  await t.test("an admin has My sessions too, this browser marked", async () => {
    await page.getByRole("link", { name: "My sessions" }).click();
    await page.getByRole("heading", { name: "My sessions" }).waitFor();
    const current = page.locator("tr.current");
    await current.getByText("This device").waitFor();
    assert.match(await current.textContent(), /Admin console/);
    await noTableIsClipped("my sessions at 1280 px");
  });

  await t.test("a user without an admin role lands on My sessions and ends a session there; the sidecar denies it", async () => {
    const laptop = await appLogin("alice@example.com");
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const user = await context.newPage();
    user.setDefaultTimeout(15_000);
    await user.goto(`${webUrl()}/admin/`);
    await user.getByLabel("Email").fill("alice@example.com");
    await user.getByLabel("Password").fill(env("TA_USER_PASSWORD"));
    await user.getByRole("button", { name: "Sign in" }).click();
    await user.getByRole("heading", { name: "My sessions" }).waitFor();
    assert.deepEqual(await user.locator("nav.top a").allTextContents(), ["My sessions"], "no admin page offered");
    // An admin page asked for by its address still shows My sessions: her token opens nothing else.
    await user.goto(`${webUrl()}/admin/#/tokens`);
    await user.getByRole("heading", { name: "My sessions" }).waitFor();
    assert.match(await user.locator("nav.top .who").textContent(), /alice@example\.com/);
    await user.locator("tr.current").getByText("This device").waitFor();
    const row = user.locator(`tr[data-session="${laptop.sessionId}"]`);
    assert.match(await row.textContent(), /alice's laptop/);
    assert.match(await row.textContent(), /Demo application/);
    await user.screenshot({ path: `${screenshots}/13-my-sessions.png`, fullPage: true });
    await row.getByRole("button", { name: /^End session/ }).click();
    await user.getByRole("dialog").locator("button[type=submit]").click();
    await user.getByText("Session ended.").waitFor();
    await row.waitFor({ state: "detached" });
    await sidecarDenies(laptop.accessToken, DenialReason.SESSION_REVOKED);

    const phone = await appLogin("alice@example.com");
    await user.setViewportSize({ width: 420, height: 860 });
    await user.reload();
    await user.locator(`tr[data-session="${phone.sessionId}"]`).waitFor();
    await pageFitsTheWindow("My sessions at 420 px", user);
    await user.screenshot({ path: `${screenshots}/14-my-sessions-narrow.png`, fullPage: true });
    await user.getByRole("button", { name: "Log out everywhere else" }).click();
    await user.getByRole("dialog").locator("button[type=submit]").click();
    // The phone's alone: her earlier sessions ended with the force logout above, whether or not their rows have followed.
    await user.getByText("1 other session ended.").waitFor();
    await sidecarDenies(phone.accessToken, DenialReason.SESSION_REVOKED);
    await user.locator(`tr[data-session="${phone.sessionId}"]`).waitFor({ state: "detached" });
    assert.equal(await user.locator("tbody tr").count(), 1, "only this device is left");
    await user.locator("tr.current").getByText("This device").waitFor();
    await context.close();
  });

  await t.test("log out all users waits for the typed phrase", async () => {
    await page.getByRole("link", { name: "Sessions", exact: true }).click();
    await page.getByRole("button", { name: "Log out all users" }).click();
    const dialog = page.getByRole("dialog");
    assert.equal(await dialog.locator("button[type=submit]").isDisabled(), true, "confirm waits for the phrase");
    await dialog.getByRole("button", { name: "Cancel" }).click();
  });

  await t.test("a viewer sees the tokens, and a refused action explains the permission", async () => {
    const admin = clients().admin;
    const adminPair = await auth.login({ clientId: "admin-cli", username: env("TA_ADMIN_USERNAME"), password: env("TA_ADMIN_PASSWORD") });
    await admin.createUser({ email: "viewer@example.com", password: "viewer-password-123", roles: ["viewer"] },
      { headers: { authorization: `Bearer ${adminPair.accessToken}` } });
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const viewer = await context.newPage();
    await viewer.goto(`${webUrl()}/admin/`);
    await viewer.getByLabel("Email").fill("viewer@example.com");
    await viewer.getByLabel("Password").fill("viewer-password-123");
    await viewer.getByRole("button", { name: "Sign in" }).click();
    await viewer.getByRole("heading", { name: "Overview" }).waitFor();
    await viewer.getByRole("link", { name: "Tokens" }).click();
    await viewer.getByRole("button", { name: aliceSecond.refreshTokenId }).click();
    await viewer.getByRole("dialog", { name: `Token ${aliceSecond.refreshTokenId}` }).getByRole("button", { name: "Edit" }).click();
    await viewer.getByRole("dialog", { name: `Edit ${aliceSecond.refreshTokenId}` }).getByLabel("Note").fill("viewer was here");
    await viewer.getByRole("dialog", { name: `Edit ${aliceSecond.refreshTokenId}` }).locator("button[type=submit]").click();
    await viewer.getByText(/Not allowed: .*Your role does not include this action/).waitFor();
    await viewer.screenshot({ path: `${screenshots}/09-viewer-permission-denied.png`, fullPage: true });
    await context.close();
  });

  await t.test("sign out ends the browser session", async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("button", { name: "Sign in" }).waitFor();
    await page.reload();
    await page.getByRole("button", { name: "Sign in" }).waitFor();
  });
});
