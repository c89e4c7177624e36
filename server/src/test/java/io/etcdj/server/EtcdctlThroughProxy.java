package io.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The client scenario both proxies must pass: Debian's etcdctl, pointed only at the proxy, does
 * put/get, a txn, a watch, a lease's life (grant, attach, time-to-live, keep-alive, revoke), a lock
 * and an election, and sees exactly what it would see talking to a member.
 */
final class EtcdctlThroughProxy {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private EtcdctlThroughProxy() {}

    static void exercise(ReferenceEtcdctl etcdctl, String proxy) {
        // put / get
        assertThat(etcdctl.ok(proxy, "put", "greeting", "hello")).isEqualTo("OK\n");
        assertThat(etcdctl.ok(proxy, "get", "greeting")).isEqualTo("greeting\nhello\n");

        // txn: the compare holds, so the success branch runs
        ReferenceEtcdctl.Result txn = etcdctl.runWithInput(proxy, "value(\"greeting\") = \"hello\"\n\nput greeting bye\n\nput greeting never\n\n", "txn");
        assertThat(txn.out()).isEqualTo("SUCCESS\n\nOK\n");
        assertThat(etcdctl.ok(proxy, "get", "greeting", "--print-value-only")).isEqualTo("bye\n");

        // watch from the next revision: the put made after it is seen
        long rev = revision(etcdctl.ok(proxy, "get", "greeting", "-w", "json"));
        try (ReferenceEtcdctl.Running watch = etcdctl.start(proxy, "watch", "watched", "--rev=" + (rev + 1))) {
            etcdctl.ok(proxy, "put", "watched", "w1");
            watch.awaitOutput("PUT\nwatched\nw1\n", WAIT);
        }

        // a lease's life
        String granted = etcdctl.ok(proxy, "lease", "grant", "60");
        Matcher m = Pattern.compile("lease ([0-9a-f]+) granted with TTL\\(60s\\)").matcher(granted);
        assertThat(m.find()).as(granted).isTrue();
        String lease = m.group(1);
        etcdctl.ok(proxy, "put", "--lease=" + lease, "leased", "v");
        assertThat(etcdctl.ok(proxy, "lease", "timetolive", lease, "--keys")).contains("attached keys([leased])");
        assertThat(etcdctl.ok(proxy, "lease", "keep-alive", "--once", lease))
                .isEqualTo("lease " + lease + " keepalived with TTL(60)\n");
        assertThat(etcdctl.ok(proxy, "lease", "revoke", lease)).isEqualTo("lease " + lease + " revoked\n");
        assertThat(etcdctl.ok(proxy, "get", "leased")).isEmpty();

        // a lock held for the duration of a command
        assertThat(etcdctl.ok(proxy, "lock", "the-lock", "echo", "inside")).isEqualTo("inside\n");

        // an election: the candidate wins, an observer sees it
        try (ReferenceEtcdctl.Running candidate = etcdctl.start(proxy, "elect", "the-election", "candidate-1");
             ReferenceEtcdctl.Running observer = etcdctl.start(proxy, "elect", "-l", "the-election")) {
            candidate.awaitOutput("candidate-1\n", WAIT);
            observer.awaitOutput("candidate-1\n", WAIT);
            assertThat(observer.output()).startsWith("the-election/");
        }
    }

    static long revision(String json) {
        Matcher m = Pattern.compile("\"revision\":(\\d+)").matcher(json);
        assertThat(m.find()).as(json).isTrue();
        return Long.parseLong(m.group(1));
    }

    /**
     * Runs a command that must succeed within two attempts: a client may see one failure when a
     * member dies under it (its connection was to that member), never two.
     */
    static String withOneRetry(ReferenceEtcdctl etcdctl, String proxy, String... args) {
        ReferenceEtcdctl.Result first = etcdctl.run(proxy, args);
        if (first.exitCode() == 0) {
            return first.out();
        }
        return etcdctl.ok(proxy, args);
    }
}
