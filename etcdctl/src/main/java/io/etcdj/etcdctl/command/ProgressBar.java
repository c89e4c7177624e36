package io.etcdj.etcdctl.command;

import io.etcdj.etcdctl.print.Output;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The progress line etcdctl's check commands draw (cheggaaa/pb v1 with format "Bom !"), as it looks
 * when stdout is not a terminal, so without the bar itself: every 200 ms a carriage return and
 * " CURRENT / TOTAL  PERCENT% [TIME LEFT]"; at the end the same line with the elapsed time (Go's
 * duration text, whole seconds) and a newline. The time left is the mean time per unit so far times
 * the units remaining, less the time since the last change, in whole seconds, shown only when positive.
 */
final class ProgressBar {
    private static final long REFRESH_MS = 200;

    private final Output out;
    private final long total;
    private final AtomicLong current = new AtomicLong();
    private final long startNanos = System.nanoTime();
    private volatile long changeNanos = startNanos;
    private final Thread refresher;
    private boolean finished;

    ProgressBar(Output out, long total) {
        this.out = out;
        this.total = total;
        this.refresher = new Thread(() -> {
            try {
                while (true) {
                    draw(false);
                    Thread.sleep(REFRESH_MS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "progress-bar");
        refresher.setDaemon(true);
        refresher.start();
    }

    void add(long n) {
        current.addAndGet(n);
        changeNanos = System.nanoTime();
    }

    /** Stops refreshing and draws the final line. */
    void finish() throws InterruptedException {
        refresher.interrupt();
        refresher.join();
        draw(true);
    }

    private synchronized void draw(boolean end) {
        if (finished) {
            return;
        }
        long now = System.nanoTime();
        long cur = current.get();
        StringBuilder b = new StringBuilder("\r ").append(cur).append(" / ").append(total).append(' ');
        double percent = total == 0 ? 0 : cur * 100.0 / total;
        b.append(String.format(Locale.ROOT, " %6.2f%%", percent));
        if (end) {
            finished = true;
            b.append(' ').append(GoDurations.seconds((now - startNanos) / 1_000_000_000L)).append('\n');
        } else if (cur > 0) {
            long perUnit = (changeNanos - startNanos) / cur;
            long left = (total - cur) * perUnit - (now - changeNanos);
            long leftSeconds = left / 1_000_000_000L;
            if (leftSeconds > 0) {
                b.append(String.format(Locale.ROOT, " %02dm%02ds", leftSeconds / 60, leftSeconds % 60));
            }
        }
        out.print(b.toString());
        out.stream().flush();
    }

    /** Go's time.Duration text for whole seconds: "3s", "1m0s", "1h2m3s". */
    static final class GoDurations {
        private GoDurations() {}

        static String seconds(long s) {
            if (s < 60) {
                return s + "s";
            }
            if (s < 3600) {
                return s / 60 + "m" + s % 60 + "s";
            }
            return s / 3600 + "h" + s % 3600 / 60 + "m" + s % 60 + "s";
        }
    }
}
