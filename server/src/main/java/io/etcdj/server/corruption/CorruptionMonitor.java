package io.etcdj.server.corruption;

import io.etcdj.server.config.GoDuration;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * --experimental-corrupt-check-time: every period, on its own thread, a {@link CorruptionChecker#periodicCheck()}
 * while this member leads (followers skip their turn, as etcd's monitor does). A failed round is
 * logged and the next one tries again.
 */
public final class CorruptionMonitor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CorruptionMonitor.class);

    private final CorruptionChecker checker;
    private final Duration period;
    private final BooleanSupplier leading;
    private ScheduledExecutorService thread;

    /** @param period greater than zero */
    public CorruptionMonitor(CorruptionChecker checker, Duration period, BooleanSupplier leading) {
        if (period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException("corruption check period must be positive, not " + period);
        }
        this.checker = checker;
        this.period = period;
        this.leading = leading;
    }

    public synchronized void start(String memberName, long memberId) {
        thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "corruption-check-" + memberName);
            t.setDaemon(true);
            return t;
        });
        log.atInfo().setMessage("enabled corruption checking").addKeyValue("local-member-id", Long.toHexString(memberId))
                .addKeyValue("interval", GoDuration.format(period)).log();
        long nanos = period.toNanos();
        thread.scheduleWithFixedDelay(this::round, nanos, nanos, TimeUnit.NANOSECONDS);
    }

    private void round() {
        if (!leading.getAsBoolean()) {
            return;
        }
        try {
            checker.periodicCheck();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.atWarn().setMessage("failed to check hash KV").addKeyValue("error", String.valueOf(e.getMessage())).log();
        }
    }

    @Override
    public synchronized void close() {
        if (thread != null) {
            thread.shutdownNow();
            try {
                thread.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
