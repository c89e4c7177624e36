package io.etcdj.robustness.cluster;

import io.etcdj.robustness.proxy.ConnectionRouter;
import io.etcdj.robustness.proxy.LinkFault;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The faults of every directed MESSAGE link between members: {@code link(a, b)} governs what a
 * sends to b. etcd peers carry a→b messages on connections dialed either way (a's pipeline POSTs
 * to b, and stream responses on connections b dialed to a), so each member has one proxy in front
 * of its peer port, and that proxy tells apart who dialed it from the request's
 * {@code X-Server-From} header (or the {@code /raftstream/<kind>/<from>} path): a connection
 * dialed by a to b takes link(a, b) upstream and link(b, a) downstream.
 *
 * <p>Without the header, the dialer is named by the connection's source address when the members'
 * addresses were learned (etcdj's peer links are gRPC, bound to the member's own address).
 * A connection whose dialer cannot be named (no header and an unknown address, or made before the
 * member IDs are learned) is treated as coming from anyone: it is blackholed if any link into its
 * destination is blackholed, else it passes.
 */
public final class PeerNetwork {

    private static final Pattern FROM_HEADER = Pattern.compile("(?im)^x-server-from:\\s*([0-9a-f]+)\\s*$");
    private static final Pattern STREAM_PATH = Pattern.compile("^[A-Z]+ /raftstream/[a-zA-Z0-9]+/([0-9a-f]+) ");

    private final List<String> members;
    private final Map<String, LinkFault> links = new ConcurrentHashMap<>();
    private final Map<String, String> nameById = new ConcurrentHashMap<>();
    private final Map<String, String> nameByAddress = new ConcurrentHashMap<>();

    public PeerNetwork(List<String> members, long seed) {
        this.members = List.copyOf(members);
        long s = seed;
        for (String a : members) {
            for (String b : members) {
                if (!a.equals(b)) {
                    links.put(a + ">" + b, new LinkFault(a + "->" + b, s++));
                }
            }
        }
    }

    /** The faults on what {@code from} sends to {@code to}. */
    public LinkFault link(String from, String to) {
        LinkFault f = links.get(from + ">" + to);
        if (f == null) {
            throw new IllegalArgumentException("no link " + from + " -> " + to);
        }
        return f;
    }

    /** Cuts every link to and from {@code member}, both ways. */
    public void isolate(String member) {
        for (String other : members) {
            if (!other.equals(member)) {
                link(member, other).blackhole();
                link(other, member).blackhole();
            }
        }
    }

    public void healAll() {
        links.values().forEach(LinkFault::heal);
    }

    /** Teaches the routers which member ID (hex, as etcd writes it) is which member. */
    public void learnMemberId(String hexId, String name) {
        nameById.put(hexId.toLowerCase(Locale.ROOT), name);
    }

    /**
     * Teaches the routers which source address is which member: a connection without etcd's
     * headers (etcdj's gRPC peer links, which leave from the member's own peer address) is named
     * by the address it came from.
     */
    public void learnMemberAddress(String ip, String name) {
        nameByAddress.put(ip, name);
    }

    /** The router for the proxy in front of {@code destination}'s peer port. */
    public ConnectionRouter routerFor(String destination) {
        return new ConnectionRouter() {
            @Override
            public Route route(byte[] first) {
                return routeFrom(dialer(first), destination);
            }

            @Override
            public Route route(byte[] first, InetAddress address) {
                String from = dialer(first);
                if (from == null && address != null) {
                    from = nameByAddress.get(address.getHostAddress());
                }
                return routeFrom(from, destination);
            }
        };
    }

    private ConnectionRouter.Route routeFrom(String from, String destination) {
        if (from == null || from.equals(destination)) {
            LinkFault anyBlackholed = members.stream()
                    .filter(m -> !m.equals(destination))
                    .map(m -> link(m, destination))
                    .filter(LinkFault::blackholed)
                    .findFirst().orElse(LinkFault.PASS);
            return new ConnectionRouter.Route(anyBlackholed, anyBlackholed);
        }
        return new ConnectionRouter.Route(link(from, destination), link(destination, from));
    }

    String dialer(byte[] first) {
        String head = new String(first, StandardCharsets.ISO_8859_1);
        Matcher m = FROM_HEADER.matcher(head);
        String id = m.find() ? m.group(1) : null;
        if (id == null) {
            Matcher p = STREAM_PATH.matcher(head);
            id = p.find() ? p.group(1) : null;
        }
        return id == null ? null : nameById.get(id.toLowerCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        links.values().stream().filter(f -> !f.toString().equals(f.name())).forEach(f -> sb.append(f).append("; "));
        return sb.length() == 0 ? "all links clean" : sb.toString();
    }
}
