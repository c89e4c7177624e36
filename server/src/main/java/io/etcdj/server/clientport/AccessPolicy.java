package io.etcdj.server.clientport;

import io.etcdj.server.grpcgo.GoQuote;
import io.etcdj.server.v2.http.V2HttpResponse;
import java.util.Optional;
import java.util.Set;

/**
 * Who may use the client port's HTTP API, as etcd's access controller decides it before any
 * handler runs: {@code --host-whitelist} (a plain-HTTP request must name a listed host, against DNS
 * rebinding: CVE-2018-5702) and {@code --cors} (which origins the CORS headers admit). Both
 * default to "*": every host, and "*" as the admitted origin.
 */
public record AccessPolicy(Set<String> corsOrigins, Set<String> hostWhitelist) {
    /** etcd's defaults: {@code --cors=*}, {@code --host-whitelist=*}. */
    public static final AccessPolicy OPEN = new AccessPolicy(Set.of("*"), Set.of("*"));

    public AccessPolicy {
        corsOrigins = Set.copyOf(corsOrigins);
        hostWhitelist = Set.copyOf(hostWhitelist);
    }

    /**
     * What etcd's access controller answers itself, before any handler: 421 to a plain-HTTP request
     * naming a host off the whitelist, and 200 with the CORS headers to any OPTIONS request.
     *
     * @return that answer, or null when the request goes on to its handler
     */
    public V2HttpResponse answerBeforeHandlers(String method, String hostHeader, boolean secure) {
        if (!secure && !hostAllowed(hostHeader)) {
            return V2HttpResponse.withoutCors(421)
                    .header("Content-Type", "text/plain; charset=utf-8")
                    .header("X-Content-Type-Options", "nosniff")
                    .body(misdirectedMessage(hostName(hostHeader)) + "\n");
        }
        if (method.equals("OPTIONS")) {
            return new V2HttpResponse(200); // the CORS headers: "*", or the origin's (CorsHeaderRewriter)
        }
        return null;
    }

    /** Whether the CORS headers are the same for every request ("*"), so no request needs a look. */
    public boolean admitsEveryOrigin() {
        return corsOrigins.contains("*");
    }

    /** The Access-Control-Allow-Origin value for a request from {@code origin} (null: none), if any. */
    public Optional<String> allowedOrigin(String origin) {
        if (admitsEveryOrigin()) {
            return Optional.of("*");
        }
        return origin != null && corsOrigins.contains(origin) ? Optional.of(origin) : Optional.empty();
    }

    /** Whether a plain-HTTP request with this Host header may be served (HTTPS ones always may). */
    public boolean hostAllowed(String hostHeader) {
        return hostWhitelist.contains("*") || hostWhitelist.contains(hostName(hostHeader));
    }

    /** The host of a Host header, without its port (an IPv6 literal keeps no brackets). */
    public static String hostName(String hostHeader) {
        if (hostHeader == null) {
            return "";
        }
        if (hostHeader.startsWith("[")) {
            int end = hostHeader.indexOf(']');
            return end < 0 ? hostHeader : hostHeader.substring(1, end);
        }
        int colon = hostHeader.lastIndexOf(':');
        return colon < 0 || hostHeader.indexOf(':') != colon ? hostHeader : hostHeader.substring(0, colon);
    }

    /** The body of etcd's 421 answer to a host not on the whitelist (Go's http.Error adds the last newline). */
    public static String misdirectedMessage(String host) {
        return "\netcd received your request, but the Host header was unrecognized.\n\n"
                + "To fix this, choose one of the following options:\n"
                + "- Enable TLS, then any HTTPS request will be allowed.\n"
                + "- Add the hostname you want to use to the whitelist in settings.\n"
                + "  - e.g. etcd --host-whitelist " + GoQuote.of(host) + "\n\n"
                + "This requirement has been added to help prevent \"DNS Rebinding\" attacks (CVE-2018-5702).\n";
    }
}
