package io.etcdj.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdj.server.config.ConfigException.Kind;
import java.net.UnknownHostException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The membership checks of a member starting without data, with etcd's texts. */
class BootstrapVerificationTest {
    private static final BootstrapVerification.HostResolver HOSTS = host -> switch (host) {
        case "node1.example" -> "127.0.0.1";
        case "127.0.0.1" -> "127.0.0.1";
        default -> throw new UnknownHostException(host);
    };

    private static InitialCluster verify(String commandLine) throws ConfigException {
        return BootstrapVerification.verifyNewCluster(Etcd.parse(commandLine), HOSTS);
    }

    @Test
    void advertisingAnotherUrlThanTheDefaultInitialClusterFailsAsInTheReference() {
        // observed with etcd 3.4.23: --initial-advertise-peer-urls http://127.0.0.1:23800 and nothing else
        assertThatThrownBy(() -> verify("--initial-advertise-peer-urls http://127.0.0.1:23800"))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.BOOTSTRAP);
                    assertThat(e.exitCode()).isEqualTo(1);
                    assertThat(e.getMessage()).isEqualTo("--initial-cluster has default=http://localhost:2380 but "
                            + "missing from --initial-advertise-peer-urls=http://127.0.0.1:23800 "
                            + "(resolved urls: \"http://127.0.0.1:23800\" != \"http://localhost:2380\")");
                });
    }

    @Test
    void aNameMissingFromTheInitialCluster() {
        // observed with etcd 3.4.23
        assertThatThrownBy(() -> verify("--name n1 --initial-advertise-peer-urls http://127.0.0.1:23800 "
                + "--initial-cluster n2=http://127.0.0.1:23800"))
                .hasMessage("couldn't find local name \"n1\" in the initial cluster configuration");
    }

    @Test
    void anAdvertisedUrlMissingFromTheInitialCluster() {
        assertThatThrownBy(() -> verify("--name n1 --initial-advertise-peer-urls "
                + "http://127.0.0.1:2380,http://127.0.0.2:2380 --initial-cluster n1=http://127.0.0.1:2380"))
                .hasMessage("--initial-advertise-peer-urls has http://127.0.0.2:2380 but missing from "
                        + "--initial-cluster=n1=http://127.0.0.1:2380,n1=http://127.0.0.2:2380");
    }

    @Test
    void hostNamesAreComparedAfterResolution() throws Exception {
        InitialCluster c = verify("--name n1 --initial-advertise-peer-urls http://node1.example:2380 "
                + "--initial-cluster n1=http://127.0.0.1:2380");
        assertThat(c.member("n1")).isPresent();
    }

    @Test
    void anUnresolvableHostIsReported() {
        assertThatThrownBy(() -> verify("--name n1 --initial-advertise-peer-urls http://nowhere.invalid:2380 "
                + "--initial-cluster n1=http://127.0.0.1:2380"))
                .hasMessage("--initial-cluster has n1=http://127.0.0.1:2380 but missing from "
                        + "--initial-advertise-peer-urls=http://nowhere.invalid:2380 (failed to resolve "
                        + "\"http://nowhere.invalid:2380\" (lookup nowhere.invalid: no such host))");
    }

    @Test
    void aDuplicateUrlIsRefused() {
        assertThatThrownBy(() -> verify("--name a --initial-advertise-peer-urls http://127.0.0.1:2380 "
                + "--initial-cluster a=http://127.0.0.1:2380,b=http://127.0.0.1:2380"))
                .hasMessage("initial cluster a=http://127.0.0.1:2380,b=http://127.0.0.1:2380 has duplicate url");
    }

    @Test
    void aMalformedInitialClusterIsABootstrapError() {
        assertThatThrownBy(() -> verify("--name a --initial-cluster a=127.0.0.1:2380"))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.kind()).isEqualTo(Kind.BOOTSTRAP))
                .hasMessage("parse \"127.0.0.1:2380\": first path segment in URL cannot contain colon");
    }

    @Test
    void joiningWithDiscoveryIsRefused() throws Exception {
        EtcdConfig c = Etcd.parse("--initial-cluster-state existing --discovery https://d.example/x",
                Map.of(), StartupLog.NONE);
        assertThatThrownBy(() -> BootstrapVerification.verifyJoinExisting(c))
                .hasMessage("discovery URL should not be set when joining existing initial cluster");
    }

    @Test
    void discoveryBootstrapsThisMemberAloneWithTheDiscoveryUrlAsToken() throws Exception {
        EtcdConfig c = Etcd.parse("--name d1 --initial-advertise-peer-urls http://127.0.0.1:2380 "
                + "--discovery https://d.example/x");
        InitialCluster cluster = BootstrapVerification.verifyNewCluster(c, HOSTS);
        assertThat(cluster.token()).isEqualTo("https://d.example/x");
        assertThat(cluster.members()).singleElement().extracting(InitialCluster.Member::name).isEqualTo("d1");
    }

    @Test
    void twoMembersWithTheSameUrlsGetTheSameIdWhichEtcdRefuses() {
        assertThatThrownBy(() -> InitialCluster.parse("a=http://127.0.0.1:2380,b=http://127.0.0.1:2380", "t"))
                .hasMessageStartingWith("member exists with identical ID");
    }

    @Test
    void joiningRequiresOnlyTheName() throws Exception {
        InitialCluster c = BootstrapVerification.verifyJoinExisting(Etcd.parse("--name b --initial-cluster-state "
                + "existing --initial-advertise-peer-urls http://127.0.0.2:2380 "
                + "--initial-cluster a=http://127.0.0.1:2380,b=http://127.0.0.2:2380"));
        assertThat(c.members()).hasSize(2);
    }
}
