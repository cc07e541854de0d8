package dev.dialtone.server.auth;

import java.util.List;

/**
 * Which rooms a token lets its user join: its {@code rooms} claim, a list of exact names and of
 * prefixes written with a trailing {@code *} ({@code "team-*"}). A token without the claim allows
 * every room.
 */
public record RoomAccess(List<String> entries) {
    public static final RoomAccess ANY = new RoomAccess(null);

    public RoomAccess {
        entries = entries == null ? null : List.copyOf(entries);
    }

    public boolean allows(String room) {
        if (entries == null) {
            return true;
        }
        for (String entry : entries) {
            if (entry.endsWith("*") ? room.startsWith(entry.substring(0, entry.length() - 1)) : room.equals(entry)) {
                return true;
            }
        }
        return false;
    }
}
