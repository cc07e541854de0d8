package dev.dialtone.protocol;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The registry of wire types: which record each {@code "type"} decodes to, read from {@link WireType}. */
public final class Messages {
    private static final ClassValue<String> TYPE_NAMES = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
            WireType wireType = type.getAnnotation(WireType.class);
            if (wireType == null) {
                throw new IllegalStateException(type.getName() + " has no @WireType");
            }
            return wireType.value();
        }
    };

    private static final Map<String, Class<? extends Command>> COMMANDS = index(Command.class);
    private static final Map<String, Class<? extends Event>> EVENTS = index(Event.class);

    private Messages() {
    }

    /** The wire type of a command or event record. */
    public static String typeOf(Class<?> messageClass) {
        return TYPE_NAMES.get(messageClass);
    }

    /** Command types by wire name, in declaration order. */
    public static Map<String, Class<? extends Command>> commands() {
        return COMMANDS;
    }

    /** Event types by wire name, in declaration order. */
    public static Map<String, Class<? extends Event>> events() {
        return EVENTS;
    }

    @SuppressWarnings("unchecked")
    private static <T> Map<String, Class<? extends T>> index(Class<T> root) {
        Map<String, Class<? extends T>> byName = new LinkedHashMap<>();
        collect(root, root, byName);
        return Collections.unmodifiableMap(byName);
    }

    @SuppressWarnings("unchecked")
    private static <T> void collect(Class<T> root, Class<?> type, Map<String, Class<? extends T>> byName) {
        for (Class<?> sub : type.getPermittedSubclasses()) {
            if (sub.isInterface()) {
                collect(root, sub, byName);
            } else if (byName.put(typeOf(sub), (Class<? extends T>) sub) != null) {
                throw new IllegalStateException("two messages are named " + typeOf(sub));
            }
        }
    }
}
