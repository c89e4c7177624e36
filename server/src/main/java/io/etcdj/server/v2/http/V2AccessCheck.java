package io.etcdj.server.v2.http;

import io.etcdj.server.v2.auth.V2AuthError;
import io.etcdj.server.v2.auth.V2AuthStore;
import io.etcdj.server.v2.auth.V2Role;
import io.etcdj.server.v2.auth.V2User;
import io.etcdj.server.v2.store.V2Error;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may do what on the v2 API while v2 auth is enabled (with it disabled, everyone may do
 * everything). Administration (users, roles, auth, membership changes) needs a user holding the
 * root role. A key request without an Authorization header acts as the guest role, which sees the
 * key itself only; with credentials, any role of the user may grant it, recursive requests needing
 * a prefix pattern. With --client-cert-auth, a request without an Authorization header acts as the
 * first user named by a CN of its client certificate chain (no password), if any. Refusals are
 * logged with etcd 3.4's warnings ("incorrect password", "invalid access for user on key", ...);
 * an unknown user name is refused silently, as etcd does, and passwords never appear.
 */
final class V2AccessCheck {
    private static final Logger log = LoggerFactory.getLogger(V2AccessCheck.class);

    private final V2AuthStore store;
    private final boolean usersFromCertificates;

    V2AccessCheck(V2AuthStore store, boolean usersFromCertificates) {
        this.store = store;
        this.usersFromCertificates = usersFromCertificates;
    }

    V2AuthStore store() {
        return store;
    }

    /** Reads are open to all; anything else needs root (membership, auth enable/disable). */
    boolean hasWriteRootAccess(V2HttpExchange ex) {
        return ex.method().equals("GET") || ex.method().equals("HEAD") || hasRootAccess(ex);
    }

    boolean hasRootAccess(V2HttpExchange ex) {
        if (!store.authEnabled()) {
            return true;
        }
        Optional<V2User> user = noAuthorizationHeader(ex) && usersFromCertificates
                ? fromCertificate(ex) : authenticated(ex);
        if (user.isEmpty()) {
            return false;
        }
        if (user.get().roles() != null && user.get().roles().contains(V2Role.ROOT)) {
            return true;
        }
        log.atWarn().setMessage("a user does not have root role for resource")
                .addKeyValue("root-user", user.get().name()).addKeyValue("root-role-name", V2Role.ROOT)
                .addKeyValue("resource-path", ex.path()).log();
        return false;
    }

    /** {@code key}: the request path after /v2/keys, as sent (not cleaned). */
    boolean hasKeyAccess(V2HttpExchange ex, String key, boolean recursive) {
        if (!store.authEnabled()) {
            return true;
        }
        boolean write = !(ex.method().equals("GET") || ex.method().equals("HEAD"));
        Optional<V2User> user;
        if (noAuthorizationHeader(ex)) {
            user = usersFromCertificates ? fromCertificate(ex) : Optional.empty();
            if (user.isEmpty()) {
                Optional<V2Role> guest = role(V2Role.GUEST);
                if (guest.isEmpty()) {
                    return false;
                }
                if (guest.get().hasKeyAccess(key, write)) {
                    return true;
                }
                log.atWarn().setMessage("invalid access for the guest role on key")
                        .addKeyValue("role-name", V2Role.GUEST).addKeyValue("key", key).log();
                return false;
            }
        } else {
            user = authenticated(ex);
        }
        if (user.isEmpty()) {
            return false;
        }
        for (String name : user.get().roles() == null ? List.<String>of() : user.get().roles()) {
            Optional<V2Role> r = role(name);
            if (r.isPresent() && (recursive ? r.get().hasRecursiveAccess(key, write) : r.get().hasKeyAccess(key, write))) {
                return true;
            }
        }
        log.atWarn().setMessage("invalid access for user on key").addKeyValue("user-name", user.get().name())
                .addKeyValue("key", key).log();
        return false;
    }

    private static boolean noAuthorizationHeader(V2HttpExchange ex) {
        String header = ex.header("Authorization");
        return header == null || header.isEmpty();
    }

    private Optional<V2User> fromCertificate(V2HttpExchange ex) {
        for (String name : ex.clientCertificateNames()) {
            try {
                return Optional.of(store.user(name));
            } catch (V2AuthError | V2Error unknownUser) {
                // try the next certificate of the chain
            }
        }
        return Optional.empty();
    }

    private Optional<V2User> authenticated(V2HttpExchange ex) {
        Optional<BasicCredentials> c = BasicCredentials.parse(ex.header("Authorization"));
        if (c.isEmpty()) {
            log.warn("malformed basic auth encoding");
            return Optional.empty();
        }
        V2User u;
        try {
            u = store.user(c.get().user());
        } catch (V2AuthError | V2Error unknownUser) {
            return Optional.empty();
        }
        if (!store.checkPassword(u, c.get().password())) {
            log.atWarn().setMessage("incorrect password").addKeyValue("user-name", c.get().user()).log();
            return Optional.empty();
        }
        return Optional.of(u);
    }

    private Optional<V2Role> role(String name) {
        try {
            return Optional.of(store.role(name));
        } catch (V2AuthError | V2Error absent) {
            return Optional.empty();
        }
    }
}
