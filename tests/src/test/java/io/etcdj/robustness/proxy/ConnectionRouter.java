package io.etcdj.robustness.proxy;

import java.net.InetAddress;

/**
 * Decides which link faults govern a new proxied connection, from the first bytes the dialing
 * side sent (for etcd peers: the HTTP request line and headers, which name the sender).
 */
@FunctionalInterface
public interface ConnectionRouter {

    /** The faults for the bytes going to the target (upstream) and coming back (downstream). */
    record Route(LinkFault upstream, LinkFault downstream) {
    }

    /** @param firstBytes what the dialer sent first (possibly empty), never modified */
    Route route(byte[] firstBytes);

    /**
     * The same, knowing the address the connection came from (members that bind their outgoing
     * peer connections to their own address can be named by it); by default it is not used.
     */
    default Route route(byte[] firstBytes, InetAddress dialer) {
        return route(firstBytes);
    }
}
