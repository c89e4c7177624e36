package io.etcdj.etcdctl.golden;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.testsupport.FreePorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * ETCDCTL_API=2: the same command lines with Debian's etcdctl 3.4.23 and with ours against one
 * reference etcd started with --enable-v2; stdout, stderr and exit code must be identical. Writes
 * run with the reference first, are undone, then run with ours, so both start from the same tree;
 * the raft indexes in their output then differ by a constant, so each output's indexes are
 * compared by rank (smallest index seen = i0, next = i1, ...).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class V2GoldenDiffTest {
    private static final Pattern INDEX = Pattern.compile(
            "(\"createdIndex\":|\"modifiedIndex\":|Created-Index: |Modified-Index: |Index: |\\) \\[|\\(\\[|\\[[0-9]+ != )([0-9]+)");

    private EtcdProcess etcd;

    @BeforeAll
    void startReference() throws Exception {
        etcd = EtcdProcess.start("--enable-v2");
    }

    @AfterAll
    void stopReference() {
        if (etcd != null) {
            etcd.close();
        }
    }

    private String url() {
        return "http://" + etcd.endpoint();
    }

    private Map<String, String> env() {
        return Map.of("ETCDCTL_API", "2", "ETCDCTL_ENDPOINTS", url());
    }

    private void same(String... args) throws Exception {
        sameWith(env(), args);
    }

    private void sameWith(Map<String, String> env, String... args) throws Exception {
        ToolRun ref = ranked(ToolRun.reference(List.of(args), env, ""));
        ToolRun ours = ranked(ToolRun.ours(List.of(args), env, ""));
        assertThat(ours).as("ETCDCTL_API=2 etcdctl %s", String.join(" ", args)).isEqualTo(ref);
    }

    /**
     * Runs a write with each tool, each time right after the reference etcdctl ran the {@code prepare}
     * steps (separated by ";", their exit codes ignored), so both writes start from the same tree.
     */
    private void sameWrite(String prepare, String... args) throws Exception {
        prepare(prepare);
        ToolRun ref = ranked(ToolRun.reference(List.of(args), env(), ""));
        prepare(prepare);
        ToolRun ours = ranked(ToolRun.ours(List.of(args), env(), ""));
        assertThat(ours).as("ETCDCTL_API=2 etcdctl %s", String.join(" ", args)).isEqualTo(ref);
    }

    private void prepare(String steps) throws Exception {
        for (String step : steps.split(";")) {
            ToolRun.reference(List.of(step.strip().split(" ")), env(), "");
        }
    }

    /** Steps separated by ";" run with the reference etcdctl; each must succeed. */
    private void reference(String steps) throws Exception {
        for (String step : steps.isEmpty() ? new String[0] : steps.split(";")) {
            ToolRun u = ToolRun.reference(List.of(step.strip().split(" ")), env(), "");
            assertThat(u.code()).as("%s: %s", step, u).isZero();
        }
    }

    /** Replaces each raft index in the output by its rank among the indexes the output shows. */
    static ToolRun ranked(ToolRun r) {
        String all = r.stdout() + "\u0000" + r.stderr();
        TreeSet<Long> seen = new TreeSet<>();
        Matcher m = INDEX.matcher(all);
        while (m.find()) {
            seen.add(Long.parseLong(m.group(2)));
        }
        List<Long> order = new ArrayList<>(seen);
        String masked = INDEX.matcher(all).replaceAll(x -> Matcher.quoteReplacement(
                x.group(1) + "i" + order.indexOf(Long.parseLong(x.group(2)))));
        int cut = masked.indexOf('\u0000');
        return new ToolRun(masked.substring(0, cut), masked.substring(cut + 1), r.code());
    }

    @Test
    @Order(1)
    void helpVersionAndUsageErrors() throws Exception {
        same("--help");
        same();
        same("help");
        same("--version");
        same("help", "set");
        same("help", "member");
        same("h", "rm");
        same("help", "bogus");
        same("bogus");
        same("get", "--help");
        same("member");
        same("member", "add", "--help");
        same("get", "--bogus", "/a");
        same("--bogus", "get", "/a");
        same("set", "/k", "--ttl");
        same("set", "--ttl", "x", "/k", "v");
        same("rm", "--with-index=z", "/k");
    }

    @Test
    @Order(2)
    void seedScenarioSetGetUpdateRm() throws Exception {
        sameWrite("rm /test/key", "set", "/test/key", "test kubernetes");
        sameWrite("rm /test/key", "-o", "extended", "set", "/test/key", "test kubernetes");
        reference("set /test/key test-kubernetes");
        same("get", "/test/key");
        same("get", "--quorum", "/test/key");
        same("-o", "extended", "get", "/test/key");
        same("-o", "json", "get", "/test/key");
        sameWrite("set /test/key test-kubernetes", "update", "/test/key", "test kubernetes cluster");
        sameWrite("set /test/key test-kubernetes", "-o", "extended", "update", "/test/key", "v2");
        sameWrite("set /test/key test-kubernetes", "-o", "json", "set", "/test/key", "v3");
        sameWrite("set /test/key test-kubernetes", "rm", "/test/key");
        sameWrite("set /test/key test-kubernetes", "-o", "extended", "rm", "/test/key");
        sameWrite("set /test/key test-kubernetes", "-o", "json", "rm", "/test/key");
        sameWrite("set /test/key test-kubernetes", "set", "--swap-with-value", "test-kubernetes", "/test/key", "x");
        same("set", "--swap-with-value", "nope", "/test/key", "x");
        same("set", "--swap-with-index", "1", "/test/key", "x");
        same("rm", "--with-value", "nope", "/test/key");
        same("rm", "--with-index", "1", "/test/key");
        sameWrite("rm /ttl", "set", "--ttl", "100", "/ttl", "v");
        sameWrite("rm /ttl", "-o", "extended", "set", "--ttl", "100", "/ttl", "v");
    }

    @Test
    @Order(3)
    void errorsOnMissingKeysAndDirectories() throws Exception {
        same("get", "/missing/key");
        same("-o", "json", "get", "/missing/key");
        same("update", "/missing/key", "v");
        same("rm", "/missing/key");
        same("rmdir", "/missing");
        same("updatedir", "/missing");
        same("mkdir", "/test");
        same("mk", "/test/key", "v");
        same("get", "/test");
        same("rm", "/test");
        same("rm", "--dir", "/test");
        same("rmdir", "/test");
        sameWrite("set /test/key test-kubernetes", "rmdir", "/test/key");
        reference("set /test/key test-kubernetes");
        same("get");
        same("set", "/only-key");
        same("-o", "bogus", "get", "/test/key");
    }

    @Test
    @Order(4)
    void directoriesAndListing() throws Exception {
        sameWrite("rmdir /dir", "mkdir", "/dir");
        sameWrite("rmdir /dir", "-o", "json", "mkdir", "/dir");
        sameWrite("rmdir /dir2", "-o", "extended", "setdir", "/dir2");
        reference("mkdir /dir/sub; set /dir/sub/a 1; set /dir/b 2");
        sameWrite("mk /dir/new v", "mk", "/dir/new", "v");
        sameWrite("setdir /dir/emptied", "rmdir", "/dir/emptied");
        sameWrite("updatedir /dir", "updatedir", "--ttl", "100", "/dir");
        reference("updatedir /dir");
        // without --sort the server lists a directory's children in its map's (random) order
        same("ls", "--sort");
        same("ls", "/dir/sub");
        same("ls", "--sort", "/dir");
        same("ls", "--recursive", "--sort", "/");
        same("ls", "--recursive", "-p", "--sort", "/dir");
        same("ls", "/dir", "-r", "-p", "--sort");
        same("ls", "/dir/b");
        same("-o", "json", "ls", "--recursive", "--sort", "/dir");
        same("-o", "extended", "ls", "/dir");
        same("ls", "/missing");
        sameWrite("mkdir /dir; set /dir/b 2", "rm", "--recursive", "/dir");
        sameWrite("mkdir /dir; set /dir/b 2", "-o", "json", "rm", "--recursive", "/dir");
    }

    @Test
    @Order(5)
    void membersAndHealth() throws Exception {
        same("member", "list");
        same("cluster-health");
        same("member", "remove", "ffff");
        same("member", "add", "only-name");
        same("--no-sync", "member", "list");
    }

    @Test
    @Order(6)
    void endpointsFromFlagsAndEnvironment() throws Exception {
        Map<String, String> noEndpoints = Map.of("ETCDCTL_API", "2");
        sameWith(noEndpoints, "--endpoints", url(), "get", "/test/key");
        sameWith(noEndpoints, "--peers", url(), "get", "/test/key");
        sameWith(noEndpoints, "-C", url(), "get", "/test/key");
        sameWith(Map.of("ETCDCTL_API", "2", "ETCDCTL_PEERS", url()), "get", "/test/key");
        sameWith(noEndpoints, "--endpoints", etcd.endpoint(), "get", "/test/key");
        String dead = "http://127.0.0.1:" + FreePorts.onLoopback();
        sameWith(noEndpoints, "--endpoints", dead, "get", "/test/key");
        sameWith(noEndpoints, "--no-sync", "--endpoints", dead, "get", "/test/key");
        sameWith(noEndpoints, "--endpoints", dead, "cluster-health");
        same("--debug", "get", "/test/key");
        same("--debug", "--no-sync", "member", "list");
        same("--debug", "cluster-health");
        sameWrite("set /test/key test-kubernetes", "--debug", "set", "/test/key", "a b*~");
        sameWith(noEndpoints, "--timeout", "3s", "--total-timeout", "10s", "--endpoints", url(), "get", "/test/key");
    }

    @Test
    @Order(7)
    void watchReturnsAfterOneChange() throws Exception {
        reference("mkdir /watched; set /watched/k first");
        String extended = ToolRun.reference(List.of("-o", "extended", "get", "/watched/k"), env(), "").stdout();
        long modified = Long.parseLong(extended.replaceAll("(?s).*Modified-Index: ([0-9]+).*", "$1"));
        String after = Long.toString(modified - 1);
        same("watch", "--after-index", after, "/watched/k");
        same("watch", "--after-index", after, "--recursive", "/watched");
        same("-o", "json", "watch", "--after-index", after, "/watched/k");
        same("-o", "extended", "watch", "--after-index", after, "/watched/k");
        same("-o", "extended", "watch", "--after-index", after, "-r", "/watched");

        ToolRun ref = liveWatch(() -> ToolRun.reference(List.of("watch", "--recursive", "/watched"), env(), ""));
        ToolRun ours = liveWatch(() -> ToolRun.ours(List.of("watch", "--recursive", "/watched"), env(), ""));
        assertThat(ours).isEqualTo(ref);
    }

    private interface Run {
        ToolRun run() throws Exception;
    }

    /** Starts a watch, waits until the server counts it as a watcher, then makes one change. */
    private ToolRun liveWatch(Run watch) throws Exception {
        long before = watchers();
        CompletableFuture<ToolRun> done = CompletableFuture.supplyAsync(() -> {
            try {
                return watch.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Instant deadline = Instant.now().plusSeconds(20);
        while (watchers() <= before) {
            assertThat(Instant.now()).as("watch registered in time").isBefore(deadline);
            assertThat(done).as("watch still waiting").isNotDone();
            Thread.onSpinWait();
        }
        reference("set /watched/k changed");
        return done.get(30, TimeUnit.SECONDS);
    }

    /** The v2 store's count of waiting watchers (GET /v2/stats/store). */
    private long watchers() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url() + "/v2/stats/store")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        return Long.parseLong(r.body().replaceAll("(?s).*\"watchers\":([0-9]+).*", "$1"));
    }

}
