package io.etcdj.server;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.common.exception.EtcdException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One side's record of a jetcd differential scenario, written so that the reference etcd's and
 * ours can be compared line for line: revisions relative to {@link #base(long) the revision before
 * the scenario}, leases by the role the scenario gave them, errors as jetcd's exception class,
 * its error code (jetcd's mirror of the gRPC status code) and its message (the status
 * description, which clients match on).
 */
final class JetcdTranscript {
    static final long WAIT_SECONDS = 10;

    private final List<String> lines = new ArrayList<>();
    private final Map<Long, String> leaseNames = new LinkedHashMap<>();
    private long baseRev;

    /** Revisions in the transcript are written relative to {@code revision}. */
    void base(long revision) {
        baseRev = revision;
    }

    void add(String line) {
        lines.add(line);
    }

    List<String> lines() {
        return lines;
    }

    /** Names lease {@code id} by its role; transcripts show the role, never the ID. */
    void nameLease(long id, String role) {
        leaseNames.put(id, role);
    }

    String lease(long id) {
        return id == 0 ? "none" : leaseNames.getOrDefault(id, "unnamed lease");
    }

    /** A revision relative to the base, "+N" (or "-N" before it; 0 stays "0", etcd's "none"). */
    String rev(long revision) {
        if (revision == 0) {
            return "0";
        }
        long r = revision - baseRev;
        return r >= 0 ? "+" + r : String.valueOf(r);
    }

    String kvs(List<KeyValue> kvs) {
        return kvs.stream().map(this::kv).toList().toString();
    }

    String kv(KeyValue kv) {
        if (kv == null || kv.getKey().isEmpty()) {
            return "-";
        }
        return text(kv.getKey()) + "=" + text(kv.getValue()) + " (create " + rev(kv.getCreateRevision())
                + ", mod " + rev(kv.getModRevision()) + ", v" + kv.getVersion()
                + (kv.getLease() == 0 ? "" : ", lease " + lease(kv.getLease())) + ")";
    }

    /** The outcome of {@code call}: "ok", or the error as a client would match on it. */
    String failure(Callable<? extends CompletableFuture<?>> call) {
        try {
            call.call().get(WAIT_SECONDS, TimeUnit.SECONDS);
            return "ok";
        } catch (ExecutionException e) {
            return error(e.getCause());
        } catch (TimeoutException e) {
            return "no answer within " + WAIT_SECONDS + " s";
        } catch (Exception e) {
            return error(e);
        }
    }

    /** An error as jetcd surfaces it: class, code, message (and a compaction's revision). */
    String error(Throwable t) {
        if (t instanceof CompactedException c) {
            return "CompactedException " + c.getErrorCode() + " " + c.getMessage()
                    + " (compacted " + rev(c.getCompactedRevision()) + ")";
        }
        if (t instanceof EtcdException e) {
            return e.getClass().getSimpleName() + " " + e.getErrorCode() + " " + e.getMessage();
        }
        return t.getClass().getSimpleName() + " " + t.getMessage();
    }

    static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    static ByteSequence bs(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    static String text(ByteSequence b) {
        return b.toString(StandardCharsets.UTF_8);
    }
}
