package io.etcdj.server.config;

import java.util.Locale;

/**
 * The subset of Go's {@code net/url.Parse} that etcd's URL flags rely on, and Go's
 * {@code URL.String()}. The string form matters: member IDs are hashed over it.
 *
 * @param scheme   lower-cased scheme, "" when absent
 * @param opaque   text after "scheme:" when it does not start with "/"
 * @param userinfo text before "@" in the authority, or null
 * @param host     "host:port" (brackets kept for IPv6), "" when absent
 * @param hasAuthority whether the text had "//" after the scheme
 * @param path     the path, "" when absent
 * @param rawQuery the query without "?", or null when there was no "?"
 * @param fragment the fragment without "#", or null when there was no "#"
 */
public record GoUrl(String scheme, String opaque, String userinfo, String host, boolean hasAuthority,
                    String path, String rawQuery, String fragment) {

    /** Parses like Go's url.Parse; a failure carries Go's message ("parse \"x\": ..."). */
    public static GoUrl parse(String raw) {
        String rest = raw;
        String fragment = null;
        int hash = rest.indexOf('#');
        if (hash >= 0) {
            fragment = rest.substring(hash + 1);
            rest = rest.substring(0, hash);
        }
        if (raw.isEmpty()) {
            return new GoUrl("", "", null, "", false, "", null, null);
        }
        for (int i = 0; i < rest.length(); i++) {
            char c = rest.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw fail(raw, "net/url: invalid control character in URL");
            }
        }
        String scheme = "";
        for (int i = 0; i < rest.length(); i++) {
            char c = rest.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
                continue;
            }
            if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') {
                if (i == 0) {
                    break;
                }
                continue;
            }
            if (c == ':') {
                if (i == 0) {
                    throw fail(raw, "missing protocol scheme");
                }
                scheme = rest.substring(0, i).toLowerCase(Locale.ROOT);
                rest = rest.substring(i + 1);
            }
            break;
        }
        String rawQuery = null;
        int q = rest.indexOf('?');
        if (q >= 0) {
            rawQuery = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        if (!rest.startsWith("/")) {
            if (!scheme.isEmpty()) {
                return new GoUrl(scheme, rest, null, "", false, "", rawQuery, fragment);
            }
            int colon = rest.indexOf(':');
            int slash = rest.indexOf('/');
            if (colon >= 0 && (slash < 0 || colon < slash)) {
                throw fail(raw, "first path segment in URL cannot contain colon");
            }
        }
        String userinfo = null;
        String host = "";
        boolean hasAuthority = false;
        if ((!scheme.isEmpty() || !rest.startsWith("///")) && rest.startsWith("//")) {
            hasAuthority = true;
            String authority = rest.substring(2);
            int slash = authority.indexOf('/');
            rest = slash >= 0 ? authority.substring(slash) : "";
            authority = slash >= 0 ? authority.substring(0, slash) : authority;
            int at = authority.lastIndexOf('@');
            if (at >= 0) {
                userinfo = authority.substring(0, at);
                authority = authority.substring(at + 1);
            }
            host = checkHost(raw, authority);
        }
        checkEscapes(raw, rest, false);
        if (fragment != null) {
            checkEscapes(raw, fragment, false);
        }
        return new GoUrl(scheme, "", userinfo, host, hasAuthority, rest, rawQuery, fragment);
    }

    private static String checkHost(String raw, String host) {
        int portStart;
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            if (close < 0) {
                throw fail(raw, "missing ']' in host");
            }
            portStart = close + 1;
            String port = host.substring(portStart);
            if (!port.isEmpty() && !validPort(port)) {
                throw fail(raw, "invalid port \"" + port + "\" after host");
            }
            return host;
        }
        int colon = host.lastIndexOf(':');
        if (colon >= 0) {
            String port = host.substring(colon);
            if (!validPort(port)) {
                throw fail(raw, "invalid port \"" + port + "\" after host");
            }
        }
        checkEscapes(raw, host, true);
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c == ' ' || c == '<' || c == '>' || c == '"' || c == '{' || c == '}' || c == '|'
                    || c == '\\' || c == '^' || c == '`') {
                throw fail(raw, "invalid character \"" + c + "\" in host name");
            }
        }
        return host;
    }

    /**
     * Go's unescape check: every '%' starts two hex digits ("invalid URL escape" names at most
     * three characters from the '%'); in a host name only escapes of bytes from 0x80 up, or "%25",
     * are allowed.
     */
    private static void checkEscapes(String raw, String text, boolean host) {
        for (int i = text.indexOf('%'); i >= 0; i = text.indexOf('%', i + 1)) {
            boolean wellFormed = i + 2 < text.length() && isHex(text.charAt(i + 1)) && isHex(text.charAt(i + 2));
            String seq = text.substring(i, Math.min(i + 3, text.length()));
            if (!wellFormed || (host && Character.digit(text.charAt(i + 1), 16) < 8 && !seq.equals("%25"))) {
                throw fail(raw, "invalid URL escape \"" + seq + "\"");
            }
        }
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0 && c < 0x80;
    }

    private static boolean validPort(String colonPort) {
        if (!colonPort.startsWith(":")) {
            return false;
        }
        for (int i = 1; i < colonPort.length(); i++) {
            char c = colonPort.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static IllegalArgumentException fail(String raw, String why) {
        return new IllegalArgumentException("parse \"" + raw + "\": " + why);
    }

    /** The host without the port (brackets of an IPv6 literal removed). */
    public String hostname() {
        String[] hp = splitHostPort(host);
        return hp == null ? (host.startsWith("[") && host.endsWith("]")
                ? host.substring(1, host.length() - 1) : host) : hp[0];
    }

    /** The port text, "" when there is none. */
    public String port() {
        String[] hp = splitHostPort(host);
        return hp == null ? "" : hp[1];
    }

    /**
     * Go's {@code net.SplitHostPort}: {host, port}, or null when {@code hostPort} lacks a port
     * separator or is malformed.
     */
    public static String[] splitHostPort(String hostPort) {
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close < 0 || close + 1 >= hostPort.length() || hostPort.charAt(close + 1) != ':') {
                return null;
            }
            String port = hostPort.substring(close + 2);
            if (port.indexOf(':') >= 0) {
                return null;
            }
            return new String[] {hostPort.substring(1, close), port};
        }
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0) {
            return null;
        }
        String host = hostPort.substring(0, colon);
        if (host.indexOf(':') >= 0 || host.indexOf('[') >= 0 || host.indexOf(']') >= 0) {
            return null;
        }
        return new String[] {host, hostPort.substring(colon + 1)};
    }

    /** Go's {@code URL.String()}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        if (!scheme.isEmpty()) {
            b.append(scheme).append(':');
        }
        if (!opaque.isEmpty()) {
            b.append(opaque);
        } else {
            if (hasAuthority || !host.isEmpty() || userinfo != null) {
                b.append("//");
                if (userinfo != null) {
                    b.append(userinfo).append('@');
                }
                b.append(host);
            }
            if (!path.isEmpty() && path.charAt(0) != '/' && !host.isEmpty()) {
                b.append('/');
            }
            b.append(path);
        }
        if (rawQuery != null && !rawQuery.isEmpty()) {
            b.append('?').append(rawQuery);
        }
        if (fragment != null && !fragment.isEmpty()) {
            b.append('#').append(fragment);
        }
        return b.toString();
    }
}
