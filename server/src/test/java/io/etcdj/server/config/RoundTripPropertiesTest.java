package io.etcdj.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded randomized checks. A failure names its seed; replay with
 * {@code -Detcdj.seed=<seed> -Dtest=RoundTripPropertiesTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class RoundTripPropertiesTest {
    private static final long SEED = Long.getLong("etcdj.seed", 20261121L);

    @Test
    void formattedDurationsParseBackToThemselves() {
        Random random = new Random(SEED);
        for (int i = 0; i < 20_000; i++) {
            long nanos = switch (i % 4) {
                case 0 -> random.nextLong();
                case 1 -> random.nextInt();
                case 2 -> (long) random.nextInt(100_000) * 1_000_000L;
                default -> random.nextInt(1000);
            };
            Duration d = Duration.ofNanos(nanos);
            String text = GoDuration.format(d);
            assertThat(GoDuration.parse(text)).as("seed %d: %d ns formatted as %s", SEED, nanos, text).isEqualTo(d);
        }
    }

    @Test
    void theOrderOfMembersAndOfTheirUrlsDoesNotChangeAnyId() {
        Random random = new Random(SEED);
        for (int round = 0; round < 200; round++) {
            List<String> entries = new ArrayList<>();
            int members = 1 + random.nextInt(5);
            for (int m = 0; m < members; m++) {
                int urls = 1 + random.nextInt(3);
                for (int u = 0; u < urls; u++) {
                    entries.add("m" + m + "=http://127.0.0." + (m + 1) + ":" + (2380 + 10 * u + random.nextInt(10)));
                }
            }
            String token = "t" + random.nextInt(1000);
            InitialCluster a = InitialCluster.parse(String.join(",", new LinkedHashSet<>(entries)), token);
            Collections.shuffle(entries, random);
            InitialCluster b = InitialCluster.parse(String.join(",", new LinkedHashSet<>(entries)), token);
            assertThat(b.clusterId()).as("seed %d round %d: %s", SEED, round, entries).isEqualTo(a.clusterId());
            assertThat(b.members()).isEqualTo(a.members());
        }
    }
}
