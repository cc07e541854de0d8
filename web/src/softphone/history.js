// The home screen's call history and the missed-calls badge.
import { $, el } from "./dom.js";
import { showError } from "./notices.js";
import { app } from "./state.js";
import { formatDuration, formatWhen, historyDetail, historyLabel, missedCallsTitle, outcomeText } from "./words.js";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The count the server gave at sign-in: calls missed while no device was signed in. */
export function renderMissedBadge(count) {
  const badge = $("missed-badge");
  badge.hidden = !(count > 0);
  badge.textContent = count > 0 ? String(count) : "";
  badge.title = count > 0 ? missedCallsTitle(count) : "";
}

/** Loads the history; after a call, retries briefly, since its record is written after it ends. */
export async function refreshHistory(expectCallId) {
  const client = app.client;
  for (let attempt = 1; client && attempt <= 4; attempt++) {
    try {
      const page = await client.history({ limit: 50 });
      if (client !== app.client) return;
      renderHistory(page.calls);
      if (!expectCallId || page.calls.some((record) => record.callId === expectCallId)) return;
    } catch (error) {
      if (client === app.client) showError(error);
      return;
    }
    await sleep(400 * attempt);
  }
}

function renderHistory(records) {
  $("history").replaceChildren(...records.map(historyEntry));
  $("history-empty").hidden = records.length > 0;
}

function otherParty(record) {
  if (record.caller !== app.me) return record.caller;
  return record.invitees.map((invitee) => invitee.user).join(", ") || "?";
}

function historyEntry(record) {
  const party = otherParty(record);
  const outcome = outcomeText(record, app.me);
  const li = el("li", "history-entry");
  li.dataset.callId = record.callId;
  li.dataset.outcome = record.outcome;
  li.classList.toggle("missed", record.outcome === "missed");

  const button = el("button", "history-button");
  button.type = "button";
  button.setAttribute("aria-label", historyLabel(party, outcome, record));
  const arrow = record.outcome === "missed" ? "✕" : record.caller === app.me ? "↗" : "↙";
  const main = el("span", "history-main");
  main.append(el("span", "history-peer", party), el("span", "history-detail", historyDetail(outcome, record.media)));
  const side = el("span", "history-side");
  side.append(el("span", "history-time", formatWhen(record.createdAt)));
  if (record.durationMs > 0) side.append(el("span", "history-duration", formatDuration(record.durationMs)));
  button.append(el("span", "history-icon", arrow), main, side);
  li.append(button);

  // Calling back is the usual thing to do with a history entry.
  li.addEventListener("click", () => {
    $("dial-user").value = party.split(",")[0].trim();
    $("dial-user").focus();
  });
  return li;
}
