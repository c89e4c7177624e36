package io.etcdj.server.raft;

import com.google.protobuf.ByteString;
import io.etcdj.raft.MemoryStorage;
import io.etcdj.raft.ProposalDroppedException;
import io.etcdj.raft.RawNode;
import io.etcdj.raft.Ready;
import io.etcdj.raft.SnapshotStatus;
import io.etcdj.raft.pb.ConfChange;
import io.etcdj.raft.pb.ConfState;
import io.etcdj.raft.pb.Entry;
import io.etcdj.raft.pb.EntryType;
import io.etcdj.raft.pb.Message;
import io.etcdj.raft.pb.Snapshot;
import io.etcdj.server.failpoint.Failpoints;
import io.etcdj.server.storage.RaftLogStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that owns the {@link RawNode} and its {@link MemoryStorage} (see the threading
 * model in {@code io.etcdj.server}'s package doc).
 *
 * <p>Every input (proposal, peer message, ReadIndex request, conf change to apply, unreachable
 * report) is a task on {@link #inbox}; the loop drains ALL queued tasks before it asks for a Ready,
 * so concurrent proposals become one Ready and one fsync (group commit). The loop ticks the node
 * every {@code tickMillis} by its own clock: there is no timer thread.
 *
 * <p>On each Ready, in this order: publish soft/hard state; hand read states to listeners; send
 * {@code messages()} (the transport never blocks: it writes into non-blocking sockets or queues, so
 * the leader's appends travel while the WAL is written); persist snapshot, hard state and entries with one fsync if {@code mustSync};
 * append them to the MemoryStorage; send {@code messagesAfterPersist()}; hand the snapshot and
 * committed entries to the applier; {@code advance}.
 *
 * <p>Invariant: raft's applied index never passes a conf change the applier has not applied. A
 * Ready whose committed entries hold some is advanced only once the applier has applied them all
 * through {@link #applyConfChange} (as etcd's raft node waits for its apply loop), or, should one
 * never come, once the applied index passed the last; until then the loop keeps running tasks and
 * ticks, but asks for no Ready. Otherwise a restarted member replaying its bootstrap conf changes
 * one by one would, between the first and the second, be the only voter of its configuration, and
 * win an election alone. Advancing inside the last {@code applyConfChange} (not later, when the
 * applier's whole batch is done) means that the member change's caller, answered right after, can
 * propose the next change without raft refusing it as "pending".
 *
 * <p>A failure to persist is fatal: the loop stops (nothing more is acknowledged) and calls the
 * fatal handler.
 */
public final class RaftLoop {
    private static final Logger log = LoggerFactory.getLogger(RaftLoop.class);
    private static final int MAX_TASKS_PER_BATCH = 8192;

    /** A unit of work run on the loop thread with exclusive access to the node. */
    @FunctionalInterface
    interface RaftTask {
        void run(RawNode node);
    }

    private final long selfId;
    /** Role and leader changes in etcd's words (raft-loop thread only). */
    private final RaftStateLog stateLog;
    private final RawNode node;
    private final MemoryStorage storage;
    private final RaftLogStore logStore;
    private final MessageSender sender;
    private final Consumer<CommittedBatch> applier;
    /** Completes once the applier has applied everything up to the given index. */
    private final LongFunction<CompletableFuture<Void>> appliedThrough;
    private final long tickNanos;
    private final Consumer<Throwable> fatalHandler;
    private final LinkedBlockingQueue<RaftTask> inbox = new LinkedBlockingQueue<>();
    private final List<RaftListener> listeners = new CopyOnWriteArrayList<>();
    private final RaftView view = new RaftView();
    /** A Ready handed out with a conf change, whose advance waits for the applier (loop thread only). */
    private AwaitingApply awaitingApply;
    private volatile boolean running;
    private Thread thread;

    public RaftLoop(long selfId, RawNode node, MemoryStorage storage, RaftLogStore logStore, MessageSender sender,
                    Consumer<CommittedBatch> applier, LongFunction<CompletableFuture<Void>> appliedThrough,
                    long tickMillis, Consumer<Throwable> fatalHandler) {
        this.appliedThrough = appliedThrough;
        this.selfId = selfId;
        this.stateLog = new RaftStateLog(selfId);
        this.node = node;
        this.storage = storage;
        this.logStore = logStore;
        this.sender = sender;
        this.applier = applier;
        this.tickNanos = TimeUnit.MILLISECONDS.toNanos(tickMillis);
        this.fatalHandler = fatalHandler;
    }

    public void addListener(RaftListener listener) {
        listeners.add(listener);
    }

    public RaftView view() {
        return view;
    }

    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        running = true;
        thread = new Thread(this::run, "raft-loop-" + Long.toHexString(selfId));
        thread.start();
    }

    /**
     * Stops the loop and waits for it; queued tasks are dropped (their futures fail). The thread is
     * woken, never interrupted: an interrupt would close the WAL's file channel mid-write.
     */
    public void stop() {
        Thread t;
        synchronized (this) {
            t = thread;
            running = false;
        }
        if (t != null) {
            inbox.add(n -> { });
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Proposes a normal entry; completes when raft accepted it into its log (not when committed). */
    public CompletableFuture<Void> propose(ByteString data) {
        return call(n -> {
            n.propose(data);
            return null;
        });
    }

    public CompletableFuture<Void> proposeConfChange(ConfChange cc) {
        return call(n -> {
            n.proposeConfChange(cc);
            return null;
        });
    }

    /** Applies a committed conf change to the node (the applier calls this for each conf entry). */
    public CompletableFuture<ConfState> applyConfChange(ConfChange cc) {
        return call(n -> {
            ConfState applied = n.applyConfChange(cc);
            AwaitingApply waiting = awaitingApply;
            if (waiting != null && --waiting.confChangesLeft == 0) {
                finishAwaitedReady(waiting);
            }
            return applied;
        });
    }

    /**
     * Takes a raft snapshot at {@code index} (applied, with the backend durable up to it) carrying
     * {@code data}, persists it, compacts the in-memory log to keep {@code keepEntries} entries
     * below it for slow followers, and releases WAL files replay no longer needs. The conf state
     * is raft's current one, which is the one as of {@code index} because the applier (the only
     * caller of applyConfChange) waits for this.
     */
    public CompletableFuture<Snapshot> snapshotAt(long index, ByteString data, long keepEntries) {
        return call(n -> {
            try {
                Snapshot snap = storage.createSnapshot(index, n.status().config(), data);
                logStore.saveSnapshot(snap);
                long compactTo = index - keepEntries;
                if (compactTo > storage.firstIndex()) {
                    storage.compact(compactTo);
                }
                logStore.releaseBefore(index);
                Failpoints.hit("raftAfterWALRelease");
                return snap;
            } catch (IOException e) {
                running = false;
                fatalHandler.accept(e);
                throw new UncheckedIOException(e);
            }
        });
    }

    /**
     * Ticks the node {@code ticks} times at once (the initial election tick advance); the loop's
     * own tick schedule and the tick listeners are not affected.
     */
    public void advanceTicks(int ticks) {
        submit(n -> {
            for (int i = 0; i < ticks; i++) {
                n.tick();
            }
        });
    }

    /** A message from a peer. */
    public void step(Message m) {
        submit(n -> n.step(m));
    }

    public void readIndex(ByteString requestCtx) {
        submit(n -> n.readIndex(requestCtx));
    }

    public void reportUnreachable(long peerId) {
        submit(n -> n.reportUnreachable(peerId));
    }

    public void reportSnapshot(long peerId, SnapshotStatus status) {
        submit(n -> n.reportSnapshot(peerId, status));
    }

    /**
     * Runs {@code f} on the loop thread; ProposalDroppedException and others fail the future, and
     * so does stopping the loop before the task ran.
     */
    public <T> CompletableFuture<T> call(Function<RawNode, T> f) {
        PendingCall<T> task = new PendingCall<>(f);
        inbox.add(task);
        if (!running) {
            inbox.remove(task);
            task.abandon();
        }
        return task.result;
    }

    /** A task whose caller waits for its result. */
    private static final class PendingCall<T> implements RaftTask {
        final Function<RawNode, T> f;
        final CompletableFuture<T> result = new CompletableFuture<>();

        PendingCall(Function<RawNode, T> f) {
            this.f = f;
        }

        @Override
        public void run(RawNode node) {
            try {
                result.complete(f.apply(node));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        }

        void abandon() {
            result.completeExceptionally(new IllegalStateException("raft loop stopped"));
        }
    }

    private void submit(RaftTask task) {
        if (running) {
            inbox.add(task);
        }
    }

    private void run() {
        long nextTick = System.nanoTime() + tickNanos;
        List<RaftTask> batch = new ArrayList<>();
        try {
            while (running) {
                // Never sleep on a pending Ready: advance() after a save can itself make one
                // (the leader's own durable entries move the commit index), and waiting for the
                // next task or tick would hold that commit back by up to a heartbeat interval.
                boolean readyDue = awaitingApply == null && node.hasReady();
                long waitNanos = readyDue ? 0 : nextTick - System.nanoTime();
                RaftTask first = waitNanos > 0 ? inbox.poll(waitNanos, TimeUnit.NANOSECONDS) : inbox.poll();
                if (first != null) {
                    batch.add(first);
                    inbox.drainTo(batch, MAX_TASKS_PER_BATCH);
                    for (RaftTask task : batch) {
                        runTask(task);
                    }
                    batch.clear();
                }
                long now = System.nanoTime();
                if (now - nextTick >= 0) {
                    node.tick();
                    listeners.forEach(RaftListener::onTick);
                    nextTick += tickNanos;
                    if (now - nextTick >= 0) { // fell behind (GC, slow disk): drop missed ticks
                        nextTick = now + tickNanos;
                    }
                }
                if (awaitingApply == null && node.hasReady()) {
                    handleReady(node.ready());
                }
            }
        } catch (InterruptedException e) {
            // stop() asked us to end
        } catch (Throwable t) {
            if (running) {
                running = false;
                log.error("raft loop failed; this member stops taking part in the cluster", t);
                fatalHandler.accept(t);
            }
        } finally {
            running = false;
            failQueuedTasks();
        }
    }

    private void runTask(RaftTask task) {
        try {
            task.run(node);
        } catch (ProposalDroppedException e) {
            log.debug("dropped: {}", e.getMessage());
        } catch (RuntimeException e) {
            log.warn("raft task failed", e);
        }
    }

    private void handleReady(Ready rd) throws Exception {
        if (rd.softState() != null) {
            long previous = view.leader();
            long term = rd.hardState() != null ? rd.hardState().getTerm() : view.term();
            view.setSoftState(rd.softState().lead(), rd.softState().role());
            stateLog.observe(rd.softState().lead(), rd.softState().role(), term);
            if (previous != rd.softState().lead()) {
                listeners.forEach(l -> l.onLeaderChange(rd.softState().lead(), term));
            }
        }
        if (rd.hardState() != null) {
            view.setHardState(rd.hardState().getTerm(), rd.hardState().getCommit());
        }
        if (!rd.readStates().isEmpty()) {
            listeners.forEach(l -> l.onReadStates(rd.readStates()));
        }
        List<Message> toSelf = new ArrayList<>();
        sendAll(rd.messages(), toSelf);
        if (rd.snapshot() != null) {
            logStore.saveSnapshot(rd.snapshot());
            Failpoints.hit("raftBeforeApplySnap");
            storage.applySnapshot(rd.snapshot());
            Failpoints.hit("raftAfterApplySnap");
        }
        List<Entry> entries = rd.entries();
        if (rd.hardState() != null || !entries.isEmpty()) {
            Failpoints.hit("raftBeforeSave");
            logStore.save(rd.hardState(), entries, rd.mustSync());
            Failpoints.hit("raftAfterSave");
        }
        if (rd.hardState() != null) {
            storage.setHardState(rd.hardState());
        }
        if (!entries.isEmpty()) {
            storage.append(entries);
            view.setLastIndex(entries.get(entries.size() - 1).getIndex());
        }
        sendAll(rd.messagesAfterPersist(), toSelf);
        if (rd.snapshot() != null || !rd.committedEntries().isEmpty()) {
            applier.accept(new CommittedBatch(rd.snapshot(), rd.committedEntries()));
        }
        int confChanges = 0;
        long lastConfChange = 0;
        for (Entry e : rd.committedEntries()) { // every Ready passes here: no allocation
            if (e.getType() == EntryType.EntryConfChange) {
                confChanges++;
                lastConfChange = e.getIndex();
            }
        }
        if (confChanges > 0) {
            AwaitingApply waiting = new AwaitingApply(rd, toSelf, confChanges);
            awaitingApply = waiting;
            appliedThrough.apply(lastConfChange).thenRun(() -> submit(n -> finishAwaitedReady(waiting)));
            return;
        }
        advance(rd, toSelf);
    }

    private void advance(Ready rd, List<Message> toSelf) {
        node.advance(rd);
        for (Message m : toSelf) { // the contract does not promise there are none; deliver locally
            node.step(m);
        }
    }

    private void finishAwaitedReady(AwaitingApply waiting) {
        if (awaitingApply == waiting) {
            awaitingApply = null;
            advance(waiting.ready, waiting.toSelf);
        }
    }

    /** A handed-out Ready waiting for the applier; its messages to self are stepped after advance. */
    private static final class AwaitingApply {
        final Ready ready;
        final List<Message> toSelf;
        /** Conf changes of {@code ready} not yet applied to the node (loop thread only). */
        int confChangesLeft;

        AwaitingApply(Ready ready, List<Message> toSelf, int confChanges) {
            this.ready = ready;
            this.toSelf = toSelf;
            this.confChangesLeft = confChanges;
        }
    }

    private void sendAll(List<Message> messages, List<Message> toSelf) {
        if (messages.isEmpty()) {
            return;
        }
        List<Message> remote = new ArrayList<>(messages.size());
        for (Message m : messages) {
            if (m.getTo() == selfId) {
                toSelf.add(m);
            } else {
                remote.add(m);
            }
        }
        if (!remote.isEmpty()) {
            sender.send(remote);
        }
    }

    private void failQueuedTasks() {
        List<RaftTask> left = new ArrayList<>();
        inbox.drainTo(left);
        for (RaftTask t : left) {
            if (t instanceof PendingCall<?> call) {
                call.abandon();
            }
        }
    }
}
