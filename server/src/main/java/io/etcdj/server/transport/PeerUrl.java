package io.etcdj.server.transport;

import java.net.InetSocketAddress;
import java.net.URI;

/** host:port of an http(s):// URL as etcd's flags give them (scheme default ports are not used). */
public final class PeerUrl {
    private PeerUrl() {}

    public static InetSocketAddress address(String url) {
        URI u = URI.create(url.trim());
        if (u.getHost() == null || u.getPort() < 0) {
            throw new IllegalArgumentException("URL needs a host and a port: " + url);
        }
        return new InetSocketAddress(u.getHost(), u.getPort());
    }

    /** "host:port" for a gRPC target. */
    public static String target(String url) {
        URI u = URI.create(url.trim());
        return u.getHost() + ":" + u.getPort();
    }
}
