package io.etcdj.server.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.server.EtcdError;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ApplyBacklogTest {
    @Test
    void proposalsAreRefusedOnlyWhileTheApplierIsMoreThanFiveThousandEntriesBehind() {
        AtomicLong committed = new AtomicLong(10_000);
        AtomicLong applied = new AtomicLong(5_000);
        ApplyBacklog backlog = new ApplyBacklog(committed::get, applied::get);
        assertThat(backlog.refusal()).as("exactly 5000 behind").isNull();
        committed.set(10_001);
        assertThat(backlog.refusal()).isEqualTo(EtcdError.TOO_MANY_REQUESTS);
        assertThat(EtcdError.TOO_MANY_REQUESTS.message()).isEqualTo("etcdserver: too many requests");
        applied.set(9_000);
        assertThat(backlog.refusal()).as("caught up").isNull();
    }
}
