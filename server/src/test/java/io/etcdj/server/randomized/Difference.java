package io.etcdj.server.randomized;

import java.util.List;

/** Two texts that should be equal, shown for a failure: where they first differ, then both (long ones cut). */
final class Difference {
    private static final int MAX_LINES = 60;

    private Difference() {
    }

    static String describe(String what, String reference, String ours) {
        List<String> a = reference.lines().toList();
        List<String> b = ours.lines().toList();
        int i = 0;
        while (i < a.size() && i < b.size() && a.get(i).equals(b.get(i))) {
            i++;
        }
        return what + ", first at line " + (i + 1) + ":\n  reference etcd: " + (i < a.size() ? a.get(i) : "(end)")
                + "\n  our member:     " + (i < b.size() ? b.get(i) : "(end)")
                + "\n--- reference etcd:\n" + cut(a) + "--- our member:\n" + cut(b);
    }

    private static String cut(List<String> lines) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(lines.size(), MAX_LINES); i++) {
            s.append(lines.get(i)).append('\n');
        }
        if (lines.size() > MAX_LINES) {
            s.append("... (").append(lines.size() - MAX_LINES).append(" more lines)\n");
        }
        return s.toString();
    }
}
