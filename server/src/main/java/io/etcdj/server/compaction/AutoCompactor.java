package io.etcdj.server.compaction;

import io.etcdj.server.config.GoDuration;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link CompactionPlan} on its own thread: every tick it samples the revision and, while
 * this member leads (etcd pauses the compactor on followers), proposes the compaction the plan
 * finds due and waits for it. A revision compacted already counts as done; another failure is
 * logged and the plan asks again at a later tick.
 */
public final class AutoCompactor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AutoCompactor.class);
    private static final long COMPACT_WAIT_SECONDS = 30;

    private final CompactionPlan plan;
    private final String mode;
    private final LongSupplier revision;
    private final BooleanSupplier leading;
    private final LongFunction<CompletableFuture<?>> compact;
    private ScheduledExecutorService thread;

    AutoCompactor(CompactionPlan plan, String mode, LongSupplier revision, BooleanSupplier leading,
                  LongFunction<CompletableFuture<?>> compact) {
        this.plan = plan;
        this.mode = mode;
        this.revision = revision;
        this.leading = leading;
        this.compact = compact;
    }

    /**
     * The compactor --auto-compaction-mode and --auto-compaction-retention ask for, if any.
     *
     * @param retention as {@code AutoCompaction.retention} gives it: a duration in periodic mode, the
     *     revision count as nanoseconds in revision mode; zero turns automatic compaction off
     * @param compact proposes a compaction to the given revision
     */
    public static Optional<AutoCompactor> of(String mode, Duration retention, LongSupplier revision,
                                             BooleanSupplier leading, LongFunction<CompletableFuture<?>> compact) {
        if (retention.isZero() || retention.isNegative()) {
            return Optional.empty();
        }
        CompactionPlan plan = switch (mode) {
            case "periodic" -> new PeriodicPlan(retention, System.nanoTime());
            case "revision" -> new RevisionPlan(retention.toNanos());
            default -> throw new IllegalArgumentException("unknown auto-compaction-mode " + mode);
        };
        return Optional.of(new AutoCompactor(plan, mode, revision, leading, compact));
    }

    public synchronized void start(String memberName) {
        thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "auto-compactor-" + memberName);
            t.setDaemon(true);
            return t;
        });
        plan.beforeWait(revision.getAsLong());
        long tick = plan.tickInterval().toNanos();
        thread.scheduleWithFixedDelay(this::round, tick, tick, TimeUnit.NANOSECONDS);
        log.atInfo().setMessage("auto compaction started").addKeyValue("mode", mode)
                .addKeyValue(plan.retentionField(), retentionText()).log();
    }

    /** One round: the check after a wait, then the next sample (etcd's loop order). */
    void round() {
        try {
            if (leading.getAsBoolean()) {
                OptionalLong due = plan.due(System.nanoTime(), revision.getAsLong());
                if (due.isPresent()) {
                    compactTo(due.getAsLong());
                }
            }
        } catch (RuntimeException e) {
            log.warn("auto compaction round failed", e);
        } finally {
            plan.beforeWait(revision.getAsLong());
        }
    }

    private void compactTo(long rev) {
        long start = System.nanoTime();
        log.atInfo().setMessage("starting auto " + mode + " compaction").addKeyValue("revision", rev)
                .addKeyValue(plan.retentionField(), retentionText()).log();
        try {
            compact.apply(rev).get(COMPACT_WAIT_SECONDS, TimeUnit.SECONDS);
            done(rev, start);
        } catch (ExecutionException e) {
            if (String.valueOf(e.getCause().getMessage()).contains("required revision has been compacted")) {
                done(rev, start);
            } else {
                failed(rev, e.getCause());
            }
        } catch (TimeoutException e) {
            failed(rev, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void done(long rev, long startNanos) {
        plan.succeeded(System.nanoTime(), rev);
        log.atInfo().setMessage("completed auto " + mode + " compaction").addKeyValue("revision", rev)
                .addKeyValue(plan.retentionField(), retentionText())
                .addKeyValue("took", GoDuration.format(Duration.ofNanos(System.nanoTime() - startNanos))).log();
    }

    private void failed(long rev, Throwable why) {
        log.atWarn().setMessage("failed auto " + mode + " compaction").addKeyValue("revision", rev)
                .addKeyValue(plan.retentionField(), retentionText())
                .addKeyValue("retry-interval", GoDuration.format(plan.tickInterval()))
                .addKeyValue("error", String.valueOf(why.getMessage())).log();
    }

    private String retentionText() {
        Object v = plan.retentionValue();
        return v instanceof Duration d ? GoDuration.format(d) : String.valueOf(v);
    }

    @Override
    public synchronized void close() {
        if (thread != null) {
            thread.shutdownNow();
        }
    }
}
