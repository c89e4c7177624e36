package io.etcdj.etcdctl.client;

import java.net.InetSocketAddress;

/** One --endpoints entry: "host:port", "http://host:port" or "https://host:port". */
public record Endpoint(String raw, String host, int port, boolean secure) {
    public static Endpoint parse(String raw) {
        String s = raw;
        boolean secure = false;
        if (s.startsWith("https://")) {
            secure = true;
            s = s.substring(8);
        } else if (s.startsWith("http://")) {
            s = s.substring(7);
        } else if (s.startsWith("unixs://") || s.startsWith("unix://")) {
            s = s.substring(s.indexOf("//") + 2);
        }
        int slash = s.indexOf('/');
        if (slash >= 0) {
            s = s.substring(0, slash);
        }
        int colon = s.lastIndexOf(':');
        String host = colon < 0 ? s : s.substring(0, colon);
        int port = 2379;
        if (colon >= 0) {
            try {
                port = Integer.parseInt(s.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = 2379;
            }
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new Endpoint(raw, host, port, secure);
    }

    /** host:port, as clientv3 names its dial target. */
    public String hostPort() {
        return raw.replaceFirst("^[a-z]+://", "");
    }

    InetSocketAddress address() {
        return new InetSocketAddress(host, port);
    }
}
