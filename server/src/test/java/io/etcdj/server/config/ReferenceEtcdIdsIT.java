package io.etcdj.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.testsupport.ReferenceEtcd;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts the reference {@code etcd} (one member, 127.0.0.1, a temporary data dir) and compares
 * the member and cluster IDs of {@code etcdctl member list -w json} with ours. It runs in
 * every {@code verify} (test-all installs the reference binaries) and fails where they are missing.
 */
class ReferenceEtcdIdsIT {
    @TempDir
    Path dir;

    @Test
    void idsEqualTheReferenceForTwoTokens() throws Exception {
        for (String token : List.of("etcdj-ref-a", "etcdj-ref-b")) {
            String peerUrl;
            String json;
            try (ReferenceEtcd etcd = ReferenceEtcd.builder().name("ref").dir(dir.resolve(token))
                    .flags("--logger", "zap", "--log-outputs", "stderr", "--initial-cluster-token", token)
                    .readyWhen(e -> e.log().contains("published local member to cluster")
                            && e.log().contains("serving client traffic"))
                    .timeout(Duration.ofSeconds(30)).start()) {
                peerUrl = etcd.peerUrl();
                json = memberList(etcd.clientUrl());
            }
            InitialCluster ours = InitialCluster.parse("ref=" + peerUrl, token);
            Matcher member = Pattern.compile("\"members\":\\[\\{\"ID\":(\\d+)").matcher(json);
            Matcher cluster = Pattern.compile("\"cluster_id\":(\\d+)").matcher(json);
            assertThat(member.find()).as(json).isTrue();
            assertThat(cluster.find()).as(json).isTrue();
            String refMember = Long.toHexString(Long.parseUnsignedLong(member.group(1)));
            String refCluster = Long.toHexString(Long.parseUnsignedLong(cluster.group(1)));
            System.out.println("token " + token + ": reference member " + refMember + " cluster " + refCluster
                    + ", ours " + ours.member("ref").orElseThrow().idHex() + " " + ours.clusterIdHex());
            assertThat(ours.member("ref").orElseThrow().idHex()).isEqualTo(refMember);
            assertThat(ours.clusterIdHex()).isEqualTo(refCluster);
        }
    }

    private static String memberList(String clientUrl) throws Exception {
        Process ctl = new ProcessBuilder("etcdctl", "--endpoints=" + clientUrl, "member", "list", "-w", "json")
                .redirectErrorStream(true).start();
        ctl.getOutputStream().close();
        String out = new String(ctl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(ctl.waitFor()).as(out).isZero();
        return out;
    }
}
