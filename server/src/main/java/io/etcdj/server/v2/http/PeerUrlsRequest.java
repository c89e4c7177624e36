package io.etcdj.server.v2.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The body of POST/PUT /v2/members, {@code {"peerURLs": [...]}}, decoded and validated as etcd does
 * (types.NewURLs): trimmed, scheme http/https/unix/unixs, "host:port", no path; result sorted.
 * Failures carry the text etcd answers with (Go's JSON decoder messages for the common cases).
 */
final class PeerUrlsRequest {
    static final class Invalid extends Exception {
        Invalid(String message) { super(message); }
    }

    private PeerUrlsRequest() {
    }

    static List<String> parse(byte[] body) throws Invalid {
        Object doc;
        try {
            doc = new MiniJson(new String(body, StandardCharsets.UTF_8)).parseDocument();
        } catch (MiniJson.SyntaxError e) {
            throw new Invalid(e.getMessage());
        }
        List<String> raw = new ArrayList<>();
        if (doc instanceof Map<?, ?> m) {
            Object urls = m.get("peerURLs");
            if (urls instanceof List<?> l) {
                for (Object o : l) {
                    if (!(o instanceof String s)) {
                        throw new Invalid("json: cannot unmarshal " + MiniJson.goType(o)
                                + " into Go struct field .peerURLs of type string");
                    }
                    raw.add(s);
                }
            } else if (urls != null) {
                throw new Invalid("json: cannot unmarshal " + MiniJson.goType(urls)
                        + " into Go struct field .peerURLs of type []string");
            }
        } else if (doc != null) {
            throw new Invalid("json: cannot unmarshal " + MiniJson.goType(doc)
                    + " into Go value of type struct { PeerURLs []string \"json:\\\"peerURLs\\\"\" }");
        }
        if (raw.isEmpty()) {
            throw new Invalid("no valid URLs given");
        }
        List<String> out = new ArrayList<>();
        for (String in : raw) {
            String s = in.trim();
            URI u;
            try {
                u = new URI(s);
            } catch (URISyntaxException e) {
                throw new Invalid("parse \"" + s + "\": " + goParseError(s));
            }
            String scheme = u.getScheme() == null ? "" : u.getScheme();
            if (!(scheme.equals("http") || scheme.equals("https") || scheme.equals("unix") || scheme.equals("unixs"))) {
                throw new Invalid("URL scheme must be http, https, unix, or unixs: " + s);
            }
            String auth = u.getRawAuthority();
            if (auth == null || !auth.matches(".*:[0-9]*") || auth.indexOf(':') != auth.lastIndexOf(':') && !auth.startsWith("[")) {
                throw new Invalid("URL address does not have the form \"host:port\": " + s);
            }
            if (u.getRawPath() != null && !u.getRawPath().isEmpty()) {
                throw new Invalid("URL must not contain a path: " + s);
            }
            out.add(s);
        }
        out.sort(null);
        return out;
    }

    /**
     * Go's url.Parse complaint about {@code s}, for the shapes a peer URL typically breaks in
     * ("invalid URI" for the rest): no scheme before a colon, a colon in a scheme-less first
     * segment, an unclosed IPv6 bracket.
     */
    static String goParseError(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isLetter(c) && c < 0x80) {
                continue;
            }
            if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') {
                if (i == 0) {
                    break; // no scheme
                }
                continue;
            }
            if (c == ':') {
                if (i == 0) {
                    return "missing protocol scheme";
                }
                String rest = s.substring(i + 1);
                if (rest.startsWith("//")) {
                    String authority = rest.substring(2).split("[/?#]", 2)[0];
                    String host = authority.substring(authority.lastIndexOf('@') + 1);
                    if (host.startsWith("[") && host.indexOf(']') < 0) {
                        return "missing ']' in host";
                    }
                }
                return "invalid URI";
            }
            break; // no scheme
        }
        String firstSegment = s.split("/", 2)[0];
        return firstSegment.contains(":") ? "first path segment in URL cannot contain colon" : "invalid URI";
    }
}
