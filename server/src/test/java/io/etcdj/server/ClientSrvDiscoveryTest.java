package io.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdj.server.bootstrap.DnsLookup;
import io.etcdj.server.proxy.ClientSrvDiscovery;
import io.etcdj.server.proxy.ClientSrvDiscovery.Endpoint;
import java.nio.file.Path;
import java.util.List;
import javax.naming.NamingException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proxies' --discovery-srv against a dnsmasq serving _etcd-client records: https records
 * always, plain http ones only with --insecure-discovery, and --discovery-srv-name picking the
 * named service.
 */
class ClientSrvDiscoveryTest {
    @TempDir
    static Path dir;
    static Dnsmasq dns;
    static ClientSrvDiscovery discovery;

    @BeforeAll
    static void startDns() throws Exception {
        dns = Dnsmasq.start(dir, List.of(
                "srv-host=_etcd-client._tcp.example.com,etcd1.example.com,2379,0,10",
                "srv-host=_etcd-client._tcp.example.com,etcd2.example.com,2379,1,10",
                "srv-host=_etcd-client-ssl._tcp.secure.example.com,etcd3.example.com,2379,0,10",
                "srv-host=_etcd-client-blue._tcp.example.com,etcd4.example.com,12379"));
        discovery = new ClientSrvDiscovery(new DnsLookup(dns.server()));
    }

    @AfterAll
    static void stopDns() throws Exception {
        dns.close();
    }

    @Test
    void plainHttpRecordsAreUsedOnlyWithInsecureDiscovery() throws Exception {
        assertThat(discovery.discover("example.com", "", true))
                .containsExactly(new Endpoint("etcd1.example.com:2379", false), new Endpoint("etcd2.example.com:2379", false));
        assertThatThrownBy(() -> discovery.discover("example.com", "", false)).isInstanceOf(NamingException.class);
    }

    @Test
    void httpsRecordsAreAlwaysUsed() throws Exception {
        assertThat(discovery.discover("secure.example.com", "", false))
                .containsExactly(new Endpoint("etcd3.example.com:2379", true));
    }

    @Test
    void aServiceNameSelectsItsOwnRecords() throws Exception {
        assertThat(discovery.discover("example.com", "blue", true))
                .containsExactly(new Endpoint("etcd4.example.com:12379", false));
    }
}
