package io.etcdj.benchmark.report;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A progress bar on stderr for long runs: nothing is drawn during the first second (short runs
 * stay quiet), then the bar is redrawn in place four times a second until {@link #finish}.
 * Counting is one atomic add per request; drawing happens on its own daemon thread.
 */
public final class ProgressBar implements AutoCloseable {
    private static final long QUIET_NANOS = 1_000_000_000L;
    private final AtomicLong done = new AtomicLong();
    private final long total;
    private final PrintStream out;
    private final long startedAt = System.nanoTime();
    private final Thread painter;
    private volatile boolean finished;
    private boolean drawn;

    private ProgressBar(long total, PrintStream out, boolean enabled) {
        this.total = total;
        this.out = out;
        this.painter = enabled ? new Thread(this::paintLoop, "progress-bar") : null;
        if (painter != null) {
            painter.setDaemon(true);
            painter.start();
        }
    }

    public static ProgressBar start(long total, boolean enabled) {
        return new ProgressBar(total, System.err, enabled && total > 0);
    }

    public void increment() {
        done.incrementAndGet();
    }

    public void add(long n) {
        done.addAndGet(n);
    }

    /** Stops redrawing; draws the final state if anything was drawn before. */
    public void finish() {
        if (finished) {
            return;
        }
        finished = true;
        if (painter != null) {
            painter.interrupt();
            try {
                painter.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        finish();
    }

    private void paintLoop() {
        try {
            while (!finished) {
                Thread.sleep(250); // a display refresh period, not a synchronisation
                if (System.nanoTime() - startedAt >= QUIET_NANOS && !finished) {
                    paint();
                }
            }
        } catch (InterruptedException e) {
            // finishing
        }
        if (drawn) {
            paint();
            out.println();
            out.flush();
        }
    }

    private void paint() {
        long d = Math.min(done.get(), total);
        double frac = total == 0 ? 1 : (double) d / total;
        int width = 40;
        int full = (int) (frac * width);
        double elapsed = (System.nanoTime() - startedAt) / 1e9;
        String eta = d == 0 ? "?" : String.format(Locale.ROOT, "%.0fs", elapsed * (total - d) / d);
        out.print(String.format(Locale.ROOT, "\r%d / %d [%s%s] %6.2f%% %s ", d, total,
                "=".repeat(full), " ".repeat(width - full), frac * 100, eta));
        out.flush();
        drawn = true;
    }
}
