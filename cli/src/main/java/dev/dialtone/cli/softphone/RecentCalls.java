package dev.dialtone.cli.softphone;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SequencedSet;

/**
 * The ids of the calls this softphone heard of lately, newest last, so that {@code join c-4f}
 * finds a call that is no longer current (declined, missed, left). Thread-safe.
 */
final class RecentCalls {
    private final int capacity;
    private final SequencedSet<String> ids = new LinkedHashSet<>();

    RecentCalls(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
    }

    /** Notes a call id (again: it becomes the newest). */
    synchronized void remember(String id) {
        if (id == null || id.isEmpty()) {
            return;
        }
        ids.remove(id);
        ids.addLast(id);
        while (ids.size() > capacity) {
            ids.removeFirst();
        }
    }

    /**
     * The call ids that {@code prefix} names, newest first: those starting with it, with or without
     * the {@code c-}; an exact id wins over longer ones.
     */
    synchronized List<String> matching(String prefix) {
        List<String> found = new ArrayList<>();
        for (String id : ids.reversed()) {
            if (id.equals(prefix)) {
                return List.of(id);
            }
            if (id.startsWith(prefix) || id.startsWith("c-" + prefix)) {
                found.add(id);
            }
        }
        return List.copyOf(found);
    }
}
