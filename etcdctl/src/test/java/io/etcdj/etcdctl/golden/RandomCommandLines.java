package io.etcdj.etcdctl.golden;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * An endless, seeded sequence of etcdctl v3 command lines over a small key space whose keys share
 * prefixes (so ranges, prefixes and from-key reads collide with earlier writes): put, get, del, txn
 * (from stdin), compaction and the lease commands, each with random flags and output format, and
 * now and then a malformed one for the error paths. The same seed always gives the same lines.
 *
 * <p>Two things are unknown when a line is made and differ per server, so lines carry placeholders
 * the runner substitutes: {@code {lease:i}} is the hex ID of the i-th lease granted so far (an
 * unknown i: an ID no server granted), {@code {rev}}, {@code {rev-k}}, {@code {rev+k}} the
 * server's current revision and its neighbours.
 */
final class RandomCommandLines {
    /** A command line and what it reads on stdin. */
    record Line(List<String> args, String stdin) {
        /** The argument holding the subcommand name (after the global flags). */
        String command() {
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                if (a.equals("-w")) {
                    i++;
                } else if (!a.startsWith("-")) {
                    return a;
                }
            }
            return "";
        }
    }

    static final List<String> KEYS = List.of("a", "a/1", "a/2", "a/b", "ab", "b", "b/1", "c", "\u00e9", "k y");
    private static final List<String> PREFIXES = List.of("", "a", "a/", "b", "c", "z", "\u00e9");
    private static final List<String> VALUES = List.of("v", "1", "two words", "\"quoted\"", "it's",
            "\u00fcn\u00efc\u00f8d\u00e9 \u2713", "", "tab\there", "  padded ", "x=y");
    private static final List<String> FORMATS = List.of("simple", "json", "fields", "protobuf");
    private static final List<String> SORT_TARGETS = List.of("KEY", "CREATE", "MODIFY", "VALUE", "VERSION", "key",
            "value");
    private static final List<String> ORDERS = List.of("ASCEND", "DESCEND", "descend");
    private static final List<String> COMPARE_OPS = List.of("=", "<", ">", "!=", "=", "<", ">", "!=", "==");

    private final Random random;
    private int leasesAsked;

    RandomCommandLines(long seed) {
        this.random = new Random(seed);
    }

    Line next() {
        int dice = random.nextInt(100);
        if (dice < 20) {
            return put();
        }
        if (dice < 45) {
            return get();
        }
        if (dice < 55) {
            return del();
        }
        if (dice < 68) {
            return txn();
        }
        if (dice < 73) {
            return compaction();
        }
        if (dice < 90) {
            return lease();
        }
        return malformed();
    }

    private Line put() {
        List<String> a = start("put");
        a.add(pick(KEYS));
        String stdin = "";
        int valueFrom = random.nextInt(10);
        boolean ignoreValue = chance(10);
        if (valueFrom < 7 && !ignoreValue) {
            a.add(pick(VALUES));
        } else if (valueFrom < 9 && !ignoreValue) {
            stdin = pick(VALUES) + (chance(50) ? "\n" : "") + (chance(20) ? "second line\n" : "");
        }
        if (ignoreValue) {
            a.add("--ignore-value");
        }
        if (chance(30)) {
            a.add("--prev-kv");
        }
        if (chance(25)) {
            a.add("--lease=" + leaseRef());
        }
        if (chance(8)) {
            a.add("--ignore-lease");
        }
        return new Line(a, stdin);
    }

    private Line get() {
        List<String> a = start("get");
        rangeArgs(a);
        if (chance(25)) {
            a.add("--limit=" + random.nextInt(4));
        }
        if (chance(15)) {
            a.add("--rev=" + revision());
        }
        if (chance(25)) {
            a.add("--sort-by=" + pick(SORT_TARGETS));
        }
        if (chance(20)) {
            a.add("--order=" + pick(ORDERS));
        }
        if (chance(12)) {
            a.add("--keys-only");
        }
        if (chance(12)) {
            a.add("--print-value-only");
        }
        if (chance(8)) {
            a.add("--count-only");
        }
        if (chance(15)) {
            a.add("--consistency=" + (chance(50) ? "s" : "l"));
        }
        return new Line(a, "");
    }

    private Line del() {
        List<String> a = start("del");
        rangeArgs(a);
        if (chance(40)) {
            a.add("--prev-kv");
        }
        return new Line(a, "");
    }

    /** A key alone, a key and a range end, or a prefix/from-key range. */
    private void rangeArgs(List<String> a) {
        int kind = random.nextInt(10);
        if (kind < 4) {
            a.add(pick(KEYS));
        } else if (kind < 6) {
            a.add(pick(KEYS));
            a.add(pick(KEYS));
        } else if (kind < 8) {
            a.add(pick(PREFIXES));
            a.add("--prefix");
        } else {
            a.add(pick(PREFIXES));
            a.add("--from-key");
        }
    }

    private Line txn() {
        List<String> a = start("txn");
        boolean interactive = chance(15);
        if (interactive) {
            a.add("-i");
        }
        StringBuilder in = new StringBuilder();
        for (int i = random.nextInt(3); i > 0; i--) {
            in.append(compare()).append('\n');
        }
        in.append('\n');
        for (int i = random.nextInt(4); i > 0; i--) {
            in.append(txnOp()).append('\n');
        }
        in.append('\n');
        for (int i = random.nextInt(3); i > 0; i--) {
            in.append(txnOp()).append('\n');
        }
        in.append('\n');
        String stdin = in.toString();
        if (chance(10)) {
            stdin = garble(stdin);
        }
        return new Line(a, stdin);
    }

    private String compare() {
        String key = quoted(pick(KEYS));
        String op = pick(COMPARE_OPS);
        return switch (random.nextInt(9)) {
            case 0, 1, 2 -> "value(" + key + ") " + op + " " + quoted(pick(VALUES));
            case 3, 4 -> "version(" + key + ") " + op + " \"" + random.nextInt(4) + "\"";
            case 5 -> "create(" + key + ") " + op + " \"" + random.nextInt(15) + "\"";
            case 6 -> "mod(" + key + ") " + op + " \"" + random.nextInt(15) + "\"";
            case 7 -> "lease(" + key + ") " + op + " \"" + leaseRef() + "\"";
            default -> "val(" + key + ") " + op + " \"x\"";
        };
    }

    private String txnOp() {
        return switch (random.nextInt(6)) {
            case 0, 1 -> "put " + quoted(pick(KEYS)) + " " + quoted(pick(VALUES))
                    + (chance(20) ? " --prev-kv" : "") + (chance(15) ? " --lease=" + leaseRef() : "");
            case 2, 3 -> "get " + quoted(pick(KEYS)) + (chance(30) ? " --prefix" : "")
                    + (chance(20) ? " --limit=" + random.nextInt(3) : "") + (chance(15) ? " --keys-only" : "");
            case 4 -> "del " + quoted(pick(KEYS)) + (chance(30) ? " --prefix" : "") + (chance(30) ? " --prev-kv" : "");
            default -> chance(50) ? "get " + quoted(pick(PREFIXES)) + " --from-key" : "del " + quoted(pick(KEYS))
                    + " " + quoted(pick(KEYS));
        };
    }

    /** Breaks a well-formed txn text: a cut, a bad line, or a missing section. */
    private String garble(String txn) {
        return switch (random.nextInt(5)) {
            case 0 -> txn.substring(0, random.nextInt(txn.length() + 1));
            case 1 -> "bogus line\n" + txn;
            case 2 -> "value(a) = v\n\n\n\n";
            case 3 -> "\n" + pick(List.of("put", "put k", "get", "rm k", "get k --limit=x")) + "\n\n\n";
            default -> txn.replace("\n\n", "\n");
        };
    }

    private Line compaction() {
        List<String> a = new ArrayList<>(List.of("compaction"));
        a.add(revision());
        if (chance(40)) {
            a.add("--physical");
        }
        return new Line(a, "");
    }

    private Line lease() {
        int dice = random.nextInt(10);
        if (dice < 3 || leasesAsked == 0) {
            leasesAsked++;
            // TTLs far apart and far longer than a run: expiry order is TTL order, nothing expires
            return new Line(start("lease", "grant", Integer.toString(1000 * (1 + random.nextInt(9)))), "");
        }
        if (dice < 5) {
            return new Line(start("lease", "revoke", leaseRef()), "");
        }
        if (dice < 8) {
            List<String> a = start("lease", "timetolive", leaseRef());
            if (chance(50)) {
                a.add("--keys");
            }
            return new Line(a, "");
        }
        return new Line(start("lease", "list"), "");
    }

    /** A command line etcdctl refuses before or after asking the server. */
    private Line malformed() {
        List<String> words = pick(List.of(
                List.of("get"), List.of("get", "a", "--limit", "x"), List.of("get", "a", "--sort-by", "size"),
                List.of("get", "a", "--order", "up"), List.of("get", "a", "--consistency", "q"),
                List.of("get", "a", "--rev", "x"), List.of("get", "a", "b", "--prefix"),
                List.of("get", "a", "--prefix", "--from-key"), List.of("get", "a", "b", "c"),
                List.of("get", "a", "--nope"), List.of("put"), List.of("put", "a", "v", "extra"),
                List.of("put", "a", "v", "--lease", "zz"), List.of("put", "a", "v", "--ignore-value"),
                List.of("put", "a", "-dash"), List.of("del"), List.of("del", "a", "b", "c"),
                List.of("del", "a", "--prefix", "--from-key"), List.of("del", "a", "b", "--prefix"),
                List.of("lease", "grant"), List.of("lease", "grant", "ten"), List.of("lease", "grant", "-5"),
                List.of("lease", "grant", "0"), List.of("lease", "revoke"), List.of("lease", "revoke", "zz"),
                List.of("lease", "timetolive"), List.of("lease", "timetolive", "q"), List.of("lease", "list", "x"),
                List.of("compaction"), List.of("compaction", "x"), List.of("compaction", "-3"),
                List.of("compaction", "0"), List.of("txn", "extra"), List.of("lease", "bogus")));
        return new Line(start(words.toArray(String[]::new)), "");
    }

    /** Global flags in front (output format, --hex), then the words. */
    private List<String> start(String... words) {
        List<String> a = new ArrayList<>();
        int format = random.nextInt(20);
        if (format < 14) {
            a.add("-w");
            a.add(format < 13 ? FORMATS.get(format % FORMATS.size()) : "table");
        }
        if (chance(15)) {
            a.add("--hex");
        }
        a.addAll(List.of(words));
        return a;
    }

    /** A revision around the server's current one: past (maybe compacted), current or future. */
    private String revision() {
        int d = random.nextInt(12) - 8;
        return d == 0 ? "{rev}" : d < 0 ? "{rev" + d + "}" : "{rev+" + d + "}";
    }

    /** A lease granted so far, now and then one past the last granted (not granted anywhere). */
    private String leaseRef() {
        return "{lease:" + random.nextInt(leasesAsked + 1) + "}";
    }

    private String quoted(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private <T> T pick(List<T> options) {
        return options.get(random.nextInt(options.size()));
    }

    private boolean chance(int percent) {
        return random.nextInt(100) < percent;
    }
}
