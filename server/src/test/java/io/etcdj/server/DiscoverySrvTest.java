package io.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdj.server.bootstrap.DiscoveryBootstrap;
import io.etcdj.server.bootstrap.DnsLookup;
import io.etcdj.server.bootstrap.SrvBootstrap;
import io.etcdj.server.bootstrap.SrvClusterResolver;
import io.etcdj.server.config.EtcdConfig;
import io.etcdj.server.config.EtcdConfigParser;
import io.etcdj.server.config.MemberIds;
import io.etcdj.server.config.StartupLog;
import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.naming.NamingException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DNS SRV discovery against a real DNS server (dnsmasq on a high loopback port) holding the
 * seed's records: {@code _etcd-server._tcp.example.com} pointing at etcd1..3.example.com, which
 * resolve to 127.0.0.1..3; a second cluster under the service name "foo"; and TLS peers under
 * {@code _etcd-server-ssl._tcp.secure.example.com}.
 */
class DiscoverySrvTest {
    @TempDir
    static Path dir;
    static Dnsmasq dns;
    static DnsLookup lookup;

    @BeforeAll
    static void startDns() throws Exception {
        dns = Dnsmasq.start(dir, List.of(
                "srv-host=_etcd-server._tcp.example.com,etcd1.example.com,2380,0,10",
                "srv-host=_etcd-server._tcp.example.com,etcd2.example.com,2380,1,10",
                "srv-host=_etcd-server._tcp.example.com,etcd3.example.com,2380,2,10",
                "srv-host=_etcd-server-foo._tcp.example.com,etcd1.example.com,12380",
                "srv-host=_etcd-server-ssl._tcp.secure.example.com,etcd1.example.com,2380,0,10",
                "srv-host=_etcd-server-ssl._tcp.secure.example.com,etcd2.example.com,2380,1,10",
                "host-record=etcd1.example.com,127.0.0.1",
                "host-record=etcd2.example.com,127.0.0.2",
                "host-record=etcd3.example.com,127.0.0.3"));
        lookup = new DnsLookup(dns.server());
    }

    @AfterAll
    static void stopDns() throws Exception {
        dns.close();
    }

    static List<URI> urls(String... u) {
        return Arrays.stream(u).map(URI::create).toList();
    }

    @Test
    void theMemberWhoseAdvertisedAddressMatchesATargetTakesItsNameTheOthersAreNumbered() throws Exception {
        List<String> cluster = new SrvClusterResolver(lookup)
                .resolve("example.com", "", "infra1", urls("http://127.0.0.2:2380"));
        assertThat(cluster).containsExactly("0=http://etcd1.example.com:2380", "infra1=http://etcd2.example.com:2380",
                "1=http://etcd3.example.com:2380");
    }

    @Test
    void anAdvertisedHostNameMatchesByItsResolvedAddress() throws Exception {
        List<String> cluster = new SrvClusterResolver(lookup)
                .resolve("example.com", "", "infra2", urls("http://etcd3.example.com:2380"));
        assertThat(cluster).contains("infra2=http://etcd3.example.com:2380");
    }

    @Test
    void aServiceNameSelectsItsOwnRecords() throws Exception {
        assertThat(new SrvClusterResolver(lookup).resolve("example.com", "foo", "solo", urls("http://127.0.0.1:12380")))
                .containsExactly("solo=http://etcd1.example.com:12380");
    }

    @Test
    void sslRecordsMeanHttpsPeersAndAnHttpMemberAmongThemIsASchemeMismatch() throws Exception {
        assertThat(new SrvClusterResolver(lookup).resolve("secure.example.com", "", "s1", urls("https://127.0.0.1:2380")))
                .containsExactly("s1=https://etcd1.example.com:2380", "0=https://etcd2.example.com:2380");
        assertThat(new SrvClusterResolver(lookup).resolve("secure.example.com", "", "s1", urls("http://127.0.0.1:2380")))
                .containsExactly("0=https://etcd2.example.com:2380");
    }

    @Test
    void aDomainWithoutRecordsNamesBothServicesInTheError() {
        assertThatThrownBy(() -> new SrvClusterResolver(lookup).resolve("nothing.example.com", "", "x",
                urls("http://127.0.0.1:2380")))
                .isInstanceOf(NamingException.class)
                .hasMessageContaining("error querying DNS SRV records for _etcd-server-ssl ")
                .hasMessageContaining(", error querying DNS SRV records for _etcd-server ");
    }

    @Test
    void bootstrapWithDiscoverySrvGivesTheStaticClusterWithTheClusterToken() throws Exception {
        EtcdConfig config = EtcdConfigParser.parse(new String[] {"--name", "infra0", "--data-dir",
                dir.resolve("infra0").toString(), "--discovery-srv", "example.com",
                "--initial-advertise-peer-urls", "http://127.0.0.1:2380",
                "--initial-cluster-token", "etcd-cluster-1"}, Map.of(), StartupLog.NONE);
        MemberSettings s = SrvBootstrap.discover(MemberSettings.from(config), "example.com", "", lookup,
                StartupLog.NONE);
        assertThat(s.initialCluster().toString()).isEqualTo("0=http://etcd2.example.com:2380,"
                + "1=http://etcd3.example.com:2380,infra0=http://etcd1.example.com:2380");
        assertThat(s.initialCluster().member("infra0").orElseThrow().id())
                .isEqualTo(MemberIds.memberId(List.of("http://etcd1.example.com:2380"), "etcd-cluster-1"));
    }

    @Test
    void aMemberNotInTheRecordsCannotBootstrap() throws Exception {
        EtcdConfig config = EtcdConfigParser.parse(new String[] {"--name", "stranger", "--data-dir",
                dir.resolve("stranger").toString(), "--discovery-srv", "example.com",
                "--initial-advertise-peer-urls", "http://127.0.0.9:2380"}, Map.of(), StartupLog.NONE);
        assertThatThrownBy(() -> SrvBootstrap.discover(MemberSettings.from(config), "example.com", "", lookup,
                StartupLog.NONE)).isInstanceOf(DiscoveryBootstrap.InvalidDiscoveredCluster.class)
                .hasMessage("cannot find local etcd member \"stranger\" in SRV records");
    }
}
