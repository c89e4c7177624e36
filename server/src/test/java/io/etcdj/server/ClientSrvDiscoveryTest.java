package io.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdj.server.bootstrap.DnsLookup;
import io.etcdj.server.config.StartupLog;
import io.etcdj.server.proxy.ClientSrvDiscovery;
import io.etcdj.server.proxy.ClientSrvDiscovery.Endpoint;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.naming.NamingException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proxies' --discovery-srv against a dnsmasq serving _etcd-client records, as etcd 3.4's
 * gateway and gRPC proxy use them: every record with --insecure-discovery; otherwise only https
 * records whose host:port accepts a connection, none when the CA file cannot be read, each drop
 * logged as etcd's "failed to validate discovered endpoints". Every name resolves to 127.0.0.1.
 */
class ClientSrvDiscoveryTest {
    @TempDir
    static Path dir;
    static Dnsmasq dns;
    static ClientSrvDiscovery discovery;
    /** A listening port (the "member" that accepts) and one where nothing listens. */
    static ServerSocket listening;
    static int closedPort;

    @BeforeAll
    static void startDns() throws Exception {
        listening = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            closedPort = s.getLocalPort();
        }
        int open = listening.getLocalPort();
        dns = Dnsmasq.start(dir, List.of(
                "address=/example.com/127.0.0.1",
                "srv-host=_etcd-client._tcp.example.com,etcd1.example.com,2379,0,10",
                "srv-host=_etcd-client._tcp.example.com,etcd2.example.com,2379,1,10",
                "srv-host=_etcd-client-ssl._tcp.secure.example.com,etcd3.example.com," + open + ",0,10",
                "srv-host=_etcd-client-ssl._tcp.mixed.example.com,etcd4.example.com," + open + ",0,10",
                "srv-host=_etcd-client-ssl._tcp.mixed.example.com,etcd5.example.com," + closedPort + ",1,10",
                "srv-host=_etcd-client._tcp.mixed.example.com,etcd6.example.com," + open + ",0,10",
                "srv-host=_etcd-client-blue._tcp.example.com,etcd7.example.com,12379"));
        discovery = new ClientSrvDiscovery(new DnsLookup(dns.server()));
    }

    @AfterAll
    static void stopDns() throws Exception {
        dns.close();
        listening.close();
    }

    @Test
    void plainHttpRecordsAreUsedOnlyWithInsecureDiscovery() throws Exception {
        assertThat(discovery.discover("example.com", "", true, "", StartupLog.NONE))
                .containsExactly(new Endpoint("etcd1.example.com:2379", false), new Endpoint("etcd2.example.com:2379", false));
        StartupLog.Recording log = new StartupLog.Recording();
        assertThat(discovery.discover("example.com", "", false, "", log)).isEmpty();
        assertThat(warning(log)).isEqualTo("\"http://etcd1.example.com:2379\" is insecure,"
                + "\"http://etcd2.example.com:2379\" is insecure");
    }

    @Test
    void httpsRecordsThatAcceptAConnectionAreKept() throws Exception {
        StartupLog.Recording log = new StartupLog.Recording();
        assertThat(discovery.discover("secure.example.com", "", false, "", log))
                .containsExactly(new Endpoint("etcd3.example.com:" + listening.getLocalPort(), true));
        assertThat(log.entries()).extracting(StartupLog.Recording.Entry::message).containsExactly(
                "discovered cluster from SRV", "validating discovered SRV endpoints",
                "using validated discovered SRV endpoints");
    }

    @Test
    void anUnreachableHttpsRecordAndAnHttpOneAreDropped() throws Exception {
        StartupLog.Recording log = new StartupLog.Recording();
        assertThat(discovery.discover("mixed.example.com", "", false, "", log))
                .containsExactly(new Endpoint("etcd4.example.com:" + listening.getLocalPort(), true));
        assertThat(warning(log)).isEqualTo("\"https://etcd5.example.com:" + closedPort + "\" failed to dial (dial tcp "
                + "127.0.0.1:" + closedPort + ": connect: connection refused),"
                + "\"http://etcd6.example.com:" + listening.getLocalPort() + "\" is insecure");
        assertThat(discovery.discover("mixed.example.com", "", true, "", StartupLog.NONE)).hasSize(3);
    }

    @Test
    void aCaFileThatCannotBeReadDropsEveryRecord() throws Exception {
        Path missing = dir.resolve("no-such-ca.pem");
        StartupLog.Recording log = new StartupLog.Recording();
        assertThat(discovery.discover("secure.example.com", "", false, missing.toString(), log)).isEmpty();
        assertThat(warning(log)).isEqualTo("open " + missing + ": no such file or directory");
        Path present = Files.writeString(dir.resolve("ca.pem"), "");
        assertThat(discovery.discover("secure.example.com", "", false, present.toString(), StartupLog.NONE)).hasSize(1);
    }

    @Test
    void aServiceNameSelectsItsOwnRecords() throws Exception {
        assertThat(discovery.discover("example.com", "blue", true, "", StartupLog.NONE))
                .containsExactly(new Endpoint("etcd7.example.com:12379", false));
    }

    @Test
    void noRecordsAtAllIsAnError() {
        assertThatThrownBy(() -> discovery.discover("nothing.example.com", "", true, "", StartupLog.NONE))
                .isInstanceOf(NamingException.class).hasMessageStartingWith("dns lookup errors: ");
    }

    private static String warning(StartupLog.Recording log) {
        return log.entries().stream().filter(e -> e.message().equals("failed to validate discovered endpoints"))
                .map(e -> String.valueOf(e.fields().get("error"))).findFirst().orElse("(no warning)");
    }
}
