package io.etcdj.server.raft;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Futures that complete when this member sees a given member as leader (MoveLeader waits on one).
 * Invariant: a waiter registered while the view already shows that leader completes at once; every
 * later change is reported by the raft loop after it updated the view, so no change is missed.
 */
public final class LeaderWaiters implements RaftListener {
    private final RaftView view;
    private final Map<CompletableFuture<Void>, Long> waiting = new ConcurrentHashMap<>();

    public LeaderWaiters(RaftView view) {
        this.view = view;
    }

    /** Waits for any leader: member IDs are never 0. */
    private static final long ANY = 0;

    /** Completes once {@code memberId} is the leader this member knows; the caller bounds the wait. */
    public CompletableFuture<Void> awaitLeader(long memberId) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        waiting.put(f, memberId);
        f.whenComplete((v, err) -> waiting.remove(f));
        if (matches(memberId, view.leader())) {
            f.complete(null);
        }
        return f;
    }

    /** Completes once this member knows a leader, whichever; the caller bounds the wait. */
    public CompletableFuture<Void> awaitAnyLeader() {
        return awaitLeader(ANY);
    }

    @Override
    public void onLeaderChange(long leader, long term) {
        waiting.forEach((f, id) -> {
            if (matches(id, leader)) {
                f.complete(null);
            }
        });
    }

    private static boolean matches(long wanted, long leader) {
        return wanted == ANY ? leader != 0 : wanted == leader;
    }
}
