package io.etcdj.server.read;

import com.google.protobuf.ByteString;
import io.etcdj.raft.ReadState;
import io.etcdj.server.EtcdError;
import io.etcdj.server.apply.AppliedIndex;
import io.etcdj.server.raft.RaftListener;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Batches linearizable reads into ReadIndex rounds: at most one round is in flight; every read
 * queued while it is in flight joins the NEXT round (it arrived after the current round's index
 * was requested, so that index may not cover it). When raft answers a round with its read index,
 * the round's readers are released once the applied index reaches it.
 *
 * <p>A round unanswered for {@code retryTicks} ticks (lost message, no leader yet) is asked again
 * with a fresh context. A change from one known leader to another (or to none) fails the round in
 * flight with "leader changed", as etcd does; the first leader after none just re-asks. Thread-safety: all state is guarded by {@code this}; raft callbacks come from the loop.
 */
public final class ReadIndexBatcher implements RaftListener {
    private final Consumer<ByteString> readIndexRequester;
    private final AppliedIndex appliedIndex;
    private final int retryTicks;
    private long nextContext = 1;
    private List<CompletableFuture<Void>> queued = new ArrayList<>();
    private Round inFlight;
    private long knownLeader;

    private static final class Round {
        final List<CompletableFuture<Void>> readers;
        ByteString context;
        int ticksWaited;

        Round(List<CompletableFuture<Void>> readers, ByteString context) {
            this.readers = readers;
            this.context = context;
        }
    }

    /** @param readIndexRequester asks raft for a read index (e.g. {@code RaftLoop::readIndex}) */
    public ReadIndexBatcher(Consumer<ByteString> readIndexRequester, AppliedIndex appliedIndex, int retryTicks) {
        this.readIndexRequester = readIndexRequester;
        this.appliedIndex = appliedIndex;
        this.retryTicks = retryTicks;
    }

    /** Completes when a read started now may be served from the local store linearizably. */
    public CompletableFuture<Void> awaitReadable() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        ByteString ask;
        synchronized (this) {
            queued.add(f);
            ask = inFlight == null ? startRound() : null;
        }
        if (ask != null) {
            readIndexRequester.accept(ask);
        }
        return f;
    }

    @Override
    public void onReadStates(List<ReadState> readStates) {
        for (ReadState rs : readStates) {
            Round done = null;
            ByteString ask = null;
            synchronized (this) {
                if (inFlight != null && inFlight.context.equals(rs.requestCtx())) {
                    done = inFlight;
                    inFlight = null;
                    if (!queued.isEmpty()) {
                        ask = startRound();
                    }
                }
            }
            if (done != null) {
                List<CompletableFuture<Void>> readers = done.readers;
                appliedIndex.await(rs.index()).whenComplete((v, err) -> {
                    for (CompletableFuture<Void> r : readers) {
                        if (err != null) {
                            r.completeExceptionally(err);
                        } else {
                            r.complete(null);
                        }
                    }
                });
            }
            if (ask != null) {
                readIndexRequester.accept(ask);
            }
        }
    }

    @Override
    public void onTick() {
        ByteString ask = null;
        synchronized (this) {
            if (inFlight != null && ++inFlight.ticksWaited >= retryTicks) {
                inFlight.context = newContext();
                inFlight.ticksWaited = 0;
                ask = inFlight.context;
            }
        }
        if (ask != null) {
            readIndexRequester.accept(ask);
        }
    }

    @Override
    public void onLeaderChange(long leader, long term) {
        Round failed = null;
        ByteString ask = null;
        synchronized (this) {
            boolean hadLeader = knownLeader != 0;
            knownLeader = leader;
            if (inFlight != null && hadLeader) {
                failed = inFlight;
                inFlight = null;
            }
            if (leader != 0 && inFlight != null) { // first leader: ask again at once
                inFlight.context = newContext();
                inFlight.ticksWaited = 0;
                ask = inFlight.context;
            } else if (leader != 0 && inFlight == null && !queued.isEmpty()) {
                ask = startRound();
            }
        }
        if (failed != null) {
            failed.readers.forEach(r -> r.completeExceptionally(EtcdError.LEADER_CHANGED.exception()));
        }
        if (ask != null) {
            readIndexRequester.accept(ask);
        }
    }

    /** Moves the queued readers into a new in-flight round; returns the context to ask raft with. */
    private ByteString startRound() {
        inFlight = new Round(queued, newContext());
        queued = new ArrayList<>();
        return inFlight.context;
    }

    private ByteString newContext() {
        return ByteString.copyFrom(ByteBuffer.allocate(8).putLong(nextContext++).array());
    }
}
