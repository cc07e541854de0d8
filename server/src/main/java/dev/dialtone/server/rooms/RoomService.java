package dev.dialtone.server.rooms;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dialtone.protocol.Command;
import dev.dialtone.protocol.ErrorCode;
import dev.dialtone.protocol.Event;
import dev.dialtone.protocol.Reply;
import dev.dialtone.protocol.Result;
import dev.dialtone.protocol.RoomLeaveReason;
import dev.dialtone.protocol.WireCodec;
import dev.dialtone.server.calls.Replier;
import dev.dialtone.server.session.Scheduler;
import dev.dialtone.server.session.Session;
import dev.dialtone.server.session.SessionListener;
import dev.dialtone.server.session.SessionRegistry;
import dev.dialtone.server.util.SerialShards;
import dev.dialtone.server.webhooks.Webhooks;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Conferences: named rooms that users join and leave without invitations. A room is created by
 * its first join and closed once it has stayed empty for {@code emptyTimeoutMs}. Each participant
 * gets a handle; a session resumed within its window keeps its handles, and a client that comes
 * back with a fresh session re-joins passing {@code originalHandle}.
 *
 * <p>Threading: every change to a room runs on the room's shard, so a room's members need no lock;
 * the index of rooms by session is a concurrent map.
 */
public final class RoomService implements SessionListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RoomService.class);

    /** One participant: a session in a room under a handle. */
    private record Member(String handle, String user, String session, boolean connected) {
        Result.RoomParticipant view() {
            return new Result.RoomParticipant(user, handle, connected);
        }
    }

    /** A room's state; touched only on its shard. */
    private static final class Room {
        final String name;
        final Map<String, Member> members = new LinkedHashMap<>();
        long closeTimer = -1;

        Room(String name) {
            this.name = name;
        }

        Member bySession(String session) {
            return members.values().stream().filter(m -> m.session().equals(session)).findFirst().orElse(null);
        }
    }

    private final SessionRegistry sessions;
    private final Scheduler scheduler;
    private final Webhooks webhooks;
    private final int capacity;
    private final long emptyTimeoutMs;
    private final SerialShards shards;
    private final WireCodec codec = WireCodec.get();
    private final SecureRandom random = new SecureRandom();
    private final ConcurrentHashMap<String, Room> rooms = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Set<String>> roomsBySession = new ConcurrentHashMap<>();

    public RoomService(SessionRegistry sessions, Scheduler scheduler, Webhooks webhooks, int capacity,
                       long emptyTimeoutMs, int shardCount) {
        this.sessions = sessions;
        this.webhooks = webhooks;
        this.scheduler = scheduler;
        this.capacity = capacity;
        this.emptyTimeoutMs = emptyTimeoutMs;
        this.shards = new SerialShards("rooms", shardCount);
    }

    /** {@code room.join}: access, capacity, then the handle; the others hear of it. */
    public void join(Session session, Command.RoomJoin join, Replier reply) {
        Replier replier = Replier.once(reply);
        if (!session.rooms().allows(join.room())) {
            replier.reply(Reply.error(join.id(), ErrorCode.FORBIDDEN, "your token does not allow room " + join.room()));
            return;
        }
        shards.run(join.room(), () -> {
            Room room = rooms.computeIfAbsent(join.room(), Room::new);
            scheduler.cancel(room.closeTimer);
            room.closeTimer = -1;
            Member already = room.bySession(session.id());
            if (already != null) {
                // Joining twice from one session is answered like the first join: same handle.
                replier.reply(Reply.ok(join.id(), new Result.RoomJoin(room.name, already.handle(), others(room, already))));
                return;
            }
            Member replaced = join.originalHandle() == null ? null : room.members.get(join.originalHandle());
            boolean replacing = replaced != null && replaced.user().equals(session.user());
            if (!replacing && room.members.size() >= capacity) {
                replier.reply(Reply.error(join.id(), ErrorCode.FULL, "room " + room.name + " is full (" + capacity
                        + " participants)"));
                closeIfEmpty(room);
                return;
            }
            if (replacing) {
                // The earlier session of this client is gone for good; its place is taken over.
                room.members.remove(replaced.handle());
                untrack(replaced.session(), room.name);
            }
            Member member = new Member("h-" + randomId(), session.user(), session.id(), true);
            List<Result.RoomParticipant> others = others(room, null);
            room.members.put(member.handle(), member);
            roomsBySession.computeIfAbsent(session.id(), s -> ConcurrentHashMap.newKeySet()).add(room.name);
            replier.reply(Reply.ok(join.id(), new Result.RoomJoin(room.name, member.handle(), others)));
            Event announced = join.originalHandle() != null
                    ? new Event.RoomParticipantRejoined(room.name, member.user(), member.handle(), join.originalHandle())
                    : new Event.RoomParticipantJoined(room.name, member.user(), member.handle(), join.payload());
            toOthers(room, member, announced);
            tellBackend(room, member, "room.participant_joined", join.originalHandle(), null);
        }, e -> replier.reply(Replier.internal(join.id(), join.type())));
    }

    /** {@code room.leave}. */
    public void leave(Session session, Command.RoomLeave leave, Replier reply) {
        Replier replier = Replier.once(reply);
        shards.run(leave.room(), () -> {
            Room room = rooms.get(leave.room());
            Member member = room == null ? null : room.bySession(session.id());
            if (member == null) {
                replier.reply(Reply.error(leave.id(), ErrorCode.NOT_FOUND, "you are not in room " + leave.room()));
                return;
            }
            remove(room, member, RoomLeaveReason.LEFT);
            replier.reply(Reply.ok(leave.id()));
        }, e -> replier.reply(Replier.internal(leave.id(), leave.type())));
    }

    // ---- sessions ------------------------------------------------------------------------------

    @Override
    public void detached(Session session) {
        forEachRoomOf(session, (room, member) -> {
            room.members.put(member.handle(), new Member(member.handle(), member.user(), member.session(), false));
            toOthers(room, member, new Event.RoomParticipantReconnecting(room.name, member.user(), member.handle()));
        });
    }

    @Override
    public void resumed(Session session) {
        forEachRoomOf(session, (room, member) -> {
            room.members.put(member.handle(), new Member(member.handle(), member.user(), member.session(), true));
            toOthers(room, member, new Event.RoomParticipantResumed(room.name, member.user(), member.handle()));
        });
    }

    @Override
    public void ended(Session session, boolean lost) {
        forEachRoomOf(session, (room, member) ->
                remove(room, member, lost ? RoomLeaveReason.CONNECTION_LOST : RoomLeaveReason.LEFT));
    }

    private void forEachRoomOf(Session session, java.util.function.BiConsumer<Room, Member> action) {
        for (String name : roomsBySession.getOrDefault(session.id(), Set.of())) {
            shards.run(name, () -> {
                Room room = rooms.get(name);
                Member member = room == null ? null : room.bySession(session.id());
                if (member != null) {
                    action.accept(room, member);
                }
            });
        }
    }

    // ---- helpers -------------------------------------------------------------------------------

    private void remove(Room room, Member member, RoomLeaveReason reason) {
        room.members.remove(member.handle());
        untrack(member.session(), room.name);
        toOthers(room, member, new Event.RoomParticipantLeft(room.name, member.user(), member.handle(), reason));
        tellBackend(room, member, "room.participant_left", null, reason);
        closeIfEmpty(room);
    }

    /** The webhook of a join or a leave; events of one room are delivered in order. */
    private void tellBackend(Room room, Member member, String type, String originalHandle, RoomLeaveReason reason) {
        if (!webhooks.enabled()) {
            return;
        }
        ObjectNode data = codec.mapper().createObjectNode().put("room", room.name).put("user", member.user())
                .put("handle", member.handle()).put("participants", room.members.size());
        if (originalHandle != null) {
            data.put("originalHandle", originalHandle);
        }
        if (reason != null) {
            data.put("reason", reason.wire());
        }
        webhooks.publish("room:" + room.name, type, data);
    }

    private void closeIfEmpty(Room room) {
        if (!room.members.isEmpty()) {
            return;
        }
        room.closeTimer = scheduler.schedule(emptyTimeoutMs, () -> shards.run(room.name, () -> {
            if (room.members.isEmpty() && rooms.remove(room.name, room)) {
                log.debug("room {} closed after staying empty", room.name);
                webhooks.done("room:" + room.name);
            }
        }));
    }

    private void untrack(String session, String room) {
        roomsBySession.computeIfPresent(session, (s, names) -> {
            names.remove(room);
            return names.isEmpty() ? null : names;
        });
    }

    private static List<Result.RoomParticipant> others(Room room, Member except) {
        List<Result.RoomParticipant> others = new ArrayList<>();
        for (Member member : room.members.values()) {
            if (member != except) {
                others.add(member.view());
            }
        }
        return others;
    }

    private void toOthers(Room room, Member except, Event event) {
        WireCodec.EncodedEvent frame = codec.encodeEvent(event);
        for (Member member : room.members.values()) {
            if (!member.handle().equals(except.handle())) {
                Session target = sessions.find(member.session());
                if (target != null) {
                    target.deliver(frame);
                }
            }
        }
    }

    /** How many rooms are open; for metrics. */
    public int openRooms() {
        return rooms.size();
    }

    private String randomId() {
        byte[] bytes = new byte[9];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public void close() {
        shards.close();
    }
}
