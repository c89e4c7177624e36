package io.etcdj.benchmark.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One row of the side-by-side comparison: a benchmark command line (without endpoints and output
 * flags) and the name of the summary whose figures the row shows.
 *
 * @param id short name for {@code --workloads}
 * @param label what the row says in the table
 * @param args the benchmark arguments
 * @param summary the summary (JSON "name") to read; for watch it is the event fan-out
 * @param allMembers true to spread requests over all members; false to send them to the leader
 */
public record Workload(String id, String label, List<String> args, String summary, boolean allMembers) {

    /**
     * The rows of the reference table in shared/README.md, plus txn-put and watch fan-out, with
     * totals sized for a few seconds each at the reference rates, times {@code scale}.
     * Writes go to the leader and reads to every member, as etcd's performance guide measures.
     */
    public static List<Workload> referenceRows(double scale) {
        List<Workload> w = new ArrayList<>();
        w.add(put("put-1", "put, 1 conn, 1 client", 1, 1, n(1500, scale)));
        w.add(put("put-100", "put, 10 conns, 100 clients", 10, 100, n(10000, scale)));
        w.add(put("put-1000", "put, 100 conns, 1000 clients", 100, 1000, n(20000, scale)));
        w.add(get("get-l-1", "linearizable get, 1 client", "l", 1, 1, n(2000, scale)));
        w.add(get("get-s-1", "serializable get, 1 client", "s", 1, 1, n(3000, scale)));
        w.add(get("get-l-1000", "linearizable get, 1000 clients", "l", 100, 1000, n(20000, scale)));
        w.add(get("get-s-1000", "serializable get, 1000 clients", "s", 100, 1000, n(20000, scale)));
        w.add(new Workload("txn-put", "txn-put, 10 conns, 100 clients", List.of("txn-put", "--conns", "10",
                "--clients", "100", "--total", Integer.toString(n(10000, scale)), "--key-size", "8", "--val-size", "256",
                "--key-space-size", "10000"), "txn-put", false));
        w.add(new Workload("watch", "watch fan-out, 1000 watchers (events/s)", List.of("watch", "--conns", "10",
                "--clients", "10", "--streams", "10", "--watch-per-stream", "100", "--put-total",
                Integer.toString(n(100, scale)), "--key-size", "8"), "watch-put", false));
        return w;
    }

    private static Workload put(String id, String label, int conns, int clients, int total) {
        return new Workload(id, label, List.of("put", "--conns", Integer.toString(conns), "--clients",
                Integer.toString(clients), "--total", Integer.toString(total), "--key-size", "8", "--val-size", "256",
                "--sequential-keys"), "put", false);
    }

    private static Workload get(String id, String label, String consistency, int conns, int clients, int total) {
        return new Workload(id, label, List.of("range", "foo", "--consistency", consistency, "--conns",
                Integer.toString(conns), "--clients", Integer.toString(clients), "--total", Integer.toString(total)),
                "range", true);
    }

    private static int n(int base, double scale) {
        return Math.max(1, (int) Math.round(base * scale));
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s (%s)", id, String.join(" ", args));
    }
}
