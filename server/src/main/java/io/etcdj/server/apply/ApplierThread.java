package io.etcdj.server.apply;

import io.etcdj.raft.pb.Entry;
import io.etcdj.server.raft.CommittedBatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
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
    private final LinkedBlockingQueue<CommittedBatch> queue = new LinkedBlockingQueue<>();
    private volatile boolean running;
    private Thread thread;

    public ApplierThread(EntryApplier entryApplier, AppliedIndex appliedIndex, Consumer<Throwable> fatalHandler) {
        this.entryApplier = entryApplier;
        this.appliedIndex = appliedIndex;
        this.fatalHandler = fatalHandler;
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
            t.interrupt();
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
                if (batch.snapshot() != null) {
                    throw new UnsupportedOperationException(
                            "restoring the backend from a leader's snapshot is not implemented yet");
                }
                for (Entry e : batch.entries()) {
                    if (e.getIndex() > appliedIndex.get()) {
                        entryApplier.apply(e);
                    }
                }
                if (!batch.entries().isEmpty()) {
                    appliedIndex.advanceTo(batch.entries().get(batch.entries().size() - 1).getIndex());
                }
            }
        } catch (InterruptedException e) {
            // stopping
        } catch (Throwable t) {
            log.error("applier failed; this member stops applying", t);
            fatalHandler.accept(t);
        }
    }
}
