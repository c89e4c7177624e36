package io.etcdj.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.testsupport.FreePorts;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
            int peer = FreePorts.onLoopback();
            int client = FreePorts.onLoopback();
            String peerUrl = "http://127.0.0.1:" + peer;
            String clientUrl = "http://127.0.0.1:" + client;
            String json = memberListFromReference(token, peerUrl, clientUrl);
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

    private String memberListFromReference(String token, String peerUrl, String clientUrl) throws Exception {
        Path data = dir.resolve(token);
        Process etcd = new ProcessBuilder("etcd", "--name", "ref", "--data-dir", data.toString(),
                "--logger", "zap", "--log-outputs", "stderr",
                "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl,
                "--listen-client-urls", clientUrl, "--advertise-client-urls", clientUrl,
                "--initial-cluster", "ref=" + peerUrl, "--initial-cluster-token", token)
                .redirectErrorStream(true).start();
        // the deadline: a watchdog ends the process, which ends the blocking read below
        Thread watchdog = new Thread(() -> {
            try {
                if (!etcd.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    etcd.destroy();
                }
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        });
        watchdog.setDaemon(true);
        watchdog.start();
        try {
            StringBuilder log = new StringBuilder();
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(etcd.getInputStream(), StandardCharsets.UTF_8))) {
                boolean published = false;
                boolean serving = false;
                String line = "";
                while (!(published && serving) && (line = lines.readLine()) != null) {
                    log.append(line).append('\n');
                    published |= line.contains("published local member to cluster");
                    serving |= line.contains("serving client traffic");
                }
                if (line == null) {
                    throw new AssertionError("reference etcd did not become ready:\n" + log);
                }
                Process ctl = new ProcessBuilder("etcdctl", "--endpoints=" + clientUrl, "member", "list", "-w",
                        "json").redirectErrorStream(true).start();
                ctl.getOutputStream().close();
                String out = new String(ctl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(ctl.waitFor()).as(out).isZero();
                return out;
            }
        } finally {
            etcd.destroy();
            etcd.waitFor();
            watchdog.interrupt();
        }
    }

}
