// The video of a call: the local preview (#local-video) and one tile per remote user in
// #remote-videos, each a <video> with the user's avatar over it until frames arrive. These only
// show streams; which streams there are is CallMedia's business (see incall.js).
import { $, el } from "./dom.js";
import { initial } from "./words.js";

/** Points a <video> at a stream (leaving it alone if it already shows that one) and plays it. */
function play(video, stream) {
  if (video.srcObject !== stream) video.srcObject = stream;
  return video.play();
}

/** Shows our own camera; `onChange` runs whenever its tracks change (the controls follow them). */
export function showLocalStream(stream, onChange) {
  const video = $("local-video");
  video.muted = true; // never play our own microphone back
  play(video, stream).catch(() => { /* a muted autoplay may be deferred; harmless */ });
  watchStream(stream, onChange);
  onChange();
}

const tileOf = (user) => [...$("remote-videos").children].find((tile) => tile.dataset.tile === user);

/** One tile per remote user: a <video> that always plays (sound too), with an avatar over it. */
export function upsertTile(user, stream) {
  let tile = tileOf(user);
  if (!tile) {
    tile = el("div", "tile");
    tile.dataset.tile = user;
    const video = el("video", "remote-video");
    video.dataset.user = user;
    video.autoplay = true;
    video.playsInline = true;
    for (const type of ["resize", "loadeddata", "emptied"]) video.addEventListener(type, () => renderTile(tile));
    const cover = el("span", "tile-cover");
    cover.append(el("span", "avatar avatar-xl", initial(user)));
    tile.append(video, cover, el("span", "tile-name", user));
    $("remote-videos").append(tile);
  }
  play(tile.querySelector("video"), stream).catch((error) => console.warn("dialtone: remote playback", error));
  watchStream(stream, () => renderTile(tile));
  renderTile(tile);
  layoutTiles();
}

export function removeTile(user) {
  const tile = tileOf(user);
  if (!tile) return;
  tile.querySelector("video").srcObject = null;
  tile.remove();
  layoutTiles();
}

/** Empties the stage once a call is over, letting go of every stream. */
export function clearTiles() {
  for (const video of $("remote-videos").querySelectorAll("video")) video.srcObject = null;
  $("remote-videos").replaceChildren();
  $("local-video").srcObject = null;
  layoutTiles();
}

/** The CSS lays the tiles out by their count; the avatar placeholder shows while there are none. */
export function layoutTiles() {
  const count = $("remote-videos").children.length;
  $("remote-videos").dataset.count = String(count);
  $("incall-placeholder").hidden = count > 0;
}

/** Shows the picture once frames arrive. (Chromium may leave remote tracks `muted` even while
 *  they play, so the element's own size is the signal, not track.muted.) */
function renderTile(tile) {
  const video = tile.querySelector("video");
  const live = video.srcObject?.getVideoTracks().some((track) => track.readyState === "live");
  tile.classList.toggle("has-video", Boolean(live) && video.videoWidth > 0);
}

const watched = new WeakSet();

/** Calls onChange when a stream gains or loses tracks, or a track (un)mutes or ends. */
function watchStream(stream, onChange) {
  const watchTrack = (track) => {
    if (watched.has(track)) return;
    watched.add(track);
    for (const type of ["mute", "unmute", "ended"]) track.addEventListener(type, onChange);
  };
  stream.getTracks().forEach(watchTrack);
  if (watched.has(stream)) return;
  watched.add(stream);
  stream.addEventListener("addtrack", (event) => { watchTrack(event.track); onChange(); });
  stream.addEventListener("removetrack", onChange);
}
