// The sign-in screen: the server's client configuration, then either a development token fetched
// for a typed name (dev mode) or a token the user pastes.
import { DialtoneClient } from "../sdk/dialtone.js";
import { $, setText } from "./dom.js";
import { hideError, showError, showErrorText } from "./notices.js";
import { enterHome, watchClient } from "./session.js";
import { app } from "./state.js";
import { SIGNIN } from "./words.js";

export async function loadConfig() {
  try {
    const response = await fetch("/v1/client-config", { headers: { accept: "application/json" } });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const config = await response.json();
    app.config = { devMode: config.devMode === true, websocketPath: config.websocketPath || "/v1/ws" };
  } catch (error) {
    // Without the configuration dev sign-in cannot be offered, but a pasted token still works.
    console.warn("dialtone: no client configuration", error);
    setText("signin-note", SIGNIN.noConfig);
  }
  renderSigninMode();
  $("signin-button").disabled = false;
}

const usesToken = () => !app.config.devMode || app.pasteToken;

/** What the user typed: the pasted token, or (dev mode) the name to fetch a token for. */
const typed = () => $(usesToken() ? "signin-token" : "signin-name").value.trim();

function renderSigninMode() {
  // With a token the user id comes from the token itself, so a name field would only mislead.
  $("signin-name-row").hidden = usesToken();
  $("signin-token-row").hidden = !usesToken();
}

function websocketUrl() {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}${app.config.websocketPath}`;
}

async function fetchDevToken(name) {
  const response = await fetch(`/dev/token?user=${encodeURIComponent(name)}`, { method: "POST" });
  // 403: the server hands development tokens to its own machine only.
  if (response.status === 403) throw Object.assign(new Error(SIGNIN.loopbackOnly), { loopbackOnly: true });
  const body = await response.json().catch(() => ({}));
  if (!response.ok || !body.token) throw new Error(body.error || SIGNIN.devTokenFailed(response.status));
  return body.token;
}

/** The SDK's token option. In dev mode a fresh token is fetched whenever the SDK signs in afresh. */
async function tokenSource() {
  const input = typed();
  if (usesToken()) return () => input;
  let first = await fetchDevToken(input); // fetched up front, so that 403 and 400 are shown as such
  return () => {
    const token = first;
    first = null;
    return token || fetchDevToken(input);
  };
}

export async function signIn(event) {
  event.preventDefault();
  if (app.client) return;
  hideError();
  if (!typed()) {
    showErrorText(usesToken() ? SIGNIN.needToken : SIGNIN.needName);
    return;
  }
  const button = $("signin-button");
  button.disabled = true;
  setText("signin-note", SIGNIN.signingIn);
  let client = null;
  try {
    const token = await tokenSource();
    client = new DialtoneClient({ url: websocketUrl(), token, device: "browser" });
    app.client = client;
    watchClient(client);
    const session = await client.connect();
    setText("signin-note", "");
    if (app.client === client) enterHome(session);
  } catch (error) {
    setText("signin-note", "");
    if (error.loopbackOnly) {
      app.pasteToken = true;
      renderSigninMode();
      setText("signin-note", error.message);
      $("signin-token").focus();
    } else if (error.code === "connection_lost") {
      showErrorText(SIGNIN.cannotConnect);
    } else {
      showError(error);
    }
    if (client && app.client === client) {
      app.client = null;
      client.close();
    }
  } finally {
    button.disabled = false;
  }
}
