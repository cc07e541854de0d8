package dev.dialtone.cli.softphone;

import dev.dialtone.cli.softphone.SoftphoneCommand.Accept;
import dev.dialtone.cli.softphone.SoftphoneCommand.Cancel;
import dev.dialtone.cli.softphone.SoftphoneCommand.Decline;
import dev.dialtone.cli.softphone.SoftphoneCommand.Dial;
import dev.dialtone.cli.softphone.SoftphoneCommand.Empty;
import dev.dialtone.cli.softphone.SoftphoneCommand.Hangup;
import dev.dialtone.cli.softphone.SoftphoneCommand.Help;
import dev.dialtone.cli.softphone.SoftphoneCommand.Hold;
import dev.dialtone.cli.softphone.SoftphoneCommand.Invalid;
import dev.dialtone.cli.softphone.SoftphoneCommand.InviteMore;
import dev.dialtone.cli.softphone.SoftphoneCommand.Join;
import dev.dialtone.cli.softphone.SoftphoneCommand.ListCalls;
import dev.dialtone.cli.softphone.SoftphoneCommand.ListRooms;
import dev.dialtone.cli.softphone.SoftphoneCommand.Quit;
import dev.dialtone.cli.softphone.SoftphoneCommand.Reconnect;
import dev.dialtone.cli.softphone.SoftphoneCommand.RoomJoin;
import dev.dialtone.cli.softphone.SoftphoneCommand.RoomLeave;
import dev.dialtone.cli.softphone.SoftphoneCommand.Status;
import dev.dialtone.cli.softphone.SoftphoneCommand.Unhold;
import dev.dialtone.protocol.Media;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Turns a typed line into a {@link SoftphoneCommand}. Pure and stateless: which call a command acts
 * on is decided later ({@link CallSelector}), with the calls of the moment.
 *
 * <p>Forgiving on purpose: keywords are case-insensitive, a line copied with its backticks from a
 * hint ({@code `call bob`}) works, and a few aliases are accepted ({@code answer}, {@code hang up},
 * {@code bye}, {@code exit}…). A typo gets a "did you mean" suggestion.
 */
public final class CommandLineParser {

    /** The keywords {@code help} lists, for suggestions. */
    static final List<String> KEYWORDS = List.of("call", "accept", "decline", "cancel", "hold", "unhold", "hangup",
            "invite", "join", "room", "rooms", "calls", "status", "help", "reconnect", "quit");

    /** Thrown inside the parser; becomes {@link Invalid}. */
    private static final class Problem extends RuntimeException {
        Problem(String message) {
            super(message, null, false, false);
        }
    }

    public SoftphoneCommand parse(String line) {
        String text = line == null ? "" : line.strip();
        if (text.length() >= 2 && text.startsWith("`") && text.endsWith("`")) {
            text = text.substring(1, text.length() - 1).strip();
        }
        if (text.isEmpty()) {
            return new Empty();
        }
        List<String> words = Arrays.asList(text.split("\\s+"));
        String verb = words.get(0).toLowerCase(Locale.ROOT);
        List<String> args = words.subList(1, words.size());
        if (verb.equals("hang") && !args.isEmpty() && args.get(0).equalsIgnoreCase("up")) {
            verb = "hangup";
            args = args.subList(1, args.size());
        }
        try {
            return switch (verb) {
                case "call", "dial" -> dial(args);
                case "accept", "answer" -> new Accept(target("accept", args));
                case "decline", "reject", "refuse" -> decline(args);
                case "cancel" -> new Cancel(target("cancel", args));
                case "hold" -> new Hold(target("hold", args));
                case "unhold" -> new Unhold(target("unhold", args));
                case "hangup", "bye", "end" -> new Hangup(target("hangup", args));
                case "invite", "add" -> invite(args);
                case "join", "rejoin" -> join(args);
                case "room" -> room(args);
                case "rooms" -> new ListRooms();
                case "status" -> new Status(target("status", args));
                case "calls", "list" -> new ListCalls();
                case "help", "?", "h" -> new Help();
                case "reconnect" -> new Reconnect();
                case "quit", "exit", "logout", "q" -> new Quit();
                default -> unknown(words.get(0));
            };
        } catch (Problem problem) {
            return new Invalid(problem.getMessage());
        }
    }

    private static SoftphoneCommand dial(List<String> args) {
        List<String> users = new ArrayList<>(args);
        Media media = Media.AUDIO;
        if (!users.isEmpty()) {
            String last = users.get(users.size() - 1).toLowerCase(Locale.ROOT);
            if (last.equals("video") || last.equals("audio")) {
                media = last.equals("video") ? Media.VIDEO : Media.AUDIO;
                users.remove(users.size() - 1);
            }
        }
        if (users.isEmpty()) {
            throw new Problem("whom do you want to call? type `call NAME`, e.g. `call bob` (add `video` for a video call)");
        }
        return new Dial(users, media);
    }

    private static SoftphoneCommand invite(List<String> args) {
        if (args.isEmpty()) {
            throw new Problem("whom do you want to add to the call? type `invite NAME`, e.g. `invite carol`");
        }
        return new InviteMore(args);
    }

    private static SoftphoneCommand join(List<String> args) {
        if (args.size() != 1) {
            throw new Problem("`join` takes the id of a call (a prefix is enough), e.g. `join c-4f` — `status` "
                    + "and the call's messages show its id");
        }
        return new Join(args.get(0));
    }

    /** {@code room join NAME}, {@code room leave [NAME]}, {@code room} alone or {@code room list}: the rooms. */
    private static SoftphoneCommand room(List<String> args) {
        String usage = "type `room join NAME`, `room leave [NAME]` or `rooms`";
        if (args.isEmpty() || args.get(0).equalsIgnoreCase("list") && args.size() == 1) {
            return new ListRooms();
        }
        String action = args.get(0).toLowerCase(Locale.ROOT);
        List<String> rest = args.subList(1, args.size());
        return switch (action) {
            case "join", "enter" -> {
                if (rest.size() != 1) {
                    throw new Problem("which room? " + usage + ", e.g. `room join standup`");
                }
                yield new RoomJoin(rest.get(0));
            }
            case "leave", "exit" -> {
                if (rest.size() > 1) {
                    throw new Problem("`room leave` takes at most one room, e.g. `room leave standup`");
                }
                yield new RoomLeave(rest.isEmpty() ? null : rest.get(0));
            }
            default -> throw new Problem("unknown room command `" + args.get(0) + "` — " + usage);
        };
    }

    private static SoftphoneCommand decline(List<String> args) {
        boolean busy = false;
        List<String> rest = new ArrayList<>();
        for (String arg : args) {
            if (arg.equalsIgnoreCase("busy")) {
                busy = true;
            } else {
                rest.add(arg);
            }
        }
        return new Decline(target("decline", rest), busy);
    }

    /** The optional call argument: none (the current call) or one. */
    private static String target(String verb, List<String> args) {
        if (args.isEmpty()) {
            return null;
        }
        if (args.size() > 1) {
            throw new Problem("`" + verb + "` takes at most one call: its id (a prefix is enough, e.g. `"
                    + verb + " c-4f`) or the other user's name");
        }
        return args.get(0);
    }

    private static SoftphoneCommand unknown(String word) {
        String suggestion = closest(word.toLowerCase(Locale.ROOT));
        if (suggestion != null) {
            return new Invalid("unknown command `" + word + "` — did you mean `" + suggestion + "`? type `help` for the list");
        }
        return new Invalid("unknown command `" + word + "` — type `help` for the list (to call " + word + ": `call "
                + word + "`)");
    }

    /** The keyword within two edits of {@code word}, if exactly one closest exists. */
    static String closest(String word) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        boolean tie = false;
        for (String candidate : KEYWORDS) {
            int distance = distance(word, candidate);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
                tie = false;
            } else if (distance == bestDistance) {
                tie = true;
            }
        }
        int allowed = word.length() <= 3 ? 1 : 2;
        return bestDistance <= allowed && !tie ? best : null;
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
