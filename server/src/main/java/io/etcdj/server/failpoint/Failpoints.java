package io.etcdj.server.failpoint;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/**
 * Test-only crash points at the places where etcd has gofail failpoints, under the same names, so
 * a robustness test can cut the power at a chosen instant: between the WAL write and what follows
 * it, between a snapshot file and its WAL marker, between a backend commit and the next, inside a
 * compaction or a defragmentation.
 *
 * <p>Off unless the process starts with {@code GOFAIL_FAILPOINTS} (e.g. {@code raftBeforeSave=panic},
 * several joined by ';') or {@code GOFAIL_HTTP} (host:port of an endpoint that arms points at run
 * time: {@code PUT /<name>} with body {@code panic}, {@code DELETE /<name>}, {@code GET /} lists).
 * When off, {@link #hit} is a test of a static final constant the JIT folds away: no cost.
 *
 * <p>A crash is {@link Runtime#halt}: no shutdown hook, no flush, no close, as a power cut would do
 * (exit status 2, as a Go panic). A line naming the point is written to stderr first.
 */
public final class Failpoints {
    /** Every point, in the order a write meets them. */
    public static final List<String> NAMES = List.of(
            "raftBeforeSave", "raftAfterSave",                     // raft loop: WAL append + fsync of a Ready
            "raftBeforeSaveSnap", "raftAfterSaveSnap",             // .snap file and its WAL marker
            "raftBeforeApplySnap", "raftAfterApplySnap",           // a received snapshot into raft's log
            "raftAfterWALRelease",                                 // WAL files before a snapshot released
            "applyBeforeOpenSnapshot",                             // backend about to be replaced by a received one
            "beforeCommit", "afterCommit",                         // one backend commit (data + consistent index)
            "compactBeforeCommitBatch", "compactAfterCommitBatch", // one batch of a physical compaction
            "compactBeforeSetFinishedCompact", "compactAfterSetFinishedCompact",
            "defragBeforeCopy", "defragBeforeRename");             // a defragmentation

    /** True when the process was started with failpoints: a constant for the JIT. */
    public static final boolean ENABLED = System.getenv("GOFAIL_FAILPOINTS") != null
            || System.getenv("GOFAIL_HTTP") != null;

    private static final FailpointRegistry REGISTRY = new FailpointRegistry(NAMES, Failpoints::halt);

    static {
        String spec = System.getenv("GOFAIL_FAILPOINTS");
        if (spec != null) {
            REGISTRY.setAll(spec);
        }
    }

    private Failpoints() {
    }

    /** The crash point {@code name}: crashes the process here when it is armed. */
    public static void hit(String name) {
        if (ENABLED) {
            REGISTRY.reach(name);
        }
    }

    /** Starts the GOFAIL_HTTP endpoint when that variable is set; a member calls this once at start. */
    public static void serveIfAsked(Map<String, String> env, PrintStream err) throws IOException {
        String addr = env.get("GOFAIL_HTTP");
        if (!ENABLED || addr == null || addr.isBlank()) {
            return;
        }
        int colon = addr.lastIndexOf(':');
        InetSocketAddress at = new InetSocketAddress(addr.substring(0, colon), Integer.parseInt(addr.substring(colon + 1)));
        FailpointEndpoint.start(REGISTRY, at);
        err.println("etcd: failpoints served on http://" + addr + " (test only)");
    }

    private static void halt(String name) {
        System.err.println("failpoint " + name + ": panic (halting the process)");
        System.err.flush();
        Runtime.getRuntime().halt(2);
    }
}
