package io.etcdj.benchmark.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.benchmark.report.LatencyRecorder;
import io.etcdj.benchmark.report.ProgressBar;
import io.etcdj.benchmark.report.Summary;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;

class ClosedLoopTest {
    @Test
    void synchronous_completions_run_every_request_once_without_deep_recursion() throws Exception {
        LatencyRecorder rec = new LatencyRecorder(3, false);
        AtomicLongArray seen = new AtomicLongArray(200_000);
        new ClosedLoop(3, 200_000, null, ProgressBar.start(0, false), rec).run(client -> (seq, done) -> {
            seen.incrementAndGet((int) seq);
            done.ok();
        });
        for (int i = 0; i < seen.length(); i++) {
            assertThat(seen.get(i)).as("request %d", i).isEqualTo(1);
        }
        assertThat(rec.summarize(1).count()).isEqualTo(200_000);
    }

    @Test
    void each_client_has_exactly_one_request_outstanding() throws Exception {
        ExecutorService transport = Executors.newFixedThreadPool(4);
        try {
            int clients = 8;
            AtomicInteger[] outstanding = new AtomicInteger[clients];
            AtomicInteger maxOutstanding = new AtomicInteger();
            for (int i = 0; i < clients; i++) {
                outstanding[i] = new AtomicInteger();
            }
            LatencyRecorder rec = new LatencyRecorder(clients, false);
            new ClosedLoop(clients, 5_000, null, ProgressBar.start(0, false), rec).run(client -> (seq, done) -> {
                int now = outstanding[client].incrementAndGet();
                maxOutstanding.accumulateAndGet(now, Math::max);
                transport.execute(() -> {
                    outstanding[client].decrementAndGet();
                    if (seq % 10 == 0) {
                        done.failed(new IllegalStateException("every tenth fails"));
                    } else {
                        done.ok();
                    }
                });
            });
            Summary s = rec.summarize(1_000_000_000L);
            assertThat(maxOutstanding.get()).isEqualTo(1);
            assertThat(s.count()).isEqualTo(4_500);
            assertThat(s.errors()).containsOnlyKeys("java.lang.IllegalStateException: every tenth fails")
                    .containsValue(500L);
        } finally {
            transport.shutdownNow();
        }
    }

    @Test
    void a_rate_limit_bounds_throughput() throws Exception {
        LatencyRecorder rec = new LatencyRecorder(4, false);
        long elapsed = new ClosedLoop(4, 50, RateLimiter.perSecondOrNull(500), ProgressBar.start(0, false), rec)
                .run(client -> (seq, done) -> done.ok());
        // 50 permits 2 ms apart: the last is due 98 ms after the first.
        assertThat(elapsed).isGreaterThanOrEqualTo(95_000_000L);
        assertThat(rec.summarize(elapsed).count()).isEqualTo(50);
    }
}
