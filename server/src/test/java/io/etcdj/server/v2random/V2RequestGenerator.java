package io.etcdj.server.v2random;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * Draws random /v2/keys requests over a small key space (directories 1–3 deep, hidden "_"
 * names, names that need escaping in a URL), so that writes collide often: files under files,
 * directories written as values, compare-and-swap on keys that just changed. Parameters go in
 * the query string or in a form body at random (etcd reads both; the body wins).
 *
 * <p>Deterministic for a seed and the reference's answers (through {@link ReferenceMemory}).
 * TTLs are long (at least 1000 s) so that nothing expires during a run.
 */
public final class V2RequestGenerator {
    /** A path segment as the URL spells it and as the store names it. */
    record Segment(String encoded, String decoded) {
    }

    private static final List<Segment> DIRS = List.of(seg("a"), seg("b"), seg("_h"), new Segment("s%20p", "s p"),
            new Segment("caf%C3%A9", "café"), seg("café")); // the same name escaped, and raw UTF-8 in the URL
    private static final List<Segment> LEAVES = List.of(seg("k"), seg("_x"), new Segment("q%3Fm", "q?m"),
            seg("p+l"), new Segment("50%25", "50%"), new Segment("s%2Fl", "s/l"),
            // in Go's byte order U+E000 comes before U+1F600 (in UTF-16's, after)
            new Segment("%EE%80%80", "\ue000"), new Segment("%F0%9F%98%80", "\ud83d\ude00"));
    private static final Segment QUEUE = seg("q");
    /** Where a write-heavy run writes most: no other request makes it a file, so writes there succeed. */
    private static final Segment BULK = seg("w");
    /** Go's strconv.ParseBool spellings of true and false. */
    private static final List<String> YES = List.of("true", "true", "true", "1", "t", "T", "TRUE", "True");
    private static final List<String> NO = List.of("false", "false", "0", "f", "F", "FALSE", "False");
    private static final List<String> VALUES = List.of("v", "hello world", "a&b=c", "x+y", "100%", "é☃", "<tag>",
            "line\nbreak", "", "\"quoted\"", "v2");

    private final Random random;
    private final ReferenceMemory memory;
    /** A write-heavy run passes etcd's 1000-event watch window sooner. */
    private final boolean writeHeavy;

    public V2RequestGenerator(long seed, ReferenceMemory memory) {
        this.random = new Random(mix(seed)); // neighbouring seeds start far apart
        this.memory = memory;
        this.writeHeavy = random.nextInt(3) == 0;
    }

    public boolean writeHeavy() {
        return writeHeavy;
    }

    /** The next request. */
    public V2Step next() {
        if (memory.index() >= 1060 && random.nextInt(40) == 0) {
            return waitCleared(); // as soon as there are indexes etcd no longer remembers
        }
        int r = random.nextInt(100);
        if (writeHeavy && r < 60) {
            Params p = new Params().add("value", value());
            return put(List.of(BULK, LEAVES.get(random.nextInt(LEAVES.size()))), p.noValue(random.nextInt(5) == 0), true);
        }
        r = random.nextInt(100);
        if (r < 18) {
            return set();
        } else if (r < 24) {
            return mkdir();
        } else if (r < 28) {
            return withTtl();
        } else if (r < 32) {
            return refresh();
        } else if (r < 37) {
            return prevExist();
        } else if (r < 43) {
            return compareAndSwap();
        } else if (r < 48) {
            return post();
        } else if (r < 62) {
            return get();
        } else if (r < 74) {
            return delete();
        } else if (r < 84) {
            return waitFromHistory();
        } else if (r < 86) {
            return waitCleared();
        } else if (r < 90) {
            return root();
        } else {
            return queue();
        }
    }

    // ------------------------------------------------------------------ writes

    private V2Step set() {
        Params p = new Params().add("value", value());
        if (random.nextInt(8) == 0) {
            // no TTL (an existing one is removed), or, now and then, gone at once (the run waits for that)
            p.add("ttl", random.nextInt(6) > 0 ? "" : "0");
        }
        return put(key(), p.noValue(random.nextInt(5) == 0), true);
    }

    private V2Step mkdir() {
        Params p = new Params().add("dir", yes());
        if (random.nextInt(4) == 0) {
            p.add("prevExist", bool(random.nextBoolean()));
        }
        if (random.nextInt(8) == 0) {
            p.add("value", value()); // a value beside dir=true
        }
        return put(key(), p, true);
    }

    private V2Step withTtl() {
        Params p = new Params().add("ttl", Integer.toString(1000 + random.nextInt(9000)));
        if (random.nextInt(3) == 0) {
            p.add("dir", yes());
        } else {
            p.add("value", value());
        }
        if (random.nextInt(4) == 0) {
            p.add("prevExist", bool(random.nextBoolean()));
        }
        return put(key(), p, true);
    }

    private V2Step refresh() {
        List<Segment> key = aimedKey();
        ReferenceMemory.Known known = memory.known(decoded(key));
        Params p = new Params().add("refresh", yes());
        switch (random.nextInt(6)) {
            case 0 -> { } // no TTL: refused
            case 1 -> p.add("ttl", "");
            default -> p.add("ttl", Integer.toString(1000 + random.nextInt(9000)));
        }
        if (random.nextBoolean()) {
            p.add("prevExist", yes());
        }
        if (random.nextInt(6) == 0) {
            p.add("value", value()); // a value on a refresh: refused
        }
        if (known != null && random.nextInt(4) == 0) { // a refresh that compares first
            if (random.nextBoolean()) {
                p.add("prevValue", known.value() != null && random.nextBoolean() ? known.value() : value());
            } else {
                p.add("prevIndex", Long.toString(random.nextBoolean() ? known.modifiedIndex() : 1 + random.nextInt(40)));
            }
        }
        V2Step s = put(key, p, false);
        return new V2Step(s.method(), s.target(), s.form(), s.key(), false, true, true, false, false);
    }

    private V2Step prevExist() {
        Params p = new Params().add("value", value()).add("prevExist", bool(random.nextBoolean()));
        return put(aimedKey(), p.noValue(random.nextInt(4) == 0), true);
    }

    private V2Step compareAndSwap() {
        List<Segment> key = aimedKey();
        ReferenceMemory.Known known = memory.known(decoded(key));
        Params p = new Params().add("value", value());
        int how = random.nextInt(4);
        if (how != 1) {
            p.add("prevValue", known != null && known.value() != null && random.nextInt(3) > 0 ? known.value() : value());
        }
        if (how != 0) {
            long index = known != null && random.nextInt(3) > 0 ? known.modifiedIndex() : random.nextInt(40);
            p.add("prevIndex", Long.toString(index));
        }
        if (random.nextInt(6) == 0) {
            p.add("prevExist", yes());
        }
        if (random.nextInt(5) == 0) {
            p.add("ttl", random.nextBoolean() ? "" : Integer.toString(1000 + random.nextInt(9000)));
        }
        return put(key, p.noValue(random.nextInt(4) == 0), true);
    }

    private V2Step post() {
        Params p = new Params();
        if (random.nextInt(5) > 0) {
            p.add("value", value());
        }
        if (random.nextInt(6) == 0) {
            p.add("ttl", Integer.toString(1000 + random.nextInt(9000)));
        }
        if (random.nextInt(8) == 0) {
            p.add("dir", yes());
        }
        List<Segment> key = random.nextInt(3) == 0 ? dirKey() : List.of(QUEUE);
        return send("POST", key, p.noValue(random.nextInt(5) == 0), true, false, true);
    }

    private V2Step delete() {
        List<Segment> key = random.nextInt(4) == 0 ? dirKey() : aimedKey();
        ReferenceMemory.Known known = memory.known(decoded(key));
        Params p = new Params();
        switch (random.nextInt(7)) {
            case 0 -> p.add("dir", yes());
            case 1 -> p.add("recursive", yes());
            case 2 -> p.add("dir", yes()).add("recursive", "true");
            case 3 -> p.add("prevValue", known != null && known.value() != null && random.nextBoolean()
                    ? known.value() : value());
            case 4 -> p.add("prevIndex", Long.toString(known != null && random.nextBoolean()
                    ? known.modifiedIndex() : 1 + random.nextInt(40)));
            default -> { }
        }
        return send("DELETE", key, p.noValue(random.nextInt(5) == 0), true, false, true);
    }

    /** Writes and reads at the root (which is read-only to all but POST). */
    private V2Step root() {
        return switch (random.nextInt(6)) {
            case 0 -> put(List.of(), new Params().add("value", value()), true);
            case 1 -> put(List.of(), new Params().add("dir", yes()), true);
            case 2 -> send("DELETE", List.of(), new Params().add("recursive", "true"), true, false, true);
            case 3 -> send("DELETE", List.of(), new Params().add("dir", yes()), true, false, true);
            case 4 -> send("POST", List.of(), new Params().add("value", value()), true, false, true);
            default -> send("GET", List.of(), new Params().add("recursive", "true").add("sorted", "true"), false,
                    true, false);
        };
    }

    /** The in-order queue: POSTs, then its listing in creation order. */
    private V2Step queue() {
        if (random.nextInt(3) == 0) {
            return send("POST", List.of(QUEUE), new Params().add("value", value()), true, false, true);
        }
        Params p = new Params().add("sorted", "true");
        if (random.nextBoolean()) {
            p.add("recursive", yes());
        }
        return send("GET", List.of(QUEUE), p, false, true, false);
    }

    private V2Step put(List<Segment> key, Params p, boolean watchable) {
        return send("PUT", key, p, true, false, watchable);
    }

    // ------------------------------------------------------------------ reads

    private V2Step get() {
        Params p = new Params();
        boolean sorted = random.nextBoolean();
        if (sorted) {
            p.add("sorted", yes());
        }
        if (random.nextBoolean()) {
            p.add("recursive", yes());
        }
        if (random.nextInt(4) == 0) {
            p.add("quorum", yes());
        }
        List<Segment> key = random.nextInt(10) == 0 ? List.of() : random.nextBoolean() ? dirKey() : key();
        return send("GET", key, p, false, sorted, false);
    }

    /** A wait for an event surely in the history (so it answers at once), on its key or a parent. */
    private V2Step waitFromHistory() {
        List<ReferenceMemory.Event> events = memory.events();
        if (events.isEmpty()) {
            return get();
        }
        // events well inside etcd's window of the last 1000
        int from = Math.max(0, events.size() - 900);
        ReferenceMemory.Event e = events.get(from + random.nextInt(events.size() - from));
        if (e.dirRemoved() && random.nextBoolean()) {
            // any key below it, or (a prefix is a prefix) whose name extends it, sees its removal
            String below = e.key() + (random.nextInt(3) == 0 ? "k" : "/" + key().get(0).decoded());
            return sendDecoded("GET", List.of(below.substring(1).split("/")),
                    new Params().add("wait", yes()).add("waitIndex", Long.toString(e.index())));
        }
        List<String> segments = e.key().equals("/") ? List.of() : List.of(e.key().substring(1).split("/"));
        int depth = random.nextInt(3) == 0 ? random.nextInt(segments.size() + 1) : segments.size();
        Params p = new Params().add("wait", yes());
        long lowest = Math.max(1, e.index() - random.nextInt(4));
        p.add("waitIndex", Long.toString(lowest >= memory.index() - 900 ? lowest : e.index()));
        if (depth < segments.size() || random.nextInt(3) == 0) {
            p.add("recursive", yes());
        }
        return sendDecoded("GET", segments.subList(0, depth), p);
    }

    /** A wait for an index before etcd's window of the last 1000 events (refused), once there is one. */
    private V2Step waitCleared() {
        if (memory.index() < 1060) {
            return waitFromHistory();
        }
        Params p = new Params().add("wait", "true")
                .add("waitIndex", Long.toString(1 + random.nextInt((int) memory.index() - 1050)));
        if (random.nextBoolean()) {
            p.add("recursive", yes());
        }
        return send("GET", random.nextBoolean() ? key() : List.of(), p, false, false, false);
    }

    /**
     * Watches to open before {@code write} (none for most): on its key, and recursively on parents
     * the key is not hidden from ("_" names below a watched directory are not notified). A
     * successful write reaches them all.
     */
    public List<V2Step> futureWatches(V2Step write) {
        List<V2Step> watches = new ArrayList<>();
        if (!write.watchable() || random.nextInt(8) > 0) {
            return watches; // before one write in eight
        }
        List<String> key = write.key();
        if (!write.method().equals("POST") && random.nextBoolean()) {
            watches.add(sendDecoded("GET", key, nextEvent()));
        }
        List<String> below = memory.below("/" + String.join("/", key));
        if (write.method().equals("DELETE") && !below.isEmpty() && random.nextBoolean()) {
            // removing a directory reaches the watchers of each key it held
            String child = below.get(random.nextInt(below.size()));
            watches.add(sendDecoded("GET", List.of(child.substring(1).split("/")), nextEvent()));
        }
        for (int depth = key.size(); depth >= 0; depth--) {
            boolean hiddenBelow = key.subList(depth, key.size()).stream().anyMatch(s -> s.startsWith("_"));
            // the root's watch also when the key is hidden from it: see flushAfter
            if ((!hiddenBelow || depth == 0) && (depth == 0 || random.nextInt(3) == 0) && watches.size() < 3) {
                watches.add(sendDecoded("GET", key.subList(0, depth), nextEvent().add("recursive", yes())));
            }
        }
        return watches;
    }

    /**
     * After a successful {@code write} that the root's recursive watch among {@code watches} did not
     * see (its key is hidden), a write it does see, so that it answers (with that one, on both
     * servers, unless one of them let the hidden event through); else null. No other request makes
     * the bulk directory a file, so this write succeeds.
     */
    public V2Step flushAfter(V2Step write, List<V2Step> watches) {
        boolean hidden = write.key().stream().anyMatch(s -> s.startsWith("_"));
        if (!hidden || watches.stream().noneMatch(w -> w.key().isEmpty())) {
            return null;
        }
        // as it is, without the odd extras send() may add (a wait=true would be refused)
        return new V2Step("PUT", "/v2/keys/" + BULK.encoded() + "/flush", "value=" + URLEncoder.encode(value(),
                StandardCharsets.UTF_8), List.of(BULK.decoded(), "flush"), false, true, false, true, false);
    }

    /** A wait for the next event: from now, or from the index the next write will have. */
    private Params nextEvent() {
        Params p = new Params().add("wait", yes());
        return random.nextBoolean() ? p : p.add("waitIndex", Long.toString(memory.index() + 1));
    }

    // ------------------------------------------------------------------ keys, values, parameters

    /** 1–3 segments: directory names above, any name last. */
    private List<Segment> key() {
        int depth = 1 + random.nextInt(3);
        List<Segment> key = new ArrayList<>();
        for (int i = 1; i < depth; i++) {
            key.add(DIRS.get(random.nextInt(DIRS.size())));
        }
        key.add(random.nextInt(3) == 0 ? DIRS.get(random.nextInt(DIRS.size())) : LEAVES.get(random.nextInt(LEAVES.size())));
        return key;
    }

    /** Half the time a key the reference last said exists (if any), else {@link #key()}. */
    private List<Segment> aimedKey() {
        List<String> known = memory.below("");
        if (known.isEmpty() || random.nextBoolean()) {
            return key();
        }
        String k = known.get(random.nextInt(known.size()));
        return List.of(k.substring(1).split("/")).stream().map(d -> new Segment(encodePath(d), d)).toList();
    }

    /** 1–2 directory names. */
    private List<Segment> dirKey() {
        List<Segment> key = new ArrayList<>();
        for (int i = 0, n = 1 + random.nextInt(2); i < n; i++) {
            key.add(DIRS.get(random.nextInt(DIRS.size())));
        }
        return key;
    }

    private String value() {
        return VALUES.get(random.nextInt(VALUES.size()));
    }

    private V2Step sendDecoded(String method, List<String> decoded, Params p) {
        List<Segment> key = decoded.stream().map(d -> new Segment(encodePath(d), d)).toList();
        return send(method, key, p, false, false, false);
    }

    /** Parameters of PUT and POST go in the query or in the form body at random; others in the query. */
    private V2Step send(String method, List<Segment> key, Params p, boolean write, boolean sorted, boolean watchable) {
        boolean hasBody = method.equals("PUT") || method.equals("POST"); // Go reads a form body for these
        List<String> query = new ArrayList<>();
        List<String> form = new ArrayList<>();
        for (String[] kv : p.pairs) {
            boolean raw = kv[1].matches("[^&=+%#\\s]+") && random.nextInt(4) == 0; // raw UTF-8, unescaped
            String pair = kv[0] + "=" + (raw ? kv[1] : URLEncoder.encode(kv[1], StandardCharsets.UTF_8));
            boolean inForm = hasBody && random.nextBoolean();
            (inForm ? form : query).add(pair);
            if (inForm && random.nextInt(10) == 0) {
                query.add(kv[0] + "=decoy"); // the form's value wins
            }
        }
        if (method.equals("DELETE") && random.nextInt(10) == 0) {
            form.add("recursive=true&dir=true&prevValue=body"); // a DELETE's body is not read
        }
        String path = "/v2/keys/" + key.stream().map(Segment::encoded).collect(Collectors.joining("/"));
        if (!key.isEmpty() && random.nextInt(20) == 0) {
            path += "/"; // the same key
        }
        if (write && random.nextInt(60) == 0) {
            query.add("wait=true"); // refused on anything but GET
        }
        String target = query.isEmpty() ? path : path + "?" + String.join("&", query);
        String body = form.isEmpty() && !(hasBody && random.nextInt(4) == 0) ? null : String.join("&", form);
        return new V2Step(method, target, body, key.stream().map(Segment::decoded).toList(), sorted, write, false,
                watchable, p.has("ttl", "0"));
    }

    private static String decoded(List<Segment> key) {
        return "/" + key.stream().map(Segment::decoded).collect(Collectors.joining("/"));
    }

    /** A store name as a URL path segment (spaces as %20, '+' kept: a path is not a form). */
    private static String encodePath(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20").replace("%2B", "+");
    }

    /** SplitMix64's finaliser. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private String yes() {
        return YES.get(random.nextInt(YES.size()));
    }

    private String no() {
        return NO.get(random.nextInt(NO.size()));
    }

    private String bool(boolean b) {
        return b ? yes() : no();
    }

    private static Segment seg(String plain) {
        return new Segment(plain, plain);
    }

    /** Request parameters in the order they were added. */
    private static final class Params {
        private final List<String[]> pairs = new ArrayList<>();

        Params add(String name, String value) {
            pairs.add(new String[] {name, value});
            return this;
        }

        boolean has(String name, String value) {
            return pairs.stream().anyMatch(kv -> kv[0].equals(name) && kv[1].equals(value));
        }

        Params noValue(boolean on) {
            return on ? add("noValueOnSuccess", "true") : this;
        }
    }
}
