package io.etcdj.robustness.traffic;

import io.etcdj.robustness.linearizability.KvOperation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Everything the traffic generator saw, thread-safe: the KV operations for the linearizability
 * checker, and the writes whose revision the server acknowledged (for the watch checker and the
 * lost-write count). Counters by operation kind and result are kept for the report.
 */
public final class History {

    /** A write the server acknowledged at {@code revision}; {@code value == null} for a delete. */
    public record AckedWrite(String key, String value, long revision) {
    }

    private final List<KvOperation> operations = new ArrayList<>();
    private final List<AckedWrite> ackedWrites = new ArrayList<>();
    private final List<String> possibleValues = new ArrayList<>();
    private final Map<String, Integer> counts = new TreeMap<>();
    private final AtomicInteger ids = new AtomicInteger();

    public int nextId() {
        return ids.getAndIncrement();
    }

    public synchronized void add(KvOperation op) {
        operations.add(op);
    }

    public synchronized void acked(AckedWrite w) {
        ackedWrites.add(w);
    }

    /** A value some write may have stored (acknowledged or not). */
    public synchronized void mayHaveWritten(String value) {
        if (value != null) {
            possibleValues.add(value);
        }
    }

    public synchronized void count(String what) {
        counts.merge(what, 1, Integer::sum);
    }

    public synchronized List<KvOperation> operations() {
        return List.copyOf(operations);
    }

    public synchronized List<AckedWrite> ackedWrites() {
        return List.copyOf(ackedWrites);
    }

    public synchronized List<String> possibleValues() {
        return List.copyOf(possibleValues);
    }

    public synchronized Map<String, Integer> counts() {
        return new TreeMap<>(counts);
    }

    public synchronized int total() {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }
}
