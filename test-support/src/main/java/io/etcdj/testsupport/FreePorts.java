package io.etcdj.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Free TCP ports for the servers a test starts, on loopback addresses only (127.0.0.1, .2, .3).
 * Two policies:
 * <ul>
 *   <li>{@link #on(String)}: a port the OS offers as free right now, from its ephemeral range. It
 *       can be taken by any outgoing connection before the server binds it, so it suits a server
 *       started at once, with few connections open around it.
 *   <li>{@link #belowEphemeralRange()}: a port below that range, never handed out twice by this
 *       JVM; for tests that start many members while others are already talking.
 * </ul>
 */
public final class FreePorts {
    private FreePorts() {
    }

    /** A port the OS offers as free on 127.0.0.1 right now. */
    public static int onLoopback() {
        return on("127.0.0.1");
    }

    /** A port the OS offers as free on {@code host} (a loopback address) right now. */
    public static int on(String host) {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + host, e);
        }
    }

    /** Ports handed out by {@link #belowEphemeralRange()} in this JVM: two servers must never share one. */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();
    /**
     * Below Linux's ephemeral range (32768-60999), from which every outgoing connection takes its
     * local port: a port the OS had just offered as free could be taken by a running member's peer
     * or client connection before the next member bound it ("Failed to bind"); one below that range
     * cannot. Above the reference cluster's 22379/22380.
     */
    private static final int FIRST_PORT = 25000;
    private static final int PORT_COUNT = 7000;
    /** The next port to try, spread by process so that concurrent test JVMs rarely meet. */
    private static final AtomicInteger NEXT = new AtomicInteger((int) (ProcessHandle.current().pid() * 97 % PORT_COUNT));

    /** A port on 127.0.0.1 below the ephemeral range, free now and not handed out before by this JVM. */
    public static int belowEphemeralRange() {
        for (int tried = 0; tried < PORT_COUNT; tried++) {
            int port = FIRST_PORT + Math.floorMod(NEXT.getAndIncrement(), PORT_COUNT);
            if (!HANDED_OUT.add(port)) {
                continue;
            }
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
                return port;
            } catch (IOException inUse) {
                // taken by another process: try the next one
            }
        }
        throw new IllegalStateException("no free port on 127.0.0.1 in " + FIRST_PORT + "-" + (FIRST_PORT + PORT_COUNT - 1));
    }
}
