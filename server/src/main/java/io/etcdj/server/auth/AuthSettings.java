package io.etcdj.server.auth;

import java.time.Duration;

/**
 * The member's auth flags: --bcrypt-cost (etcd's default 10) and --auth-token-ttl for simple
 * tokens (etcd's default 300 s). Only simple tokens are served (--auth-token=simple).
 */
public record AuthSettings(int bcryptCost, Duration tokenTtl) {
    public static final AuthSettings DEFAULTS = new AuthSettings(10, Duration.ofSeconds(300));

    public AuthSettings {
        if (bcryptCost < PasswordHasher.MIN_COST || bcryptCost > PasswordHasher.MAX_COST) {
            throw new IllegalArgumentException("--bcrypt-cost " + bcryptCost + " out of [4, 31]");
        }
        if (tokenTtl.isNegative() || tokenTtl.isZero()) {
            throw new IllegalArgumentException("--auth-token-ttl must be positive");
        }
    }
}
