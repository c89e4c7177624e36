package io.etcdj.robustness.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.robustness.proxy.ConnectionRouter;
import io.etcdj.robustness.proxy.LinkFault;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which link faults a peer connection gets, from its first HTTP request. */
class PeerNetworkTest {

    private final PeerNetwork network = new PeerNetwork(List.of("m1", "m2", "m3"), 1);

    {
        network.learnMemberId("8e9e05c52164694d", "m1");
        network.learnMemberId("91bc3c398fb3c146", "m2");
    }

    private static byte[] request(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void aPipelinePostIsAttributedByItsHeader() {
        ConnectionRouter.Route r = network.routerFor("m3").route(request(
                "POST /raft HTTP/1.1\r\nHost: x\r\nX-Server-From: 8e9e05c52164694d\r\nX-Etcd-Cluster-ID: 1\r\n\r\n"));
        assertThat(r.upstream()).isSameAs(network.link("m1", "m3"));
        assertThat(r.downstream()).isSameAs(network.link("m3", "m1"));
    }

    @Test
    void aStreamIsAttributedByItsPath() {
        ConnectionRouter.Route r = network.routerFor("m1").route(request(
                "GET /raftstream/message/91bc3c398fb3c146 HTTP/1.1\r\nHost: x\r\n\r\n"));
        assertThat(r.upstream()).isSameAs(network.link("m2", "m1"));
    }

    @Test
    void anUnattributedConnectionIsCutWhenAnyLinkIntoItsDestinationIs() {
        byte[] anonymous = request("GET /version HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(network.routerFor("m3").route(anonymous).upstream()).isSameAs(LinkFault.PASS);
        network.isolate("m1");
        assertThat(network.routerFor("m3").route(anonymous).upstream().blackholed()).isTrue();
        network.healAll();
        assertThat(network.routerFor("m3").route(anonymous).upstream().blackholed()).isFalse();
    }

    @Test
    void isolatingAMemberCutsBothDirectionsOfItsLinksOnly() {
        network.isolate("m2");
        assertThat(network.link("m2", "m1").blackholed()).isTrue();
        assertThat(network.link("m1", "m2").blackholed()).isTrue();
        assertThat(network.link("m1", "m3").blackholed()).isFalse();
        assertThat(network.link("m3", "m1").blackholed()).isFalse();
    }

    @Test
    void aConnectionWithoutEtcdsHeadersIsNamedByItsSourceAddress() throws Exception {
        PeerNetwork network = new PeerNetwork(List.of("m1", "m2", "m3"), 1);
        network.learnMemberAddress("127.0.0.2", "m2");
        network.link("m2", "m3").blackhole();
        byte[] grpcPreface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        ConnectionRouter.Route fromM2 = network.routerFor("m3").route(grpcPreface,
                InetAddress.getByName("127.0.0.2"));
        assertThat(fromM2.upstream().blackholed()).isTrue();
        assertThat(fromM2.downstream().blackholed()).isFalse();
        network.learnMemberAddress("127.0.0.1", "m1");
        ConnectionRouter.Route fromM1 = network.routerFor("m3").route(grpcPreface,
                InetAddress.getByName("127.0.0.1"));
        assertThat(fromM1.upstream().blackholed()).as("m1's link into m3 is clean").isFalse();
    }
}
