// The quick start of docs/sdk-js.md: sign in, call or answer, show the video, hang up.
// Open /examples/quickstart.html?user=alice on a development server (a name is enough there);
// with a token of your own, replace devToken() by whatever gives your users their tokens.
import { DialtoneClient } from "../sdk/dialtone.js";
import { CallMedia } from "../sdk/media.js";

const $ = (id) => document.getElementById(id);
const user = new URLSearchParams(location.search).get("user") ?? "alice";
const status = (text) => { $("status").textContent = text; };

async function devToken() {
  const reply = await fetch(`/dev/token?user=${encodeURIComponent(user)}`, { method: "POST" });
  if (!reply.ok) throw new Error(`no development token (${reply.status})`);
  return (await reply.json()).token;
}

const client = new DialtoneClient({
  url: `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/v1/ws`,
  token: devToken,                 // asked again whenever the SDK must sign in afresh
  device: "quickstart",
});

/** Shows a call from its first ring to its end, with its media once it is active. */
function follow(call) {
  let media = null;
  const startMedia = () => {
    if (media) return;
    media = new CallMedia(call);   // asks for camera and microphone, connects to every peer
    media.on("localStream", (stream) => { $("local").srcObject = stream; });
    media.on("remoteStream", (peer, stream) => remoteVideo(peer).srcObject = stream);
    media.on("remoteStreamRemoved", (peer) => remoteVideo(peer).remove());
    media.on("error", (error) => status(`Media: ${error.message}`));
  };
  call.on("ringing", () => status(`Ringing ${call.invitees.join(", ")}…`));
  call.on("started", () => { startMedia(); status("In call"); });
  call.on("hold", (who, held) => status(held ? `${who} put the call on hold` : "In call"));
  call.on("reconnecting", (who) => status(`${who} is reconnecting…`));
  call.on("resumed", () => status("In call"));
  call.on("ended", (reason, by) => {
    status(`Call ended: ${reason}${by ? ` (by ${by})` : ""}`);
    $("accept").hidden = $("hangup").hidden = true;
    document.querySelectorAll("video.remote").forEach((video) => video.remove());
  });
  $("hangup").hidden = false;
  $("hangup").onclick = () => call.hangup().catch((e) => status(e.message));
}

function remoteVideo(peer) {
  let video = document.querySelector(`video.remote[data-user="${CSS.escape(peer)}"]`);
  if (!video) {
    video = Object.assign(document.createElement("video"), { autoplay: true, playsInline: true, className: "remote" });
    video.dataset.user = peer;
    $("videos").append(video);
  }
  return video;
}

client.on("connectionState", (state) => { if (state !== "connected") status(state); });
client.on("incoming", (call) => {
  status(`${call.caller} is calling (${call.media})`);
  follow(call);
  $("accept").hidden = false;
  $("accept").onclick = () => { $("accept").hidden = true; call.accept().catch((e) => status(e.message)); };
});

$("dial").onsubmit = async (event) => {
  event.preventDefault();
  try {
    follow(await client.invite($("callee").value.trim(), { media: "video" }));
  } catch (error) {
    status(`Could not call: ${error.code} — ${error.message}`);   // every error has a code
  }
};

const session = await client.connect();
status(`Signed in as ${session.user}`);
