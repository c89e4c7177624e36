package io.etcdj.embed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Free TCP ports on 127.0.0.1 for embedded members. The operating system may offer a port it has
 * just handed out again once the probing socket is closed, so every port given out in this JVM is
 * remembered and never given out twice: two members (of one cluster or of two clusters in one
 * test run) never share a port.
 */
final class LoopbackPorts {
    static final String HOST = "127.0.0.1";

    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private LoopbackPorts() {}

    static int next() {
        while (true) {
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
                if (HANDED_OUT.add(probe.getLocalPort())) {
                    return probe.getLocalPort();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("no free port on " + HOST, e);
            }
        }
    }
}
