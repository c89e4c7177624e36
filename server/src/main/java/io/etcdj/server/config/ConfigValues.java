package io.etcdj.server.config;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The mutable value table that parsing fills in, flag by flag, before it is frozen into an
 * {@link EtcdConfig}. Starts with every flag at its default.
 */
final class ConfigValues {
    private final Map<String, Object> values = new HashMap<>();
    private final Set<String> explicitlySet = new LinkedHashSet<>();

    ConfigValues() {
        for (Flag<?> f : EtcdFlags.all()) {
            values.put(f.name(), f.defaultValue());
        }
    }

    <T> T get(Flag<T> flag) {
        @SuppressWarnings("unchecked")
        T v = (T) values.get(flag.name());
        return v;
    }

    /** Sets a value that a flag, variable or file key gave; it then counts as explicitly set. */
    void setExplicit(Flag<?> flag, Object value) {
        values.put(flag.name(), value);
        explicitlySet.add(flag.name());
    }

    /** Sets a derived value (a rule of etcd's, not the user, chose it). */
    <T> void derive(Flag<T> flag, T value) {
        values.put(flag.name(), value);
    }

    boolean isExplicitlySet(Flag<?> flag) {
        return explicitlySet.contains(flag.name());
    }

    Map<String, Object> snapshot() {
        return Collections.unmodifiableMap(new HashMap<>(values));
    }

    Set<String> explicitlySet() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(explicitlySet));
    }
}
