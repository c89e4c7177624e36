package io.etcdj.server.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * etcd's URL-list rules ({@code types.NewURLs}): comma-separated, each trimmed, scheme http,
 * https, unix or unixs; http(s) URLs need "host:port" and no path. Lists come back sorted by
 * their string form, as etcd sorts them. The URIs' {@code toString()} is Go's URL string.
 */
public final class EtcdUrls {
    private EtcdUrls() {}

    /** Parses one URL by etcd's rules. */
    public static URI parseOne(String text) {
        String in = text.strip();
        GoUrl u = GoUrl.parse(in);
        switch (u.scheme()) {
            case "http", "https" -> {
                if (GoUrl.splitHostPort(u.host()) == null) {
                    throw new IllegalArgumentException(
                            "URL address does not have the form \"host:port\": " + in);
                }
                if (!u.path().isEmpty()) {
                    throw new IllegalArgumentException("URL must not contain a path: " + in);
                }
            }
            case "unix", "unixs" -> { }
            default -> throw new IllegalArgumentException(
                    "URL scheme must be http, https, unix, or unixs: " + in);
        }
        try {
            return new URI(u.toString());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("parse \"" + in + "\": " + e.getReason());
        }
    }

    /** {@code types.NewURLs(strings.Split(text, ","))}: every element parsed, then sorted. */
    public static List<URI> parseList(String text) {
        List<URI> all = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            all.add(parseOne(part));
        }
        all.sort(Comparator.comparing(URI::toString));
        return List.copyOf(all);
    }

    /** {@link #parseList} with duplicates (by string form) dropped, as etcd's URL flags do. */
    public static List<URI> parseUniqueList(String text) {
        Map<String, URI> unique = new LinkedHashMap<>();
        for (URI u : parseList(text)) {
            unique.putIfAbsent(u.toString(), u);
        }
        return List.copyOf(unique.values());
    }

    /** The comma-joined string form of a URL list. */
    public static String join(List<URI> urls) {
        StringBuilder b = new StringBuilder();
        for (URI u : urls) {
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(u);
        }
        return b.toString();
    }

    /** The parsed Go view of a URL held in a config (host, port, scheme). */
    public static GoUrl view(URI uri) {
        return GoUrl.parse(uri.toString());
    }
}
