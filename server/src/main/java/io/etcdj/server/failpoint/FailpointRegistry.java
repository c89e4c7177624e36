package io.etcdj.server.failpoint;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The named crash points of a member and what each is armed to do, in gofail's terms: a point is
 * either off or armed with {@code panic}, which crashes the process the next time a thread reaches
 * it. Only the names in {@link Failpoints#NAMES} exist; arming another name is refused.
 *
 * <p>Thread-safe: points are armed from the HTTP endpoint while the raft loop, the applier and the
 * background compaction reach them.
 */
public final class FailpointRegistry {
    /** The term that crashes the process (gofail's {@code panic}). */
    public static final String PANIC = "panic";

    private final List<String> names;
    private final Map<String, String> armed = new ConcurrentHashMap<>();
    private final Consumer<String> crash;

    /** @param crash what reaching an armed point does; given the point's name, it must not return in production */
    public FailpointRegistry(List<String> names, Consumer<String> crash) {
        this.names = List.copyOf(names);
        this.crash = crash;
    }

    public boolean exists(String name) {
        return names.contains(name);
    }

    /**
     * Arms {@code name} with {@code term} ({@code panic}), or disarms it ({@code off} or empty).
     *
     * @throws IllegalArgumentException for an unknown point or a term other than panic/off
     */
    public void set(String name, String term) {
        if (!exists(name)) {
            throw new IllegalArgumentException("failpoint: failpoint does not exist: " + name);
        }
        String t = term.strip();
        if (t.isEmpty() || t.equals("off")) {
            armed.remove(name);
        } else if (t.equals(PANIC)) {
            armed.put(name, PANIC);
        } else {
            throw new IllegalArgumentException("failpoint: unsupported term " + t + " (only panic and off)");
        }
    }

    /** Arms the points of a gofail specification, {@code name=term[;name=term...]}. */
    public void setAll(String spec) {
        for (String part : spec.split(";")) {
            if (part.isBlank()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("failpoint: bad specification " + part + " (want name=term)");
            }
            set(part.substring(0, eq).strip(), part.substring(eq + 1));
        }
    }

    /** The term {@code name} is armed with, or "" when off. */
    public String term(String name) {
        return armed.getOrDefault(name, "");
    }

    /** Every point with its term ("" when off), in declaration order. */
    public Map<String, String> list() {
        Map<String, String> out = new LinkedHashMap<>();
        names.forEach(n -> out.put(n, term(n)));
        return out;
    }

    /** Called at the point {@code name}: crashes when it is armed with panic. */
    public void reach(String name) {
        if (PANIC.equals(armed.get(name))) {
            crash.accept(name);
        }
    }
}
