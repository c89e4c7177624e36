package io.etcdj.benchmark.client;

/** One {@code --endpoints} entry: "host:port", "http://host:port" or "https://host:port". */
public record Endpoint(String host, int port) {
    public static Endpoint parse(String raw) {
        String s = raw.trim();
        int scheme = s.indexOf("://");
        if (scheme >= 0) {
            s = s.substring(scheme + 3);
        }
        int slash = s.indexOf('/');
        if (slash >= 0) {
            s = s.substring(0, slash);
        }
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            throw new IllegalArgumentException("endpoint " + raw + " has no port (want host:port)");
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            return new Endpoint(host, Integer.parseInt(s.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("endpoint " + raw + " has a bad port");
        }
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
