package dev.dialtone.cli.softphone;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CommandLineParserTest {
    private final CommandLineParser parser = new CommandLineParser();

    @Test
    void callIsAudioUnlessVideoIsAsked() {
        assertThat(parser.parse("call bob")).isEqualTo(new Dial(List.of("bob"), Media.AUDIO));
        assertThat(parser.parse("call bob video")).isEqualTo(new Dial(List.of("bob"), Media.VIDEO));
        assertThat(parser.parse("CALL bob VIDEO")).isEqualTo(new Dial(List.of("bob"), Media.VIDEO));
        assertThat(parser.parse("call bob audio")).isEqualTo(new Dial(List.of("bob"), Media.AUDIO));
        assertThat(parser.parse("  call   bob  ")).isEqualTo(new Dial(List.of("bob"), Media.AUDIO));
        assertThat(parser.parse("dial bob")).isEqualTo(new Dial(List.of("bob"), Media.AUDIO));
    }

    @Test
    void userNamesKeepTheirCase() {
        assertThat(parser.parse("call Bob")).isEqualTo(new Dial(List.of("Bob"), Media.AUDIO));
    }

    @Test
    void callMayInviteSeveralUsers() {
        assertThat(parser.parse("call bob carol video")).isEqualTo(new Dial(List.of("bob", "carol"), Media.VIDEO));
    }

    @Test
    void callWithoutAUserSaysHowToCall() {
        assertThat(parser.parse("call")).isInstanceOfSatisfying(Invalid.class,
                invalid -> assertThat(invalid.message()).startsWith("whom do you want to call?").contains("`call bob`"));
        assertThat(parser.parse("call video")).isInstanceOf(Invalid.class);
    }

    @Test
    void callCommandsActOnTheCurrentCallOrANamedOne() {
        assertThat(parser.parse("accept")).isEqualTo(new Accept(null));
        assertThat(parser.parse("accept c-4f")).isEqualTo(new Accept("c-4f"));
        assertThat(parser.parse("answer")).isEqualTo(new Accept(null));
        assertThat(parser.parse("cancel")).isEqualTo(new Cancel(null));
        assertThat(parser.parse("hold")).isEqualTo(new Hold(null));
        assertThat(parser.parse("hold carol")).isEqualTo(new Hold("carol"));
        assertThat(parser.parse("unhold 4f")).isEqualTo(new Unhold("4f"));
        assertThat(parser.parse("hangup")).isEqualTo(new Hangup(null));
        assertThat(parser.parse("hang up")).isEqualTo(new Hangup(null));
        assertThat(parser.parse("hang up c-1")).isEqualTo(new Hangup("c-1"));
        assertThat(parser.parse("bye")).isEqualTo(new Hangup(null));
        assertThat(parser.parse("status")).isEqualTo(new Status(null));
        assertThat(parser.parse("status c-1")).isEqualTo(new Status("c-1"));
    }

    @Test
    void declineTakesBusyAnywhere() {
        assertThat(parser.parse("decline")).isEqualTo(new Decline(null, false));
        assertThat(parser.parse("decline busy")).isEqualTo(new Decline(null, true));
        assertThat(parser.parse("decline c-1 busy")).isEqualTo(new Decline("c-1", true));
        assertThat(parser.parse("decline busy c-1")).isEqualTo(new Decline("c-1", true));
        assertThat(parser.parse("decline BUSY")).isEqualTo(new Decline(null, true));
        assertThat(parser.parse("reject")).isEqualTo(new Decline(null, false));
    }

    @Test
    void aCallCommandTakesAtMostOneCall() {
        assertThat(parser.parse("hold c-1 c-2")).isInstanceOfSatisfying(Invalid.class,
                invalid -> assertThat(invalid.message()).startsWith("`hold` takes at most one call"));
        assertThat(parser.parse("decline a b busy")).isInstanceOf(Invalid.class);
    }

    @Test
    void sessionCommands() {
        assertThat(parser.parse("calls")).isEqualTo(new ListCalls());
        assertThat(parser.parse("help")).isEqualTo(new Help());
        assertThat(parser.parse("?")).isEqualTo(new Help());
        assertThat(parser.parse("quit")).isEqualTo(new Quit());
        assertThat(parser.parse("exit")).isEqualTo(new Quit());
        assertThat(parser.parse("reconnect")).isEqualTo(new Reconnect());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\t"})
    void blankLinesDoNothing(String line) {
        assertThat(parser.parse(line)).isEqualTo(new Empty());
    }

    @Test
    void aLineCopiedWithItsBackticksWorks() {
        assertThat(parser.parse("`call bob`")).isEqualTo(new Dial(List.of("bob"), Media.AUDIO));
        assertThat(parser.parse("`decline busy`")).isEqualTo(new Decline(null, true));
    }

    @Test
    void typosGetASuggestion() {
        assertThat(parser.parse("acept")).isEqualTo(
                new Invalid("unknown command `acept` — did you mean `accept`? type `help` for the list"));
        assertThat(parser.parse("hangpu")).isInstanceOfSatisfying(Invalid.class,
                invalid -> assertThat(invalid.message()).contains("did you mean `hangup`?"));
        assertThat(parser.parse("unhodl")).isInstanceOfSatisfying(Invalid.class,
                invalid -> assertThat(invalid.message()).contains("did you mean `unhold`?"));
    }

    @Test
    void anUnknownWordSuggestsCallingIt() {
        assertThat(parser.parse("bob")).isEqualTo(new Invalid(
                "unknown command `bob` — type `help` for the list (to call bob: `call bob`)"));
    }

    @Test
    void editDistance() {
        assertThat(CommandLineParser.distance("hold", "hold")).isZero();
        assertThat(CommandLineParser.distance("hodl", "hold")).isEqualTo(2);
        assertThat(CommandLineParser.distance("", "call")).isEqualTo(4);
    }

    @Test
    void callSeveralUsersIsAGroupCall() {
        assertThat(parser.parse("call bob carol")).isEqualTo(new Dial(List.of("bob", "carol"), Media.AUDIO));
        assertThat(parser.parse("call bob carol video")).isEqualTo(new Dial(List.of("bob", "carol"), Media.VIDEO));
    }

    @Test
    void inviteRingsMoreUsersIntoTheCall() {
        assertThat(parser.parse("invite carol")).isEqualTo(new InviteMore(List.of("carol")));
        assertThat(parser.parse("INVITE carol dave")).isEqualTo(new InviteMore(List.of("carol", "dave")));
        assertThat(parser.parse("add carol")).isEqualTo(new InviteMore(List.of("carol")));
        assertThat(parser.parse("invite")).isInstanceOfSatisfying(Invalid.class,
                invalid -> assertThat(invalid.message()).contains("`invite NAME`"));
    }

    @Test
    void joinTakesOneCallId() {
        assertThat(parser.parse("join c-4f")).isEqualTo(new Join("c-4f"));
        assertThat(parser.parse("rejoin 4f")).isEqualTo(new Join("4f"));
        assertThat(parser.parse("join")).isInstanceOfSatisfying(Invalid.class,
                invalid -> assertThat(invalid.message()).startsWith("`join` takes the id of a call"));
        assertThat(parser.parse("join c-4f c-5a")).isInstanceOf(Invalid.class);
    }

    @Test
    void roomCommands() {
        assertThat(parser.parse("room join standup")).isEqualTo(new RoomJoin("standup"));
        assertThat(parser.parse("Room JOIN Standup")).isEqualTo(new RoomJoin("Standup"));
        assertThat(parser.parse("room leave standup")).isEqualTo(new RoomLeave("standup"));
        assertThat(parser.parse("room leave")).isEqualTo(new RoomLeave(null));
        assertThat(parser.parse("rooms")).isEqualTo(new ListRooms());
        assertThat(parser.parse("room")).isEqualTo(new ListRooms());
        assertThat(parser.parse("room list")).isEqualTo(new ListRooms());
        assertThat(parser.parse("room join")).isInstanceOfSatisfying(Invalid.class,
                invalid -> assertThat(invalid.message()).contains("`room join NAME`"));
        assertThat(parser.parse("room join a b")).isInstanceOf(Invalid.class);
        assertThat(parser.parse("room leave a b")).isInstanceOf(Invalid.class);
        assertThat(parser.parse("room dance")).isEqualTo(new Invalid(
                "unknown room command `dance` — type `room join NAME`, `room leave [NAME]` or `rooms`"));
        assertThat(parser.parse("roooms")).isInstanceOfSatisfying(Invalid.class,
                invalid -> assertThat(invalid.message()).contains("did you mean `rooms`?"));
    }
}
