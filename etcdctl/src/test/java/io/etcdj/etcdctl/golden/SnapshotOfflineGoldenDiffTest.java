package io.etcdj.etcdctl.golden;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * snapshot status and snapshot restore, offline: Debian's etcdctl 3.4.23 on a snapshot the reference
 * etcd saved, ours on a snapshot our etcd saved, both of the same writes. The two files differ by
 * format (etcd's bbolt, our packed RocksDB checkpoint), so the backend hash and size are masked;
 * everything else (revision, key count, layouts, log lines, errors, exit codes) must be identical.
 * Each tool works in its own directory, named DIR in the compared output.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SnapshotOfflineGoldenDiffTest {
    private static final List<ToolRun.Mask> TS = List.of(new ToolRun.Mask("\"ts\":[0-9.e+]+", "\"ts\":TS"));
    private static final List<ToolRun.Mask> HASH_AND_SIZE = List.of(
            new ToolRun.Mask("(?m)^[0-9a-f]+, ([0-9]+), ([0-9]+), [0-9.]+ [kMG]?B$", "H, $1, $2, S"),
            new ToolRun.Mask("\"(hash|totalSize)\":[0-9]+", "\"$1\":N"),
            new ToolRun.Mask("\"(Hash|Size)\" : [0-9]+", "\"$1\" : N"),
            new ToolRun.Mask("(?m)^\\| +[0-9a-f]+ \\|(.*)\\| +[0-9.]+ [kMG]?B \\|$", "| H |$1| S |"),
            new ToolRun.Mask("-{2,}", "--"),
            new ToolRun.Mask(" {2,}", " "));

    @TempDir
    Path dir;

    private EtcdProcess reference;
    private EtcdProcess ours;

    @BeforeAll
    void saveTheSameWritesFromBothServers() throws Exception {
        reference = EtcdProcess.start();
        ours = EtcdProcess.startOurs();
    }

    @AfterAll
    void stop() {
        if (reference != null) {
            reference.close();
        }
        if (ours != null) {
            ours.close();
        }
    }

    private Path refDir() {
        return dir.resolve("ref");
    }

    private Path ourDir() {
        return dir.resolve("ours");
    }

    private void saveSnapshots() throws Exception {
        Files.createDirectories(refDir());
        Files.createDirectories(ourDir());
        for (String[] kv : new String[][] {{"k1", "v1"}, {"k2", "v2"}, {"k1", "v1b"}}) {
            assertThat(ToolRun.reference(List.of("put", kv[0], kv[1]), env(reference), "").code()).isZero();
            assertThat(ToolRun.ours(List.of("put", kv[0], kv[1]), env(ours), "").code()).isZero();
        }
        ToolRun r = ToolRun.reference(List.of("snapshot", "save", refDir().resolve("snap.db").toString()),
                env(reference), "");
        assertThat(r.code()).as("%s", r).isZero();
        ToolRun o = ToolRun.ours(List.of("snapshot", "save", ourDir().resolve("snap.db").toString()), env(ours), "");
        assertThat(o.code()).as("%s", o).isZero();
    }

    private static Map<String, String> env(EtcdProcess e) {
        return Map.of("ETCDCTL_ENDPOINTS", e.endpoint());
    }

    /** Runs args (DIR standing for each tool's own directory) offline with both tools and compares. */
    private void same(List<ToolRun.Mask> extra, String... args) throws Exception {
        List<ToolRun.Mask> masks = new ArrayList<>(TS);
        masks.add(new ToolRun.Mask(Pattern.quote(refDir().toString()), "DIR"));
        masks.add(new ToolRun.Mask(Pattern.quote(ourDir().toString()), "DIR"));
        masks.addAll(extra);
        ToolRun ref = ToolRun.reference(in(refDir(), args), Map.of(), "").masked(masks);
        ToolRun our = ToolRun.ours(in(ourDir(), args), Map.of(), "").masked(masks);
        assertThat(our).as("etcdctl %s", String.join(" ", args)).isEqualTo(ref);
    }

    private static List<String> in(Path base, String... args) {
        List<String> out = new ArrayList<>();
        for (String a : args) {
            out.add(a.replace("DIR", base.toString()));
        }
        return out;
    }

    @Test
    void statusAndRestoreOfASavedSnapshotPrintWhatEtcdctlPrints() throws Exception {
        saveSnapshots();
        for (String w : List.of("simple", "json", "fields", "table", "protobuf", "yaml")) {
            same(HASH_AND_SIZE, "snapshot", "status", "DIR/snap.db", "-w", w);
        }
        same(List.of(), "snapshot", "status");
        same(List.of(), "snapshot", "status", "DIR/nosuch.db");
        same(List.of(), "snapshot", "status", "DIR/snap.db", "DIR/snap.db");

        same(List.of(), "snapshot", "restore", "DIR/snap.db", "--data-dir", "DIR/single");
        same(List.of(), "snapshot", "restore", "DIR/snap.db", "--data-dir", "DIR/single");
        same(List.of(), "snapshot", "restore", "DIR/snap.db", "--data-dir", "DIR/m1", "--name", "m1",
                "--initial-cluster", "m1=http://127.0.0.1:12380,m2=http://127.0.0.1:22380,m3=http://127.0.0.1:32380",
                "--initial-advertise-peer-urls", "http://127.0.0.1:12380", "--initial-cluster-token", "restored");
        same(List.of(), "snapshot", "restore", "DIR/snap.db", "--data-dir", "DIR/w", "--wal-dir", "DIR/w-wal");
        assertThat(Files.isDirectory(ourDir().resolve("w-wal"))).isTrue();
        same(List.of(), "snapshot", "restore", "DIR/snap.db", "--data-dir", "DIR/x", "--name", "x");
        same(List.of(), "snapshot", "restore", "DIR/snap.db", "--data-dir", "DIR/y", "--name", "m1",
                "--initial-cluster", "m1=http://127.0.0.1:12380");
        same(List.of(), "snapshot", "restore", "DIR/snap.db", "--data-dir", "DIR/z", "--initial-cluster", "bad");
        same(List.of(), "snapshot", "restore", "DIR/nosuch.db", "--data-dir", "DIR/n");
        same(List.of(), "snapshot", "restore");
    }

    @Test
    void aFileThatIsNoSnapshotIsAnInvalidDatabase() throws Exception {
        Path mixed = dir.resolve("mixed");
        Files.createDirectories(mixed);
        Files.write(mixed.resolve("garbage.db"), new byte[65536]);
        List<String> args = List.of("snapshot", "status", mixed.resolve("garbage.db").toString());
        assertThat(ToolRun.ours(args, Map.of(), "")).isEqualTo(ToolRun.reference(args, Map.of(), ""));
    }
}
