package io.etcdj.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fixture's guarantees, on the reference etcd itself. */
class ReferenceEtcdTest {
    @TempDir
    Path dir;

    @Test
    void startsHealthyOnEveryClientUrlRestartsOnItsDataAndLeavesNothingRunningOrBehind() throws Exception {
        String second = "http://127.0.0.1:" + FreePorts.onLoopback();
        ReferenceEtcd etcd = ReferenceEtcd.builder().moreClientUrls(List.of(second)).flags("--enable-v2").start();
        Path data = etcd.dataDir();
        long pid;
        try {
            assertThat(etcd.isHealthy()).isTrue();
            assertThat(etcd.command()).containsSubsequence("--listen-client-urls", etcd.clientUrl() + "," + second,
                    "--advertise-client-urls", etcd.clientUrl());
            assertThat(etcd.command()).endsWith("--enable-v2");
            assertThat(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(second + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).contains("\"health\":\"true\"");
            assertThat(Files.isDirectory(data.resolve("member/wal"))).isTrue();
            etcd.restart();
            assertThat(etcd.isHealthy()).isTrue();
            assertThat(etcd.log()).contains("serving insecure client requests on 127.0.0.1");
            pid = ProcessHandle.allProcesses().filter(h -> h.info().command().map(c -> c.endsWith("etcd")).orElse(false)
                    && h.info().arguments().map(a -> List.of(a).contains(data.toString())).orElse(false))
                    .findFirst().orElseThrow().pid();
        } finally {
            etcd.close();
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(data).doesNotExist();
    }

    @Test
    void aMemberThatExitsFailsTheStartWithItsOutput() {
        assertThatThrownBy(() -> ReferenceEtcd.builder().dir(dir).flags("--no-such-flag").start())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("exited with")
                .hasMessageContaining("flag provided but not defined: -no-such-flag");
    }

    @Test
    void closeEndsTheWholeProcessTree() throws Exception {
        Path log = dir.resolve("sh.log");
        LoggedProcess sh = LoggedProcess.start(List.of("sh", "-c", "sleep 600 & echo started; wait"), log);
        sh.await(Duration.ofSeconds(10), "the child started", () -> sh.log().contains("started"));
        List<ProcessHandle> children = ProcessHandle.of(sh.pid()).orElseThrow().children().toList();
        assertThat(children).isNotEmpty();
        sh.close();
        assertThat(children).noneMatch(ProcessHandle::isAlive);
        assertThat(sh.isAlive()).isFalse();
    }

    @Test
    void portsBelowTheEphemeralRangeAreNeverHandedOutTwice() {
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            int port = FreePorts.belowEphemeralRange();
            assertThat(port).isBetween(25000, 31999);
            assertThat(seen.add(port)).as("port %d handed out twice", port).isTrue();
        }
    }
}
