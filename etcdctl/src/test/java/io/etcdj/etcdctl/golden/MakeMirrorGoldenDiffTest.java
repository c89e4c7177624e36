package io.etcdj.etcdctl.golden;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * make-mirror with Debian's etcdctl 3.4.23 and with ours, side by side, from one reference etcd to
 * another, each into its own destination prefix: the mirrored keys and values must be the same, a
 * source txn must stay one revision on the destination, and both must print the same count of synced
 * keys at the 30-second report (the test waits for it) and exit alike when killed; both keep
 * mirroring when the source member, then the destination member, is restarted under them.
 */
class MakeMirrorGoldenDiffTest {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    private EtcdProcess source;
    private EtcdProcess dest;
    private final List<BackgroundTool> started = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        source = EtcdProcess.start();
        dest = EtcdProcess.start();
    }

    @AfterEach
    void stop() throws Exception {
        for (BackgroundTool t : started) {
            t.close();
        }
        source.close();
        dest.close();
    }

    private static Map<String, String> env(EtcdProcess e) {
        return Map.of("ETCDCTL_ENDPOINTS", e.endpoint());
    }

    private static String run(EtcdProcess e, String stdin, String... args) throws Exception {
        ToolRun r = ToolRun.reference(List.of(args), env(e), stdin);
        assertThat(r.code()).as("%s", r).isZero();
        return r.stdout();
    }

    /** key=value@modRevision lines of the destination under a prefix, with the prefix cut off. */
    private List<String> mirrored(String prefix) throws Exception {
        String fields = run(dest, "", "-w", "fields", "get", prefix, "--prefix");
        List<String> out = new ArrayList<>();
        // fields prints each kv as Key, CreateRevision, ModRevision, Version, Value, Lease
        String key = null;
        String modRevision = null;
        for (String line : fields.split("\n")) {
            if (line.startsWith("\"Key\" : ")) {
                key = line.substring(8).replace("\"" + prefix, "\"");
            } else if (line.startsWith("\"ModRevision\" : ")) {
                modRevision = line.substring(16);
            } else if (line.startsWith("\"Value\" : ") && key != null) {
                out.add(key + "=" + line.substring(10) + "@" + modRevision);
            }
        }
        return out;
    }

    private void awaitMirrored(String prefix, int keys) throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        while (mirrored(prefix).size() != keys) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(prefix + " never held " + keys + " keys: " + mirrored(prefix));
            }
            Thread.onSpinWait();
        }
    }

    private static List<String> withoutRevisions(List<String> kvs) {
        return kvs.stream().map(s -> s.substring(0, s.lastIndexOf('@'))).toList();
    }

    @Test
    void bothMirrorTheSameKeysKeepTxnsWholeAndReportTheSameCount() throws Exception {
        run(source, "", "put", "/src/a", "1");
        run(source, "", "put", "/src/b", "2");
        run(source, "", "put", "/other/x", "not mirrored");
        BackgroundTool ref = BackgroundTool.reference(dir, "ref", env(source),
                "make-mirror", "--prefix", "/src/", "--dest-prefix", "/ref/", dest.endpoint());
        started.add(ref);
        BackgroundTool ours = BackgroundTool.ours(dir, "ours", env(source),
                "make-mirror", "--prefix", "/src/", "--dest-prefix", "/ours/", dest.endpoint());
        started.add(ours);
        awaitMirrored("/ref/", 2);
        awaitMirrored("/ours/", 2);

        run(source, "", "put", "/src/c", "3");
        run(source, "", "del", "/src/a");
        run(source, "\nput /src/t1 one\nput /src/t2 two\n\n\n", "txn");
        run(source, "", "put", "/other/y", "not mirrored");
        run(source, "", "put", "/src/last", "done");
        awaitMirrored("/ref/", 5);
        awaitMirrored("/ours/", 5);

        List<String> refKeys = mirrored("/ref/");
        List<String> ourKeys = mirrored("/ours/");
        assertThat(withoutRevisions(ourKeys)).isEqualTo(withoutRevisions(refKeys))
                .containsExactly("\"b\"=\"2\"", "\"c\"=\"3\"", "\"last\"=\"done\"", "\"t1\"=\"one\"", "\"t2\"=\"two\"");
        String t1 = ourKeys.get(3);
        String t2 = ourKeys.get(4);
        assertThat(t1.substring(t1.lastIndexOf('@'))).as("the txn's two puts in one revision")
                .isEqualTo(t2.substring(t2.lastIndexOf('@')));

        ref.awaitStdout("the 30-second report", s -> s.contains("\n"), WAIT);
        ours.awaitStdout("the 30-second report", s -> s.contains("\n"), WAIT);
        ToolRun refRun = ref.stop();
        ToolRun ourRun = ours.stop();
        assertThat(ourRun).isEqualTo(refRun);
        assertThat(ourRun.stdout()).startsWith("7\n"); // 2 base keys, then c, a's delete, t1, t2, last
    }

    @Test
    void bothKeepMirroringWhenTheSourceOrTheDestinationRestarts() throws Exception {
        run(source, "", "put", "/src/before", "1");
        BackgroundTool ref = BackgroundTool.reference(dir, "ref", env(source),
                "make-mirror", "--prefix", "/src/", "--dest-prefix", "/ref/", dest.endpoint());
        started.add(ref);
        BackgroundTool ours = BackgroundTool.ours(dir, "ours", env(source),
                "make-mirror", "--prefix", "/src/", "--dest-prefix", "/ours/", dest.endpoint());
        started.add(ours);
        awaitMirrored("/ref/", 1);
        awaitMirrored("/ours/", 1);

        source.restart(); // both mirrors' watches break; a put after the restart must still arrive
        run(source, "", "put", "/src/after-source-restart", "2");
        awaitMirrored("/ref/", 2);
        awaitMirrored("/ours/", 2);

        dest.restart(); // both mirrors' connections to the destination break
        run(source, "", "put", "/src/after-dest-restart", "3");
        awaitMirrored("/ref/", 3);
        awaitMirrored("/ours/", 3);
        run(source, "", "del", "/src/before");
        awaitMirrored("/ref/", 2);
        awaitMirrored("/ours/", 2);
        assertThat(withoutRevisions(mirrored("/ours/"))).isEqualTo(withoutRevisions(mirrored("/ref/")))
                .containsExactly("\"after-dest-restart\"=\"3\"", "\"after-source-restart\"=\"2\"");
        assertThat(ours.alive()).as("our make-mirror still running").isTrue();
        assertThat(ref.alive()).as("etcdctl's make-mirror still running").isTrue();
    }

    @Test
    void argumentErrorsAreEtcdctls() throws Exception {
        for (List<String> args : List.of(List.of("make-mirror"), List.of("make-mirror", "a", "b"),
                List.of("make-mirror", "--dest-prefix", "x", "--no-dest-prefix", dest.endpoint()))) {
            assertThat(ToolRun.ours(args, env(source), "")).as("%s", args)
                    .isEqualTo(ToolRun.reference(args, env(source), ""));
        }
    }
}
