package io.etcdj.server.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import java.nio.charset.StandardCharsets;

/**
 * bcrypt password hashes in the "$2a$" form etcd stores (Go's x/crypto/bcrypt). Passwords longer
 * than bcrypt's 72 bytes are truncated, as older Go bcrypt did. Hashing costs tens of
 * milliseconds at the default cost 10: never call it on a thread that must not block for long.
 */
public final class PasswordHasher {
    /** etcd's --bcrypt-cost bounds. */
    public static final int MIN_COST = 4;
    public static final int MAX_COST = 31;

    private final int cost;
    private final BCrypt.Hasher hasher =
            BCrypt.with(BCrypt.Version.VERSION_2A, LongPasswordStrategies.truncate(BCrypt.Version.VERSION_2A));
    private final BCrypt.Verifyer verifier =
            BCrypt.verifyer(BCrypt.Version.VERSION_2A, LongPasswordStrategies.truncate(BCrypt.Version.VERSION_2A));

    public PasswordHasher(int cost) {
        if (cost < MIN_COST || cost > MAX_COST) {
            throw new IllegalArgumentException("bcrypt cost " + cost + " out of [4, 31]");
        }
        this.cost = cost;
    }

    public String hash(String password) {
        return new String(hasher.hash(cost, password.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    public boolean matches(String password, String hash) {
        if (hash.isEmpty()) {
            return false;
        }
        return verifier.verify(password.getBytes(StandardCharsets.UTF_8), hash.getBytes(StandardCharsets.UTF_8)).verified;
    }
}
