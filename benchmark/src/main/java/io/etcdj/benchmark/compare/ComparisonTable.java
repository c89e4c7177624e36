package io.etcdj.benchmark.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * The side-by-side table: one row per workload with both clusters' requests/sec, their ratio
 * (ours / etcd), p50 and p99 latencies in milliseconds; then resident memory per member.
 */
public final class ComparisonTable {
    private final List<Object[]> rows = new ArrayList<>();
    private List<OptionalLong> etcdRss = List.of();
    private List<OptionalLong> oursRss = List.of();
    private String oursUnavailable;

    public void add(Workload w, Measurement etcd, Measurement ours) {
        rows.add(new Object[] {w, etcd, ours});
    }

    public void memory(List<OptionalLong> etcdKb, List<OptionalLong> oursKb) {
        this.etcdRss = etcdKb;
        this.oursRss = oursKb;
    }

    public void oursUnavailable(String reason) {
        this.oursUnavailable = reason;
    }

    public String render() {
        StringBuilder b = new StringBuilder();
        String head = String.format(Locale.ROOT, "%-42s %10s %10s %7s %9s %9s %9s %9s%n", "workload", "etcd req/s",
                "ours req/s", "ratio", "etcd p50", "ours p50", "etcd p99", "ours p99");
        b.append(head).append("-".repeat(head.length() - 1)).append('\n');
        for (Object[] r : rows) {
            Workload w = (Workload) r[0];
            Measurement e = (Measurement) r[1];
            Measurement o = (Measurement) r[2];
            double ratio = e.ok() && o.ok() && e.rps() > 0 ? o.rps() / e.rps() : Double.NaN;
            b.append(String.format(Locale.ROOT, "%-42s %10s %10s %7s %9s %9s %9s %9s%n", w.label(), rate(e), rate(o),
                    Double.isNaN(ratio) ? "n/a" : String.format(Locale.ROOT, "%.2f", ratio), ms(e, e.p50()),
                    ms(o, o.p50()), ms(e, e.p99()), ms(o, o.p99())));
        }
        b.append("(latencies in ms; ratio = ours / etcd; requests that failed are counted in the notes below)\n");
        b.append('\n').append("resident memory per member (VmRSS after the runs): etcd ").append(mb(etcdRss))
                .append("; ours ").append(oursUnavailable != null && oursRss.isEmpty() ? "n/a" : mb(oursRss))
                .append('\n');
        for (Object[] r : rows) {
            Workload w = (Workload) r[0];
            note(b, "etcd", w, (Measurement) r[1]);
            note(b, "ours", w, (Measurement) r[2]);
        }
        if (oursUnavailable != null) {
            b.append("ours: ").append(oursUnavailable).append('\n');
        }
        return b.toString();
    }

    private static void note(StringBuilder b, String side, Workload w, Measurement m) {
        if (!m.ok() && m.failure() != null && !m.failure().equals("not run")) {
            b.append(side).append(' ').append(w.id()).append(": ").append(m.failure()).append('\n');
        } else if (m.ok() && m.errors() > 0) {
            b.append(side).append(' ').append(w.id()).append(": ").append(m.errors()).append(" failed requests\n");
        }
    }

    private static String rate(Measurement m) {
        return m.ok() ? String.format(Locale.ROOT, "%.0f", m.rps()) : "n/a";
    }

    private static String ms(Measurement m, double seconds) {
        return m.ok() && !Double.isNaN(seconds) ? String.format(Locale.ROOT, "%.2f", seconds * 1000) : "n/a";
    }

    private static String mb(List<OptionalLong> kb) {
        if (kb.isEmpty()) {
            return "n/a";
        }
        List<String> parts = new ArrayList<>();
        for (OptionalLong k : kb) {
            parts.add(k.isPresent() ? String.format(Locale.ROOT, "%.0f MB", k.getAsLong() / 1024.0) : "gone");
        }
        return String.join(" / ", parts);
    }
}
