package io.etcdj.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Simple tokens expire after the TTL without use; every use renews them. */
class AuthSimpleTokensTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final SimpleTokens tokens = new SimpleTokens(Duration.ofSeconds(300), now::get);

    private void advanceSeconds(long s) {
        now.addAndGet(Duration.ofSeconds(s).toNanos());
    }

    @Test
    void aTokenIsARandomPrefixAndTheIndex() {
        String prefix = tokens.newPrefix();
        assertThat(prefix).matches("[a-zA-Z]{16}");
        assertThat(SimpleTokens.token(prefix, 42)).isEqualTo(prefix + ".42");
        assertThat(tokens.newPrefix()).isNotEqualTo(prefix);
        assertThat(SimpleTokens.index(prefix + ".42")).isEqualTo(42);
        assertThat(SimpleTokens.index("no-index")).isEqualTo(-1);
        assertThat(SimpleTokens.index("abc.x")).isEqualTo(-1);
    }

    @Test
    void anUnusedTokenExpiresAfterTheTtlAndAUsedOneLives() {
        tokens.assign("a.1", "alice");
        tokens.assign("b.2", "bob");
        advanceSeconds(299);
        assertThat(tokens.user("a.1")).isEqualTo("alice"); // renewed for 300 s more
        advanceSeconds(2);
        assertThat(tokens.user("b.2")).as("unused for 301 s").isNull();
        assertThat(tokens.user("a.1")).isEqualTo("alice");
        advanceSeconds(300);
        assertThat(tokens.user("a.1")).isNull();
        assertThat(tokens.user("unknown.3")).isNull();
    }

    @Test
    void invalidatingAUserDropsOnlyItsTokensAndClearDropsAll() {
        tokens.assign("a.1", "alice");
        tokens.assign("a.2", "alice");
        tokens.assign("b.3", "bob");
        tokens.invalidateUser("alice");
        assertThat(tokens.user("a.1")).isNull();
        assertThat(tokens.user("a.2")).isNull();
        assertThat(tokens.user("b.3")).isEqualTo("bob");
        tokens.clear();
        assertThat(tokens.user("b.3")).isNull();
    }

    @Test
    void bcryptHashesVerifyOnlyTheirPassword() {
        PasswordHasher h = new PasswordHasher(4);
        String hash = h.hash("secret");
        assertThat(hash).startsWith("$2a$04$");
        assertThat(h.matches("secret", hash)).isTrue();
        assertThat(h.matches("Secret", hash)).isFalse();
        assertThat(h.matches("secret", "")).isFalse();
    }
}
