package dev.dialtone.cli.softphone;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dialtone.client.CallDirection;
import dev.dialtone.client.ConnectionState;
import dev.dialtone.client.DialtoneException;
import dev.dialtone.client.SessionInfo;
import dev.dialtone.protocol.CallSnapshot;
import dev.dialtone.protocol.CallState;
import dev.dialtone.protocol.CancelReason;
import dev.dialtone.protocol.CloseCodes;
import dev.dialtone.protocol.DeclineReason;
import dev.dialtone.protocol.EndReason;
import dev.dialtone.protocol.ErrorCode;
import dev.dialtone.protocol.LeaveReason;
import dev.dialtone.protocol.Media;
import dev.dialtone.protocol.ParticipantState;
import dev.dialtone.protocol.ResumeFailure;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

/**
 * Everything the softphone says, in plain words: events as they arrive, command failures, the
 * prompt, {@code status}, {@code calls} and {@code help}. Pure: it turns values into text and
 * never prints, so every sentence is unit-testable. Sentences are written from the point of view
 * of the signed-in user ({@code me}): "you" for them, names for the others.
 */
public final class EventRenderer {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final Style style;
    private final String me;
    private final RoomEventRenderer rooms;

    /**
     * @param me the signed-in user; null before sign-in
     */
    public EventRenderer(Style style, String me) {
        this.style = Objects.requireNonNull(style, "style");
        this.me = me;
        this.rooms = new RoomEventRenderer(style);
    }

    /** The same renderer for another signed-in user. */
    public EventRenderer forUser(String user) {
        return new EventRenderer(style, user);
    }

    public Style style() {
        return style;
    }

    /** What the softphone says about conference rooms. */
    public RoomEventRenderer rooms() {
        return rooms;
    }

    /** An event line: the local time, then the text. */
    public String stamp(LocalTime time, String text) {
        return style.dim(TIME.format(time)) + "  " + text;
    }

    // ---- session -----------------------------------------------------------------------------

    public String banner(SessionInfo session, URI server) {
        String example = "bob".equals(session.user()) ? "alice" : "bob";
        return style.bold("Dialtone softphone") + " — signed in as " + style.bold(session.user())
                + (session.device() == null ? "" : " (device " + session.device() + ")") + " at " + server + "\n"
                + "type " + style.cyan("`call " + example + "`") + " to call someone, " + style.cyan("`help`")
                + " for more";
    }

    public String signingIn(URI server) {
        return style.dim("signing in to " + server + "…");
    }

    public String signedInAgain(SessionInfo session) {
        return style.green("signed in again as " + session.user());
    }

    /** {@code reason} is a complete phrase ("the server is not reachable at …"). */
    public String signInFailed(String reason) {
        return style.red("cannot sign in: " + reason);
    }

    /** Why {@code connect()} failed, for {@link #signInFailed(String)}. */
    public String signInFailure(URI server, Throwable error) {
        DialtoneException failure = DialtoneException.of(error);
        if (failure == null) {
            return "unexpected error: " + describe(unwrap(error));
        }
        if (failure.kind() == DialtoneException.Kind.REJECTED) {
            if (failure.code() == ErrorCode.UNAUTHORIZED) {
                return "the server refused the token [unauthorized] — it may have expired, or be signed with "
                        + "another secret than the server's";
            }
            return explain("sign in", failure, null) + " [" + codeName(failure) + "]";
        }
        return switch (failure.kind()) {
            case TIMEOUT -> "the server at " + server + " did not answer in time";
            case PROTOCOL -> "the server at " + server + " answered something this softphone cannot read ("
                    + failure.getMessage() + ")";
            default -> "the server is not reachable at " + server + " (" + connectionDetail(failure)
                    + ") — is it running? start one with `./dialtone serve`";
        };
    }

    /** The session ended although this softphone did not ask for it. */
    public String disconnected(int code, String reason) {
        String again = " — type `reconnect` to sign in again, or `quit`";
        return style.red(switch (code) {
            case CloseCodes.REPLACED -> "signed out: this session was replaced by a newer login"
                    + (me == null ? "" : " of " + me) + " on the same device [4409]";
            case CloseCodes.UNAUTHORIZED -> "signed out: the server no longer accepts the token [unauthorized, 4401]";
            case CloseCodes.GOING_AWAY -> "the server is shutting down [1001]" + again;
            case CloseCodes.RATE_LIMITED -> "disconnected: too many commands in a short time [4429]" + again;
            case CloseCodes.TOO_MANY_BAD_FRAMES -> "disconnected: the server could not understand this client [4400]"
                    + again;
            default -> "connection lost" + (reason == null || reason.isBlank() ? "" : " (" + reason + ")") + " ["
                    + code + "]" + again;
        });
    }

    public String signedOut() {
        return "signed out — bye!";
    }

    /** The connection dropped; the SDK is resuming the session. */
    public String resuming() {
        return style.yellow("connection lost — reconnecting…");
    }

    /** The session was resumed on a new connection. */
    public String resumed() {
        return style.green("reconnected — nothing was lost");
    }

    /** {@code reconnect} typed while connected or resuming: the SDK resumes right away. */
    public String reconnectingNow() {
        return "reconnecting now…";
    }

    public String resumeFailed(ResumeFailure reason) {
        String why = reason == null ? "the session could not be resumed"
                : switch (reason) {
                    case EXPIRED -> "the session expired (the server's resume window passed)";
                    case UNKNOWN -> "the server no longer knows this session (it probably restarted)";
                    case INVALID -> "the server refused to resume this session";
                };
        return style.red("could not reconnect: " + why + (reason == null ? "" : " [" + reason.wire() + "]"));
    }

    /** After a failed resume: the session is over. */
    public String sessionOver() {
        return style.red("you are signed out — type `reconnect` to sign in again, or `quit`");
    }

    // ---- call events ---------------------------------------------------------------------------

    /**
     * @param otherCalls whether other calls are current: then the hint names this one
     */
    public String incoming(CallView call, boolean waiting, boolean otherCalls) {
        String which = otherCalls ? " " + call.shortId() : "";
        return style.bold(style.yellow("📞 incoming " + media(call.media()) + " call from " + call.caller()))
                + (waiting ? " while you are in another call" : "")
                + " — type " + style.cyan("`accept" + which + "`") + " or "
                + style.cyan("`decline" + (waiting ? " busy" : "") + which + "`");
    }

    /** The invite was placed. */
    public String calling(CallView call) {
        return "calling " + names(call.peers(me)) + (call.media() == Media.VIDEO ? " (video)" : "") + "…"
                + style.dim(" (call " + call.shortId() + "; `cancel` to stop)");
    }

    /** The invite met the other user's invite to this user (glare): the server joined the two. */
    public String merged(CallView call) {
        return names(call.peers(me)) + " was calling you at the same moment — you are now in their call";
    }

    public String ringing(CallView call, String user) {
        return "ringing " + user + "…";
    }

    public String accepted(CallView call, String user) {
        return isMe(user) ? "you accepted" : user + " accepted";
    }

    public String started(CallView call, String roomId) {
        return style.green("call started with " + names(inCall(call))) + " (room " + roomId + ")";
    }

    /** Who is in an active call besides this user; before anyone joined, everyone invited. */
    private List<String> inCall(CallView call) {
        List<String> joined = call.participants().stream().filter(user -> !isMe(user)).toList();
        return joined.isEmpty() ? call.peers(me) : joined;
    }

    /** Another user joined a group call this user is in (a later acceptance, or a {@code join}). */
    public String participantJoined(CallView call, String user) {
        return style.green((isMe(user) ? "you" : user) + " joined the call");
    }

    /** Another user left a group call that goes on. */
    public String participantLeft(CallView call, String user, LeaveReason reason) {
        String why = reason == null ? "" : switch (reason) {
            case HANGUP -> "";
            case CONNECTION_LOST -> " (connection lost)";
            case FORCED -> " (removed)";
        };
        List<String> left = inCall(call);
        String still = left.isEmpty() ? "" : style.dim(" — still in the call: " + names(left));
        return style.yellow((isMe(user) ? "you" : user) + " left the call" + why) + still;
    }

    /** {@code invite} was accepted by the server: the users are being rung. */
    public String invitingMore(CallView call, List<String> users) {
        return "inviting " + names(users) + " into the call…";
    }

    /** {@code join} succeeded; {@code started} follows with who is there. */
    public String joining(CallView call) {
        return "joining call " + call.shortId() + "…";
    }

    /** {@code join} found several recent calls starting with the prefix. */
    public String whichRecentCall(String prefix, List<String> ids) {
        return "which call? " + ids.stream().map(CallView::shortId).collect(Collectors.joining(", "))
                + " start with `" + prefix + "` — type more of the id";
    }

    public String declined(CallView call, String user, DeclineReason reason) {
        return style.yellow(switch (reason) {
            case REFUSED -> user + " declined";
            case BUSY -> user + " declined (busy)";
            case NO_ANSWER -> "no answer from " + user;
            case OFFLINE -> user + " is offline";
        });
    }

    /**
     * The call is over for this client.
     *
     * @param by who caused it, when a user did; may be null
     * @param durationMs how long it was active, 0 if never
     * @param canceled for an incoming call that stopped ringing without this device acting: why
     */
    public String ended(CallView call, EndReason reason, String by, long durationMs, CancelReason canceled) {
        String peers = names(call.peers(me));
        boolean outgoing = call.direction() == CallDirection.OUTGOING;
        boolean several = call.peers(me).size() > 1;
        String after = durationMs > 0 || call.activeSince() != null ? " after " + duration(durationMs) : "";
        String text = switch (reason) {
            case HANGUP -> by == null ? "call ended" + after
                    : isMe(by) ? "call ended: you hung up" + after
                    : "call ended: " + by + " hung up" + after;
            case CANCELED -> {
                if (outgoing) {
                    yield "call to " + peers + " canceled";
                }
                if (canceled == CancelReason.ANSWERED_ELSEWHERE) {
                    yield "call from " + call.caller() + " answered on another device";
                }
                yield "missed call: " + call.caller() + " canceled before you answered";
            }
            case DECLINED -> {
                if (outgoing) {
                    yield "call ended: " + (by != null && !isMe(by) ? by : peers) + " declined";
                }
                if (canceled == CancelReason.DECLINED_ELSEWHERE) {
                    yield "call from " + call.caller() + " declined on another device";
                }
                yield "you declined the call from " + call.caller();
            }
            case BUSY -> outgoing ? "call ended: " + peers + (several ? " are" : " is") + " busy"
                    : "you declined the call from " + call.caller() + " (busy)";
            case NO_ANSWER -> outgoing ? "call ended: no answer" : "missed call from " + call.caller() + " (no answer)";
            case OFFLINE -> outgoing ? "call ended: " + peers + (several ? " are" : " is") + " offline"
                    : "call from " + call.caller() + " ended (offline)";
            case FORCED -> "call ended by " + (by == null ? "the server" : isMe(by) ? "you" : by) + after;
            case CONNECTION_LOST -> by == null ? "call ended: the connection was lost" + after
                    : isMe(by) ? "call ended: your connection was lost" + after
                    : "call ended: " + by + "'s connection was lost" + after;
            case UNHOLD_FAILED -> "call ended: it could not be taken off hold (the other side is gone)" + after;
        };
        return style.dim("■ ") + text;
    }

    public String holdChanged(CallView call, String user, boolean held) {
        if (isMe(user)) {
            Set<String> others = new LinkedHashSet<>(call.heldBy());
            others.remove(me);
            String still = others.isEmpty() ? "" : " (still on hold by " + names(List.copyOf(others)) + ")";
            return style.yellow(held ? "you put the call on hold" : "you took the call off hold" + still);
        }
        return style.yellow(held ? user + " put the call on hold" : user + " took the call off hold");
    }

    public String reconnecting(CallView call, String user) {
        return style.yellow(user + " is reconnecting…");
    }

    public String resumed(CallView call, String user) {
        return style.green(user + " is back");
    }

    /** WebRTC signaling relayed to this user; a softphone without media only notes it. */
    public String signal(CallView call, String from, JsonNode data) {
        String kind = data != null && data.hasNonNull("type") ? data.get("type").asText() : "data";
        return style.dim(from + " sent signaling (" + kind + ") — this softphone carries no media");
    }

    // ---- command results -----------------------------------------------------------------------

    /**
     * A command failed.
     *
     * @param action what the user tried, as in "cannot {@code action}": "unhold", "call bob"…
     * @param call the call it was about, or null
     */
    public String error(String action, CallView call, Throwable error) {
        DialtoneException failure = DialtoneException.of(error);
        if (failure == null) {
            Throwable cause = unwrap(error);
            if (cause instanceof IllegalArgumentException) {
                return style.red("cannot " + action + ": " + cause.getMessage());
            }
            return style.red("cannot " + action + ": unexpected error: " + describe(cause));
        }
        return style.red(switch (failure.kind()) {
            case REJECTED -> "cannot " + action + ": " + explain(action, failure, call) + " [" + codeName(failure) + "]";
            case TIMEOUT -> "cannot " + action + ": the server did not answer in time";
            case CONNECTION -> "cannot " + action + ": not connected — type `reconnect` to sign in again";
            case PROTOCOL -> "cannot " + action + ": the server's answer could not be read (" + failure.getMessage()
                    + ")";
        });
    }

    /** A server error code in plain words; the server's own text where it is the clearest. */
    String explain(String action, DialtoneException failure, CallView call) {
        String server = serverMessage(failure);
        ErrorCode code = failure.code();
        if (code == null) {
            return server.isEmpty() ? "the server refused" : server;
        }
        return switch (code) {
            case NOT_HOLDER -> {
                List<String> holders = new ArrayList<>();
                if (call != null) {
                    call.heldBy().stream().filter(user -> !isMe(user)).sorted().forEach(holders::add);
                }
                yield holders.isEmpty()
                        ? "only the participant who put the call on hold can take it off hold"
                        : "only " + names(holders) + ", who put the call on hold, can take it off hold";
            }
            case BUSY -> "you already have a call ringing — `cancel` it first";
            case DENIED -> (server.isEmpty() ? "the server does not allow it" : server)
                    + (failure.hookCode() == null ? "" : " (" + failure.hookCode() + ")");
            case NOT_FOUND -> "there is no such call any more";
            case RATE_LIMITED -> "too many commands in a short time — slow down a little";
            case UNAUTHORIZED -> "you are not signed in";
            case INTERNAL -> "the server failed unexpectedly — try again";
            case INVALID_STATE -> server.isEmpty() ? "the call is not in a state that allows it" : server;
            case BAD_REQUEST -> server.isEmpty() ? "the server did not understand the request" : server;
            default -> server.isEmpty() ? code.wire().replace('_', ' ') : server;
        };
    }

    /** No call fits the command. */
    public String noCall(String verb, boolean anyCall) {
        return anyCall ? "there is no call to " + verb + " right now — type `status` to see your calls"
                : "there is no call to " + verb + " — type `call NAME` to call someone";
    }

    public String noMatch(String target) {
        return "no current call matches `" + target + "` — type `status` to see your calls";
    }

    public String ambiguous(String verb, List<CallView> candidates) {
        String list = candidates.stream().map(call -> call.shortId() + " (" + brief(call) + ")")
                .collect(Collectors.joining(", "));
        return "which call? " + list + " — e.g. `" + verb + " " + candidates.get(0).shortId() + "`";
    }

    // ---- prompt, status, calls, help -------------------------------------------------------------

    /** The prompt: who you are and what your calls are doing, e.g. {@code alice (in call with bob, on hold) > }. */
    public String prompt(List<CallView> calls, ConnectionState connection) {
        return prompt(calls, List.of(), connection);
    }

    /** The prompt, also showing the rooms this user is in: {@code alice (in room standup) > }. */
    public String prompt(List<CallView> calls, List<String> roomNames, ConnectionState connection) {
        String who = me == null ? "dialtone" : me;
        String state;
        if (calls.isEmpty()) {
            state = null;
        } else if (calls.size() <= 2) {
            state = calls.stream().map(this::brief).collect(Collectors.joining("; "));
        } else {
            state = calls.size() + " calls";
        }
        String link = switch (connection) {
            case CONNECTED -> null;
            case CONNECTING -> "signing in…";
            case RESUMING -> "reconnecting…";
            case DISCONNECTED -> "offline";
        };
        String roomNote = rooms.promptNote(roomNames);
        if (roomNote != null) {
            state = state == null ? roomNote : state + "; " + roomNote;
        }
        if (link != null) {
            state = state == null ? link : link + "; " + state;
        }
        return style.bold(who) + (state == null ? "" : " " + style.yellow("(" + state + ")")) + " > ";
    }

    /** One call in a few words: "calling bob…", "bob is calling", "in call with bob, on hold". */
    public String brief(CallView call) {
        String peers = names(call.peers(me));
        return switch (call.state()) {
            case RINGING -> call.isIncoming() ? call.caller() + " is calling" : "calling " + peers + "…";
            case ACTIVE -> "in call with " + names(inCall(call)) + holdNote(call) + reconnectNote(call);
            case ENDED -> "call with " + peers + " ended";
        };
    }

    private String holdNote(CallView call) {
        if (call.heldBy().isEmpty()) {
            return "";
        }
        if (me != null && call.heldBy().contains(me)) {
            return ", on hold";
        }
        return ", on hold by " + names(call.heldBy().stream().sorted().toList());
    }

    private String reconnectNote(CallView call) {
        List<String> others = call.reconnecting().stream().filter(user -> !isMe(user)).sorted().toList();
        return others.isEmpty() ? "" : ", " + names(others) + " reconnecting";
    }

    /** The {@code status} command: this client's calls, with state, duration and who holds. */
    public String status(List<CallView> calls, Instant now) {
        if (calls.isEmpty()) {
            return "no call right now — type `call NAME` to call someone";
        }
        StringBuilder text = new StringBuilder();
        for (CallView call : calls) {
            if (!text.isEmpty()) {
                text.append('\n');
            }
            String peers = names(call.peers(me));
            text.append(style.bold("call " + call.shortId()))
                    .append(call.isIncoming() ? " from " + call.caller() : " to " + peers)
                    .append(" — ").append(media(call.media()))
                    .append(call.isIncoming() ? ", they called" : ", you called").append('\n');
            switch (call.state()) {
                case RINGING -> {
                    text.append("  ringing").append(since(call.createdAt(), now));
                    text.append(call.isIncoming() ? " — type `accept` or `decline`" : " — type `cancel` to stop");
                }
                case ACTIVE -> {
                    text.append("  active").append(since(call.activeSince(), now)).append(" with ").append(peers);
                    if (call.roomId() != null) {
                        text.append(", room ").append(call.roomId());
                    }
                    text.append('\n').append("  ").append(holdStatus(call));
                    List<String> lost = call.reconnecting().stream().filter(user -> !isMe(user)).sorted().toList();
                    if (!lost.isEmpty()) {
                        text.append('\n').append("  ").append(names(lost))
                                .append(lost.size() > 1 ? " are" : " is").append(" reconnecting");
                    }
                }
                case ENDED -> text.append("  ended");
            }
        }
        return text.toString();
    }

    private String holdStatus(CallView call) {
        if (call.heldBy().isEmpty()) {
            return "not on hold";
        }
        List<String> holders = call.heldBy().stream().sorted((a, b) -> isMe(a) ? -1 : isMe(b) ? 1 : a.compareTo(b))
                .map(user -> isMe(user) ? "you" : user).toList();
        String who = names(holders);
        return "on hold by " + who + (holders.contains("you")
                ? " — `unhold` takes your hold off"
                : " — only " + who + " can take it off hold");
    }

    private static String since(Instant from, Instant now) {
        if (from == null || now == null) {
            return "";
        }
        return " for " + duration(Math.max(0, Duration.between(from, now).toMillis()));
    }

    /** The {@code calls} command: the server's {@code calls.list}. */
    public String serverCalls(List<CallSnapshot> calls, ZoneId zone) {
        if (calls.isEmpty()) {
            return "the server has no current calls for you";
        }
        StringBuilder text = new StringBuilder(calls.size() == 1 ? "1 call on the server:" : calls.size()
                + " calls on the server:");
        for (CallSnapshot call : calls) {
            text.append('\n').append("  ").append(style.bold(CallView.shortId(call.callId())))
                    .append("  ").append(call.state() == null ? "?" : call.state().wire())
                    .append("  ").append(call.media() == null ? "?" : call.media().wire())
                    .append("  since ").append(TIME.format(Instant.ofEpochMilli(call.createdAt()).atZone(zone)));
            if (call.state() == CallState.ACTIVE && call.roomId() != null) {
                text.append("  room ").append(call.roomId());
            }
            int width = call.participants() == null ? 0 : call.participants().stream()
                    .mapToInt(p -> p.user().length()).max().orElse(0);
            for (CallSnapshot.Participant participant : call.participants() == null
                    ? List.<CallSnapshot.Participant>of() : call.participants()) {
                List<String> facts = new ArrayList<>();
                if (participant.user().equals(call.caller())) {
                    facts.add("caller");
                }
                facts.add(participantState(participant.state()));
                if (participant.held()) {
                    facts.add("on hold");
                }
                if (participant.state() == ParticipantState.JOINED) {
                    facts.add(participant.connected() ? "connected" : "reconnecting");
                }
                text.append('\n').append("      ").append(pad(participant.user(), width)).append("  ")
                        .append(String.join(", ", facts));
            }
        }
        return text.toString();
    }

    private static String participantState(ParticipantState state) {
        return state == null ? "?" : switch (state) {
            case INVITED -> "invited";
            case RINGING -> "ringing";
            case JOINED -> "joined";
            case DECLINED -> "declined or missed";
            case LEFT -> "left";
        };
    }

    public String help() {
        String[][] rows = {
                {"call USER… [video]", "call someone, or several for a group call (audio unless you add `video`)"},
                {"invite USER…", "ring more people into the current call"},
                {"join CALL", "join again a call you declined, missed or left (its id; a prefix is enough)"},
                {"room join NAME", "join a conference room (created if nobody is in it)"},
                {"room leave [NAME]", "leave the room (name it when you are in several)"},
                {"rooms", "your rooms and who is in them"},
                {"accept", "answer the incoming call"},
                {"decline [busy]", "refuse the incoming call (`busy`: tell the caller you are busy)"},
                {"cancel", "stop calling before anyone answers"},
                {"hold / unhold", "put the call on hold / take your hold off (only the one who held can)"},
                {"hangup", "end the call (in a group call: leave it; it goes on for the others)"},
                {"status", "your calls: state, duration, who holds"},
                {"calls", "the server's view of your calls: participants, held, connected"},
                {"reconnect", "reconnect now (after a network change), or sign in again once signed out"},
                {"help", "this list"},
                {"quit", "sign out and exit (Ctrl-D works too)"},
        };
        int width = 0;
        for (String[] row : rows) {
            width = Math.max(width, row[0].length());
        }
        StringBuilder text = new StringBuilder("commands:");
        for (String[] row : rows) {
            text.append('\n').append("  ").append(style.cyan(pad(row[0], width))).append("  ").append(row[1]);
        }
        text.append('\n').append("with one call, commands act on it; with several, add the call's id (a prefix is "
                + "enough) or the other user's name: `hold c-4f`, `accept carol`");
        return text.toString();
    }

    // ---- words -------------------------------------------------------------------------------------

    /** "bob", "bob and carol", "bob, carol and dave". */
    public static String names(List<String> users) {
        if (users.isEmpty()) {
            return "nobody";
        }
        if (users.size() == 1) {
            return users.get(0);
        }
        return String.join(", ", users.subList(0, users.size() - 1)) + " and " + users.get(users.size() - 1);
    }

    /** m:ss, or h:mm:ss from an hour on. */
    public static String duration(long millis) {
        long seconds = Math.max(0, millis) / 1000;
        long hours = seconds / 3600;
        long minutes = seconds % 3600 / 60;
        long rest = seconds % 60;
        return hours > 0 ? String.format("%d:%02d:%02d", hours, minutes, rest)
                : String.format("%d:%02d", minutes, rest);
    }

    private static String media(Media media) {
        return media == Media.VIDEO ? "video" : "audio";
    }

    private boolean isMe(String user) {
        return user != null && user.equals(me);
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text : text + " ".repeat(width - text.length());
    }

    private static String codeName(DialtoneException failure) {
        return failure.code() == null ? "unknown error" : failure.code().wire();
    }

    /**
     * The server's own text of an error reply. The SDK folds it into the exception message as
     * "{command} failed: {code}: {text}[ (hook code …)]"; take it back out.
     */
    static String serverMessage(DialtoneException failure) {
        String message = failure.getMessage() == null ? "" : failure.getMessage();
        String prefix = failure.command() + " failed: " + codeName(failure);
        if (message.startsWith(prefix)) {
            message = message.substring(prefix.length());
            if (message.startsWith(": ")) {
                message = message.substring(2);
            }
        }
        if (failure.hookCode() != null) {
            String hook = " (hook code " + failure.hookCode() + ")";
            if (message.endsWith(hook)) {
                message = message.substring(0, message.length() - hook.length());
            }
        }
        return message.strip();
    }

    /** Why the socket could not be opened, in a few words, from the cause chain. */
    static String connectionDetail(DialtoneException failure) {
        String firstMessage = null;
        for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof java.net.ConnectException) {
                return "connection refused";
            }
            if (cause instanceof java.net.UnknownHostException) {
                return "unknown host" + (cause.getMessage() == null ? "" : " " + cause.getMessage());
            }
            if (cause instanceof java.net.http.HttpTimeoutException) {
                return "no answer in time";
            }
            if (cause instanceof java.net.http.WebSocketHandshakeException handshake) {
                return "it answered HTTP " + handshake.getResponse().statusCode() + " instead of opening a WebSocket;"
                        + " is the path /v1/ws?";
            }
            if (cause instanceof javax.net.ssl.SSLException) {
                return "TLS failed: " + describe(cause);
            }
            if (firstMessage == null && cause.getMessage() != null && !cause.getMessage().isBlank()) {
                firstMessage = cause.getMessage();
            }
        }
        if (firstMessage != null) {
            return firstMessage;
        }
        if (failure.getCause() != null) {
            return failure.getCause().getClass().getSimpleName();
        }
        String message = failure.getMessage() == null ? "" : failure.getMessage();
        return message.startsWith("connect failed: ") ? message.substring("connect failed: ".length()) : message;
    }

    private static String describe(Throwable error) {
        if (error instanceof java.net.ConnectException && error.getMessage() == null) {
            return "connection refused";
        }
        String message = error.getMessage();
        return message == null || message.isBlank() ? error.getClass().getSimpleName() : message;
    }

    private static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
