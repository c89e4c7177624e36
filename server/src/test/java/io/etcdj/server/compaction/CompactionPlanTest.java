package io.etcdj.server.compaction;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;

/** When etcd's periodic and revision compactors compact, and to which revision, tick by tick. */
class CompactionPlanTest {

    @Test
    void aPeriodOfAnHourCompactsToTheRevisionOfAnHourAgoOnceAnHourHasPassedThenHourly() {
        PeriodicPlan plan = new PeriodicPlan(Duration.ofHours(1), 0);
        assertThat(plan.tickInterval()).isEqualTo(Duration.ofMinutes(6));
        List<String> compactions = drive(plan, 25, minute -> 1000 + minute); // the revision grows a revision a minute
        assertThat(compactions).containsExactly("at 60 min to 1000", "at 120 min to 1054");
    }

    @Test
    /** The window keeps a period and a sample of samples, so later compactions reach a little further back (as etcd's). */
    void aPeriodOfADayWaitsADayThenCompactsEveryHour() {
        PeriodicPlan plan = new PeriodicPlan(Duration.ofHours(24), 0);
        assertThat(plan.tickInterval()).isEqualTo(Duration.ofMinutes(6));
        List<String> compactions = drive(plan, 10 * 26, minute -> minute);
        assertThat(compactions).containsExactly("at 1440 min to 0", "at 1500 min to 54", "at 1560 min to 114");
    }

    @Test
    void aShortPeriodCompactsEveryPeriod() {
        PeriodicPlan plan = new PeriodicPlan(Duration.ofMinutes(10), 0);
        assertThat(plan.tickInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(drive(plan, 30, minute -> 7 * minute))
                .containsExactly("at 10 min to 0", "at 20 min to 63", "at 30 min to 133");
    }

    @Test
    void revisionModeKeepsTheRetentionBehindTheCurrentRevisionAndNeverRepeatsItself() {
        RevisionPlan plan = new RevisionPlan(10);
        assertThat(plan.tickInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(plan.due(0, 10)).isEmpty();
        assertThat(plan.due(0, 25)).hasValue(15);
        plan.succeeded(0, 15);
        assertThat(plan.due(0, 25)).as("compacted there already").isEmpty();
        assertThat(plan.due(0, 40)).hasValue(30);
    }

    @Test
    void aFailedCompactionIsAskedForAgainAtTheNextTick() {
        PeriodicPlan plan = new PeriodicPlan(Duration.ofMinutes(10), 0);
        long minute = Duration.ofMinutes(1).toNanos();
        for (int m = 0; m < 10; m++) {
            plan.beforeWait(m);
            assertThat(plan.due((m + 1) * minute, m)).isEqualTo(m + 1 < 10 ? OptionalLong.empty() : OptionalLong.of(0));
        }
        plan.beforeWait(10);
        assertThat(plan.due(11 * minute, 11)).as("not marked done: the same revision again").hasValue(0);
    }

    /** Ticks the plan {@code ticks} times as the compactor does; every compaction succeeds. */
    private static List<String> drive(PeriodicPlan plan, int ticks, LongUnaryOperator revisionAtMinute) {
        long tickNanos = plan.tickInterval().toNanos();
        List<String> compactions = new ArrayList<>();
        long now = 0;
        plan.beforeWait(revisionAtMinute.applyAsLong(0));
        for (int i = 0; i < ticks; i++) {
            now += tickNanos;
            long minute = Duration.ofNanos(now).toMinutes();
            OptionalLong due = plan.due(now, revisionAtMinute.applyAsLong(minute));
            if (due.isPresent()) {
                compactions.add("at " + minute + " min to " + due.getAsLong());
                plan.succeeded(now, due.getAsLong());
            }
            plan.beforeWait(revisionAtMinute.applyAsLong(minute));
        }
        return compactions;
    }
}
