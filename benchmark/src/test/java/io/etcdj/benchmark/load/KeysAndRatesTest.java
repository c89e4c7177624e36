package io.etcdj.benchmark.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KeysAndRatesTest {
    @Test
    void keys_are_go_signed_varints_in_a_zero_filled_buffer() {
        assertThat(Keys.varintKey(4, 0)).containsExactly(0, 0, 0, 0);
        assertThat(Keys.varintKey(4, 1)).containsExactly(2, 0, 0, 0);
        assertThat(Keys.varintKey(4, -1)).containsExactly(1, 0, 0, 0);
        assertThat(Keys.varintKey(4, 64)).containsExactly(0x80, 0x01, 0, 0);
        assertThat(Keys.varintKey(2, 1L << 40)).hasSize(2); // truncated, never overflows the buffer
    }

    @Test
    void a_rate_limiter_spaces_permits_by_the_interval_with_a_burst_of_one() {
        RateLimiter r = RateLimiter.perSecondOrNull(1000); // 1 ms apart
        long t = System.nanoTime() + 1_000_000_000L;
        assertThat(r.reserve(t)).isZero();
        assertThat(r.reserve(t)).isEqualTo(1_000_000L);
        assertThat(r.reserve(t)).isEqualTo(2_000_000L);
        assertThat(r.reserve(t + 10_000_000L)).isZero(); // idle time does not accumulate permits
        assertThat(r.reserve(t + 10_000_000L)).isEqualTo(1_000_000L);
        assertThat(RateLimiter.perSecondOrNull(0)).isNull();
    }
}
