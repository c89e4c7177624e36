package io.etcdj.server.apply;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Request ID → the future of the client waiting for that request to be applied. The proposer
 * registers before proposing; the applier triggers with the result (or an exception) once the
 * entry is applied. Only the member that proposed has a waiter; others' triggers find none.
 */
public final class WaitRegistry {
    private final ConcurrentHashMap<Long, CompletableFuture<Object>> waiting = new ConcurrentHashMap<>();

    public CompletableFuture<Object> register(long id) {
        CompletableFuture<Object> f = new CompletableFuture<>();
        if (waiting.putIfAbsent(id, f) != null) {
            throw new IllegalStateException("duplicate request id " + Long.toHexString(id));
        }
        return f;
    }

    /** Forgets a waiter (timed out or failed to propose); a later trigger then finds nobody. */
    public void cancel(long id) {
        waiting.remove(id);
    }

    public void trigger(long id, Object result) {
        CompletableFuture<Object> f = waiting.remove(id);
        if (f != null) {
            f.complete(result);
        }
    }

    public void fail(long id, Throwable error) {
        CompletableFuture<Object> f = waiting.remove(id);
        if (f != null) {
            f.completeExceptionally(error);
        }
    }

    /** Fails every waiter (server stopping). */
    public void failAll(Throwable error) {
        for (Long id : waiting.keySet()) {
            fail(id, error);
        }
    }

    public int size() {
        return waiting.size();
    }
}
