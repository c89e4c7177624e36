package io.etcdj.server.apply;

import io.etcdj.raft.pb.Entry;
import io.etcdj.raft.pb.Snapshot;
import io.etcdj.server.raft.CommittedBatch;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The applier thread: takes committed batches in raft order (the queue is unbounded so the raft
 * loop never waits for it), applies each entry, then advances the applied index, which releases
 * linearizable reads waiting for it.
 */
public final class ApplierThread {
    private static final Logger log = LoggerFactory.getLogger(ApplierThread.class);

    private final EntryApplier entryApplier;
    private final AppliedIndex appliedIndex;
    private final Consumer<Throwable> fatalHandler;
    private final LongConsumer afterBatch;
    private final Consumer<Snapshot> snapshotRestorer;
    private final LinkedBlockingQueue<CommittedBatch> queue = new LinkedBlockingQueue<>();
    private volatile boolean running;
    private Thread thread;

    /**
     * @param afterBatch called with the applied index after each batch (e.g. to take a snapshot)
     * @param snapshotRestorer restores the backend and membership from a leader's snapshot
     */
    public ApplierThread(EntryApplier entryApplier, AppliedIndex appliedIndex, Consumer<Throwable> fatalHandler,
                         LongConsumer afterBatch,
                         Consumer<Snapshot> snapshotRestorer) {
        this.snapshotRestorer = snapshotRestorer;
        this.entryApplier = entryApplier;
        this.appliedIndex = appliedIndex;
        this.fatalHandler = fatalHandler;
        this.afterBatch = afterBatch;
    }

    /** Called by the raft loop; never blocks. */
    public void enqueue(CommittedBatch batch) {
        queue.add(batch);
    }

    public synchronized void start(String name) {
        running = true;
        thread = new Thread(this::run, name);
        thread.start();
    }

    public void stop() {
        Thread t;
        synchronized (this) {
            running = false;
            t = thread;
        }
        if (t != null) {
            queue.add(new CommittedBatch(null, List.of())); // wakes it; no interrupt mid-write
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        try {
            while (running) {
                CommittedBatch batch = queue.take();
                if (!running) {
                    return;
                }
                if (batch.snapshot() != null) {
                    long index = batch.snapshot().getMetadata().getIndex();
                    snapshotRestorer.accept(batch.snapshot());
                    appliedIndex.advanceTo(index);
                }
                for (Entry e : batch.entries()) {
                    if (e.getIndex() > appliedIndex.get()) {
                        entryApplier.apply(e);
                    }
                }
                if (!batch.entries().isEmpty()) {
                    appliedIndex.advanceTo(batch.entries().get(batch.entries().size() - 1).getIndex());
                    afterBatch.accept(appliedIndex.get());
                }
            }
        } catch (InterruptedException e) {
            // stopping
        } catch (Throwable t) {
            if (running) { // while stopping, a raft loop that went away first is expected
                log.error("applier failed; this member stops applying", t);
                fatalHandler.accept(t);
            }
        }
    }
}
