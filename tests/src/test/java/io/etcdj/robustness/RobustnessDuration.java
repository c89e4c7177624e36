package io.etcdj.robustness;

import java.time.Duration;

/**
 * The long-run mode: {@code -Drobustness.duration=10m} (or 90s, 2h) lengthens every scenario,
 * which repeats its faults until that much time has passed. Unset, each scenario runs its short
 * form (one pass of its faults).
 */
final class RobustnessDuration {
    private RobustnessDuration() {
    }

    /** The requested duration, or {@code otherwise} when none is set. */
    static Duration get(Duration otherwise) {
        String v = System.getProperty("robustness.duration", "").strip();
        if (v.isEmpty()) {
            return otherwise;
        }
        return parse(v);
    }

    static Duration parse(String v) {
        long n = Long.parseLong(v.substring(0, v.length() - 1));
        return switch (v.charAt(v.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            default -> throw new IllegalArgumentException("robustness.duration: want e.g. 90s, 10m, 2h, not " + v);
        };
    }
}
