package io.etcdj.server.config;

/** Go's {@code net.ParseIP(s) != nil}: a dotted IPv4 or an IPv6 literal, never a name lookup. */
public final class IpLiteral {
    private IpLiteral() {}

    public static boolean isIp(String s) {
        return isIpv4(s) || isIpv6(s);
    }

    static boolean isIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')) {
                return false;
            }
            for (int i = 0; i < p.length(); i++) {
                if (!Character.isDigit(p.charAt(i)) || p.charAt(i) > '9') {
                    return false;
                }
            }
            if (Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    static boolean isIpv6(String s) {
        if (s.indexOf(':') < 0 || s.indexOf('%') >= 0) {
            return false;
        }
        String body = s;
        int groupsNeeded = 8;
        int lastColon = body.lastIndexOf(':');
        String tail = body.substring(lastColon + 1);
        if (tail.indexOf('.') >= 0) {
            if (!isIpv4(tail)) {
                return false;
            }
            body = body.substring(0, lastColon + 1) + "0:0";
        }
        int ellipsis = body.indexOf("::");
        if (ellipsis >= 0 && body.indexOf("::", ellipsis + 1) >= 0) {
            return false;
        }
        String[] halves = ellipsis >= 0
                ? new String[] {body.substring(0, ellipsis), body.substring(ellipsis + 2)}
                : new String[] {body};
        int groups = 0;
        for (String half : halves) {
            if (half.isEmpty()) {
                continue;
            }
            for (String g : half.split(":", -1)) {
                if (g.isEmpty() || g.length() > 4) {
                    return false;
                }
                for (int i = 0; i < g.length(); i++) {
                    if (Character.digit(g.charAt(i), 16) < 0) {
                        return false;
                    }
                }
                groups++;
            }
        }
        return ellipsis >= 0 ? groups < groupsNeeded : groups == groupsNeeded;
    }
}
