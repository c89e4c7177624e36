package io.etcdj.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Listening on 0.0.0.0 with default advertise URLs advertises the machine's default host. */
class DefaultHostTest {
    private static final DefaultHost HOST = () -> Optional.of("127.0.0.9");

    private static EtcdConfig parse(String commandLine, DefaultHost host) throws ConfigException {
        return EtcdConfigParser.parse(Etcd.args(commandLine), Map.of(), StartupLog.NONE, host);
    }

    @Test
    void defaultAdvertiseUrlsFollowTheDefaultHost() throws Exception {
        EtcdConfig c = parse("--name n1 --listen-peer-urls http://0.0.0.0:12380 "
                + "--listen-client-urls http://0.0.0.0:12379 --advertise-client-urls http://localhost:2379", HOST);
        assertThat(c.advertisePeerUrls()).containsExactly(URI.create("http://127.0.0.9:12380"));
        assertThat(c.advertiseClientUrls()).containsExactly(URI.create("http://127.0.0.9:12379"));
        assertThat(c.initialCluster()).isEqualTo("n1=http://127.0.0.9:12380");
    }

    @Test
    void explicitAdvertiseUrlsAndSpecificListenAddressesAreKept() throws Exception {
        EtcdConfig c = parse("--listen-peer-urls http://0.0.0.0:2380 --initial-advertise-peer-urls "
                + "http://127.0.0.2:2380 --initial-cluster default=http://127.0.0.2:2380", HOST);
        assertThat(c.advertisePeerUrls()).containsExactly(URI.create("http://127.0.0.2:2380"));
        EtcdConfig d = parse("--listen-peer-urls http://127.0.0.1:2380", HOST);
        assertThat(d.advertisePeerUrls()).containsExactly(URI.create("http://localhost:2380"));
    }

    @Test
    void withoutADefaultRouteNothingChanges() throws Exception {
        EtcdConfig c = parse("--listen-peer-urls http://0.0.0.0:2380", DefaultHost.NONE);
        assertThat(c.advertisePeerUrls()).containsExactly(URI.create("http://localhost:2380"));
    }
}
