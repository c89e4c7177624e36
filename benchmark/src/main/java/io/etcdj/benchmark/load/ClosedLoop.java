package io.etcdj.benchmark.load;

import io.etcdj.benchmark.client.ErrorText;
import io.etcdj.benchmark.report.LatencyRecorder;
import io.etcdj.benchmark.report.ProgressBar;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * Runs {@code total} requests over {@code clients} closed-loop clients: each client has exactly
 * one request outstanding and sends its next one from the completion of the previous (on the
 * transport thread that delivered it: no hand-off to another thread). Requests are numbered
 * 0..total-1 in the order clients take them; the run ends when every client found no number left.
 *
 * <p>With a rate limit, a client whose permit is not yet due hands its request to one timer thread
 * that sends it when due; that is the only thread hop, and only for rate-limited runs.
 */
public final class ClosedLoop {
    private final int clients;
    private final long total;
    private final RateLimiter limiter;
    private final LatencyRecorder[] recorders;
    private final ProgressBar progress;
    private final AtomicLong issued = new AtomicLong();
    private final CountDownLatch finished;
    private ScheduledExecutorService timer;

    /** {@code recorders[i]} collects what operations report as report {@code i}; slot = client index. */
    public ClosedLoop(int clients, long total, RateLimiter limiter, ProgressBar progress, LatencyRecorder... recorders) {
        this.clients = clients;
        this.total = total;
        this.limiter = limiter;
        this.recorders = recorders;
        this.progress = progress;
        this.finished = new CountDownLatch(clients);
    }

    /**
     * Runs to the end and returns the elapsed wall time in nanoseconds. {@code operationOfClient}
     * is asked once per client index for that client's operation.
     */
    public long run(IntFunction<Operation> operationOfClient) throws InterruptedException {
        if (limiter != null) {
            ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
                Thread th = new Thread(r, "rate-limiter");
                th.setDaemon(true);
                return th;
            });
            timer = t;
        }
        ClientLoop[] loops = new ClientLoop[clients];
        for (int i = 0; i < clients; i++) {
            loops[i] = new ClientLoop(i, operationOfClient.apply(i));
        }
        long start = System.nanoTime();
        try {
            for (ClientLoop l : loops) {
                l.kick();
            }
            finished.await();
            return System.nanoTime() - start;
        } finally {
            if (timer != null) {
                timer.shutdownNow();
            }
        }
    }

    private final class ClientLoop implements Operation.Completion {
        private final int id;
        private final Operation op;
        private final AtomicInteger pending = new AtomicInteger();
        private long startedAt;

        ClientLoop(int id, Operation op) {
            this.id = id;
            this.op = op;
        }

        /** Takes the next request; re-entrant calls (a synchronous completion) are queued, not nested. */
        void kick() {
            if (pending.getAndIncrement() != 0) {
                return;
            }
            do {
                step();
            } while (pending.decrementAndGet() != 0);
        }

        private void step() {
            long seq = issued.getAndIncrement();
            if (seq >= total) {
                finished.countDown();
                return;
            }
            if (limiter != null) {
                long wait = limiter.reserve();
                if (wait > 0) {
                    timer.schedule(() -> send(seq), wait, TimeUnit.NANOSECONDS);
                    return;
                }
            }
            send(seq);
        }

        private void send(long seq) {
            startedAt = System.nanoTime();
            try {
                op.start(seq, this);
            } catch (RuntimeException e) {
                failed(e);
            }
        }

        @Override
        public void ok(int report) {
            recorders[report].record(id, startedAt, System.nanoTime());
            progress.increment();
            kick();
        }

        @Override
        public void failed(int report, Throwable error) {
            recorders[report].fail(id, ErrorText.of(error));
            progress.increment();
            kick();
        }
    }
}
