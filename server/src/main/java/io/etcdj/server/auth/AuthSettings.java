package io.etcdj.server.auth;

import java.time.Duration;

/**
 * The member's auth flags: --bcrypt-cost (etcd's default 10), --auth-token-ttl for simple
 * tokens (etcd's default 300 s) and --auth-token (etcd's default "simple"; see
 * {@link AuthTokenSpec} for the JWT form).
 */
public record AuthSettings(int bcryptCost, Duration tokenTtl, String tokenSpec) {
    public static final AuthSettings DEFAULTS = new AuthSettings(10, Duration.ofSeconds(300));

    public AuthSettings(int bcryptCost, Duration tokenTtl) {
        this(bcryptCost, tokenTtl, "simple");
    }

    public AuthSettings {
        if (bcryptCost < PasswordHasher.MIN_COST || bcryptCost > PasswordHasher.MAX_COST) {
            throw new IllegalArgumentException("--bcrypt-cost " + bcryptCost + " out of [4, 31]");
        }
        if (tokenTtl.isNegative() || tokenTtl.isZero()) {
            throw new IllegalArgumentException("--auth-token-ttl must be positive");
        }
    }

    /** The same settings with another --auth-token. */
    public AuthSettings withTokenSpec(String spec) {
        return new AuthSettings(bcryptCost, tokenTtl, spec);
    }

    /** The token provider --auth-token names; fails with etcd's start-up error. */
    public TokenProvider tokenProvider() throws AuthTokenSpec.InvalidAuthToken {
        return AuthTokenSpec.provider(tokenSpec, tokenTtl);
    }
}
