package io.etcdj.server.proxy.gateway;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The gateway's endpoints in round-robin order, each active or deactivated. A connection failure
 * deactivates an endpoint for {@code retryDelay}; until then {@link #next()} skips it, after that it
 * is offered again (and deactivated again if it still fails). Time comes from {@code nanoClock}, so
 * the rotation is deterministic under test. Thread-safe.
 *
 * <p>Invariant: {@link #next()} returns only endpoints whose {@code deadUntil} has passed; if every
 * endpoint is deactivated it returns empty (the gateway then closes the client connection).
 */
final class GatewayEndpoints {
    private final List<String> addresses;
    private final long[] deadUntil;
    private final long retryDelayNanos;
    private final LongSupplier nanoClock;
    private int cursor;

    GatewayEndpoints(List<String> addresses, long retryDelayNanos, LongSupplier nanoClock) {
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("no endpoints");
        }
        this.addresses = List.copyOf(addresses);
        this.deadUntil = new long[addresses.size()];
        this.retryDelayNanos = retryDelayNanos;
        this.nanoClock = nanoClock;
        long now = nanoClock.getAsLong();
        Arrays.fill(deadUntil, now);
    }

    /** The next active endpoint after the last one handed out, if any is active. */
    synchronized Optional<String> next() {
        long now = nanoClock.getAsLong();
        for (int i = 0; i < addresses.size(); i++) {
            int at = (cursor + i) % addresses.size();
            if (now - deadUntil[at] >= 0) {
                cursor = at + 1;
                return Optional.of(addresses.get(at));
            }
        }
        return Optional.empty();
    }

    /** Marks {@code address} as failed: skipped until the retry delay has passed. */
    synchronized void deactivate(String address) {
        int at = addresses.indexOf(address);
        if (at >= 0) {
            deadUntil[at] = nanoClock.getAsLong() + retryDelayNanos;
        }
    }

    /** Whether {@code address} is currently offered. */
    synchronized boolean isActive(String address) {
        int at = addresses.indexOf(address);
        return at >= 0 && nanoClock.getAsLong() - deadUntil[at] >= 0;
    }

    List<String> all() {
        return addresses;
    }

    /** How many attempts one client connection may make: each endpoint once. */
    int size() {
        return addresses.size();
    }

    /** The active endpoints now, in order (for logs). */
    synchronized List<String> active() {
        List<String> out = new ArrayList<>();
        for (String a : addresses) {
            if (isActive(a)) {
                out.add(a);
            }
        }
        return out;
    }
}
