package dev.dialtone.server.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dialtone.protocol.Command;
import dev.dialtone.protocol.ErrorCode;
import dev.dialtone.protocol.Reply;
import dev.dialtone.protocol.WireCodec;
import dev.dialtone.server.calls.Replier;
import dev.dialtone.server.hooks.HookVerdict;
import dev.dialtone.server.hooks.PreCallHook;
import dev.dialtone.server.session.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the business server's pre-call hook about the commands it decides on ({@code call.invite},
 * {@code call.invite_more}, {@code room.join}, and {@code call.hold} when configured) before they
 * run. A denial is answered {@code denied} with the hook's own {@code hookCode}; the command then
 * changes nothing.
 *
 * <p>Request bodies ({@code action} is added by the hook client):
 * <pre>{@code
 * {"user":"alice","device":"laptop","session":"s-…","to":["bob"],"media":"video","payload":{…},"timeoutMs":30000}
 * {"user":"alice","device":"laptop","session":"s-…","callId":"c-…","to":["carol"]}      invite_more
 * {"user":"alice","device":"laptop","session":"s-…","room":"standup","payload":{…}}     room.join
 * {"user":"alice","device":"laptop","session":"s-…","callId":"c-…"}                     call.hold
 * }</pre>
 */
final class HookGate {
    private static final Logger log = LoggerFactory.getLogger(HookGate.class);
    private final PreCallHook hook;
    private final WireCodec codec = WireCodec.get();

    HookGate(PreCallHook hook) {
        this.hook = hook;
    }

    /** Whether the hook decides on this command at all. */
    boolean decides(Command command) {
        return switch (command) {
            case Command.CallInvite c -> hook.asks("call.invite");
            case Command.CallInviteMore c -> hook.asks("call.invite_more");
            case Command.RoomJoin c -> hook.asks("room.join");
            case Command.CallHold c -> hook.asks("call.hold");
            default -> false;
        };
    }

    /** Runs {@code allowed} if the hook allows the command; otherwise answers {@code denied}. */
    void check(Session session, Command command, Replier replier, Runnable allowed) {
        hook.check(command.type(), request(session, command)).whenComplete((verdict, failure) -> {
            if (failure != null) {
                // The hook client turns every failure into a verdict; this is a bug, not an outage.
                log.error("pre-call hook failed for {}", command.type(), failure);
                replier.reply(Replier.internal(command.id(), command.type()));
                return;
            }
            switch (verdict) {
                case HookVerdict.Allow allow -> allowed.run();
                case HookVerdict.Deny deny -> replier.reply(new Reply.Error(command.id(), ErrorCode.DENIED,
                        deny.message() != null ? deny.message() : "the business server refused " + command.type(),
                        null, deny.hookCode()));
            }
        });
    }

    private ObjectNode request(Session session, Command command) {
        ObjectNode body = codec.mapper().createObjectNode()
                .put("user", session.user()).put("device", session.device()).put("session", session.id());
        switch (command) {
            case Command.CallInvite c -> {
                c.to().forEach(body.putArray("to")::add);
                body.put("media", c.media().wire());
                if (c.payload() != null) {
                    body.set("payload", c.payload());
                }
                if (c.timeoutMs() != null) {
                    body.put("timeoutMs", c.timeoutMs());
                }
            }
            case Command.CallInviteMore c -> {
                body.put("callId", c.callId());
                c.to().forEach(body.putArray("to")::add);
            }
            case Command.RoomJoin c -> {
                body.put("room", c.room());
                if (c.payload() != null) {
                    body.set("payload", c.payload());
                }
            }
            case Command.CallHold c -> body.put("callId", c.callId());
            default -> throw new IllegalArgumentException("the hook does not decide on " + command.type());
        }
        return body;
    }
}
