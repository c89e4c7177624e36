package io.etcdj.server.tls;

import io.etcdj.server.MemberSettings;
import io.etcdj.server.config.TransportSecurity;
import io.etcdj.server.transport.MemberChannels;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The TLS material of one member, built once when it opens: what its client and peer ports serve
 * with (null: that side is plaintext), and how it opens channels to other members' peer and
 * client URLs. Auto-TLS certificates live in {@code <data-dir>/fixtures/client} and
 * {@code fixtures/peer}, as etcd keeps them.
 */
public record MemberTls(TlsMaterial clientServer, TlsMaterial peerServer, MemberChannels peerChannels,
                        MemberChannels clientChannels) {

    public static MemberTls of(MemberSettings s) throws IOException {
        Path fixtures = s.dataDir().resolve("fixtures");
        List<String> clientHosts = hosts(s.listenClientUrls(), s.advertiseClientUrls());
        List<String> peerHosts = hosts(s.listenPeerUrls(), s.advertisePeerUrls());
        TransportSecurity client = s.clientSecurity();
        TransportSecurity peer = s.peerSecurity();
        return new MemberTls(
                client.isTls() ? TlsMaterial.server(client, fixtures.resolve("client"), clientHosts) : null,
                peer.isTls() ? TlsMaterial.server(peer, fixtures.resolve("peer"), peerHosts) : null,
                MemberChannels.using(peer.isTls() ? TlsMaterial.client(peer, fixtures.resolve("peer"), peerHosts) : null)
                        .leavingFrom(singleListenHost(s.listenPeerUrls())),
                MemberChannels.using(client.isTls()
                        ? TlsMaterial.client(client, fixtures.resolve("client"), clientHosts) : null));
    }

    /** The one host all peer listen URLs share (null when they differ): peer links leave from it. */
    private static String singleListenHost(List<String> urls) {
        String host = null;
        for (String u : urls) {
            String h = URI.create(u.trim()).getHost();
            if (h == null || (host != null && !host.equals(h))) {
                return null;
            }
            host = h;
        }
        return host;
    }

    private static List<String> hosts(List<String> a, List<String> b) {
        Set<String> hosts = new LinkedHashSet<>();
        for (List<String> urls : List.of(a, b)) {
            for (String u : urls) {
                String h = URI.create(u.trim()).getHost();
                if (h != null) {
                    hosts.add(h.startsWith("[") ? h.substring(1, h.length() - 1) : h);
                }
            }
        }
        return List.copyOf(hosts);
    }
}
