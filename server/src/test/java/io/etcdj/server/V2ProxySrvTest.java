package io.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdj.server.bootstrap.DnsLookup;
import io.etcdj.server.config.EtcdConfigParser;
import io.etcdj.server.config.StartupLog;
import io.etcdj.server.proxy.v2.V2Proxy;
import io.etcdj.testsupport.OpenResources;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The v2 proxy started with {@code --proxy on --discovery-srv DOMAIN} (no --initial-cluster): it
 * reads the members' peer URLs from the {@code _etcd-server._tcp.DOMAIN} SRV records (dnsmasq
 * here), as a member bootstrapping from DNS does, then asks those peers for the client URLs it
 * forwards to. The records' target is {@code localhost}, which the JVM's own resolver knows too.
 */
class V2ProxySrvTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Pattern ENDPOINT = Pattern.compile("\"(http://[^\"]+)\"");

    @TempDir
    Path dir;
    @RegisterExtension
    final OpenResources open = new OpenResources();

    @Test
    void theProxyFindsTheClusterThroughSrvRecordsAndForwardsToEveryMember() throws Exception {
        EtcdCluster c = EtcdCluster.start(dir.resolve("cluster"), 3, 10_000, 5_000, s -> s.withEnableV2(true));
        open.add(c);
        c.awaitLeader(WAIT);
        List<String> records = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int peerPort = URI.create(c.member(i).settings().advertisePeerUrls().get(0)).getPort();
            records.add("srv-host=_etcd-server._tcp.example.com,localhost," + peerPort + ",0," + (10 + i));
        }
        records.add("host-record=localhost,127.0.0.1");
        Dnsmasq dns = Dnsmasq.start(dir, records);
        open.add(dns);

        StartupLog.Recording log = new StartupLog.Recording();
        String url = "http://127.0.0.1:" + EtcdCluster.freePort();
        Path data = dir.resolve("proxy.etcd");
        V2Proxy proxy = V2Proxy.start(EtcdConfigParser.parse(new String[] {"--proxy", "on", "--data-dir",
                data.toString(), "--discovery-srv", "example.com", "--listen-client-urls", url,
                "--proxy-refresh-interval", "500"}, Map.of(), StartupLog.NONE),
                DiscoveryClusterTest.FAST, new DnsLookup(dns.server()), log);
        open.add(proxy);

        assertThat(log.entries()).filteredOn(e -> e.message().equals("got bootstrap from DNS for etcd-server"))
                .hasSize(3);
        List<String> clientUrls = IntStream.range(0, 3).mapToObj(c::clientUrl).sorted().toList();
        V2ProxyClient client = new V2ProxyClient(url);
        EtcdCluster.awaitCondition(WAIT, "the proxy forwards to the 3 members' client URLs",
                () -> endpoints(client).stream().sorted().toList().equals(clientUrls));
        // it started from the peer URLs the records named, then stored the ones the members advertise
        List<String> fromRecords = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int peerPort = URI.create(c.member(i).settings().advertisePeerUrls().get(0)).getPort();
            fromRecords.add("http://localhost:" + peerPort);
        }
        assertThat(log.entries()).filteredOn(e -> e.message().equals("proxy using peer URLS")).singleElement()
                .satisfies(e -> assertThat(e.fields().get("peer-urls")).isEqualTo(fromRecords.stream().sorted().toList()));
        String clusterFile = Files.readString(data.resolve("proxy/cluster"));
        for (int i = 0; i < 3; i++) {
            assertThat(clusterFile).contains("\"" + c.member(i).settings().advertisePeerUrls().get(0) + "\"");
        }
        assertThat(client.putKey("via-srv", "yes").statusCode()).isEqualTo(201);
        assertThat(new V2ProxyClient(c.clientUrl(2)).get("/v2/keys/via-srv?quorum=true").body())
                .contains("\"value\":\"yes\"");
    }

    @Test
    void aDomainWithoutRecordsStopsTheProxyWithEtcdsError() throws Exception {
        Dnsmasq dns = Dnsmasq.start(dir, List.of());
        open.add(dns);
        assertThatThrownBy(() -> V2Proxy.start(EtcdConfigParser.parse(new String[] {"--proxy", "on", "--data-dir",
                        dir.resolve("p.etcd").toString(), "--discovery-srv", "nothing.example.com",
                        "--listen-client-urls", "http://127.0.0.1:" + EtcdCluster.freePort()}, Map.of(), StartupLog.NONE),
                DiscoveryClusterTest.FAST, new DnsLookup(dns.server()), StartupLog.NONE))
                .isInstanceOf(V2Proxy.StartFailure.class)
                .hasMessageStartingWith("error setting up initial cluster: error querying DNS SRV records for "
                        + "_etcd-server-ssl ")
                .hasMessageContaining(", error querying DNS SRV records for _etcd-server ");
    }

    private static List<String> endpoints(V2ProxyClient proxy) {
        List<String> out = new ArrayList<>();
        Matcher m = ENDPOINT.matcher(proxy.get("/v2/config/local/proxy").body());
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
