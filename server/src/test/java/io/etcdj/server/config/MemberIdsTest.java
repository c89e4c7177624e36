package io.etcdj.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Member and cluster IDs equal the reference etcd's. The expected values were observed from the
 * real etcd 3.4.23 on 127.0.0.1 ({@code etcdctl member list -w json}, IDs printed in hex; see
 * {@link ReferenceEtcdIdsIT} to repeat it) and from the member lists printed in the seed articles.
 */
class MemberIdsTest {
    private static final String CLUSTER = "etcd01=http://127.0.0.1:12380,etcd02=http://127.0.0.1:22380,"
            + "etcd03=http://127.0.0.1:32380";

    @Test
    void threeMemberClusterMatchesTheReferenceRun() {
        InitialCluster c = InitialCluster.parse(CLUSTER, "etcd-cluster-1");
        assertThat(c.member("etcd01").orElseThrow().idHex()).isEqualTo("8211f1d0f64f3269");
        assertThat(c.member("etcd02").orElseThrow().idHex()).isEqualTo("91bc3c398fb3c146");
        assertThat(c.member("etcd03").orElseThrow().idHex()).isEqualTo("fd422379fda50e48");
        assertThat(c.clusterIdHex()).isEqualTo("ef37ad9dc622a7c4");
    }

    @Test
    void anotherTokenGivesOtherIdsAsInTheReferenceRun() {
        InitialCluster c = InitialCluster.parse(CLUSTER, "etcd-cluster-2");
        assertThat(c.member("etcd01").orElseThrow().idHex()).isEqualTo("89ed0fe07b5b0b2d");
        assertThat(c.member("etcd02").orElseThrow().idHex()).isEqualTo("5ec8cb0a9ed15bf1");
        assertThat(c.member("etcd03").orElseThrow().idHex()).isEqualTo("d8cd29a233343924");
        assertThat(c.clusterIdHex()).isEqualTo("8fb4523ffdf4b1cd");
    }

    @Test
    void sameConfigurationGivesTheSameIds() {
        assertThat(InitialCluster.parse(CLUSTER, "t").clusterId())
                .isEqualTo(InitialCluster.parse(CLUSTER, "t").clusterId());
    }

    @Test
    void aMemberWithTwoPeerUrlsHashesThemSorted() {
        // reference: --initial-cluster solo=http://127.0.0.1:47380,solo=http://127.0.0.1:47381, token tok-x
        InitialCluster c = InitialCluster.parse("solo=http://127.0.0.1:47381,solo=http://127.0.0.1:47380", "tok-x");
        assertThat(c.member("solo").orElseThrow().idHex()).isEqualTo("899713717bf3ac24");
        assertThat(c.clusterIdHex()).isEqualTo("b8f0394b3479a81c");
    }

    @Test
    void membersAreListedByUnsignedId() {
        InitialCluster c = InitialCluster.parse(CLUSTER, "etcd-cluster-2");
        assertThat(c.members()).extracting(InitialCluster.Member::name)
                .containsExactly("etcd02", "etcd01", "etcd03");
    }

    @Test
    void seedArticleStaticClusterIds() {
        // seed 002: etcdctl member list of a 3.2 cluster with the default token
        InitialCluster c = InitialCluster.parse("etcd01=http://192.168.10.5:2380,etcd02=http://192.168.10.6:2380,"
                + "etcd03=http://192.168.10.7:2380", "etcd-cluster");
        assertThat(c.members()).extracting(InitialCluster.Member::idHex)
                .containsExactly("315fd62e577c4037", "4c5d727d37966a87", "f617da66fb9b90ad");
    }

    @Test
    void seedArticleDnsAndDiscoveryIds() {
        // seed 003, DNS SRV bootstrap: the token is --initial-cluster-token
        assertThat(MemberIds.hex(MemberIds.memberId(List.of("http://etcd1.hi-etcd.com:2380"), "etcd-cluster-1")))
                .isEqualTo("efb48b68f151a3b7");
        // seed 003, discovery bootstrap: the token is the discovery URL
        String durl = "http://172.19.19.122:2379/v2/keys/discovery/0d8c6714-b4b1-4cc1-8ff4-d276f96d247f";
        assertThat(MemberIds.hex(MemberIds.memberId(List.of("http://172.19.19.123:2380"), durl)))
                .isEqualTo("7421510307215dd2");
        assertThat(MemberIds.hex(MemberIds.memberId(List.of("http://172.19.19.124:2380"), durl)))
                .isEqualTo("68d21150076963a0");
        assertThat(MemberIds.hex(MemberIds.memberId(List.of("http://172.19.19.122:2380"),
                "https://discovery.etcd.io/982846b900d7c377a7716564aae3d19e"))).isEqualTo("72c1c6de2cd8a18d");
    }

    @Test
    void hexRoundTripsUnsignedIds() {
        assertThat(MemberIds.parseHex("fd422379fda50e48")).isNegative();
        assertThat(MemberIds.hex(MemberIds.parseHex("fd422379fda50e48"))).isEqualTo("fd422379fda50e48");
    }
}
