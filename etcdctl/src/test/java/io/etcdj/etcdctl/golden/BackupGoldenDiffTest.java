package io.etcdj.etcdctl.golden;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.etcdutl.EtcdutlMain;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ETCDCTL_API=2 etcdctl backup} and {@code etcdutl backup}: a data dir of our member, with v3
 * and v2 keys, backed up and started with {@code --force-new-cluster} serves those keys (v3 ones
 * only when the backup was made with {@code --with-v3}) as a one-member cluster with another member
 * ID, peer URL {@code http://localhost:2380}, as etcd 3.4.23 shows after the same steps. The refusals
 * (no source, a backup dir in use) and the help page are compared with Debian's etcdctl byte for byte,
 * log times masked. (A successful backup's log lines name the entries dropped, which differ between
 * our log and etcd's for the same history; their shape is checked here.)
 */
class BackupGoldenDiffTest {
    private static final Map<String, String> V2 = Map.of("ETCDCTL_API", "2");
    private static final List<ToolRun.Mask> TIMES = List.of(
            new ToolRun.Mask("(?m)^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6} ([IW]) \\| ", "<time> $1 | "));

    @TempDir
    Path dir;

    @Test
    void refusalsAndHelpAreEtcdctls() throws Exception {
        Files.createDirectories(dir.resolve("used/member/snap/db")); // mode 755: etcd warns about it
        List<List<String>> commands = List.of(
                List.of("backup", "--help"),
                List.of("backup", "--data-dir", dir.resolve("absent").toString(), "--backup-dir", dir.resolve("new").toString()),
                List.of("backup", "--data-dir", dir.resolve("absent").toString(), "--backup-dir", dir.resolve("used").toString()));
        for (List<String> args : commands) {
            ToolRun ref = ToolRun.reference(args, V2, "").masked(TIMES);
            deleteTree(dir.resolve("new"));
            ToolRun ours = ToolRun.ours(args, V2, "").masked(TIMES);
            assertThat(ours).as("etcdctl %s", args).hasToString(ref.toString());
        }
    }

    @Test
    void aBackupStartsWithForceNewClusterAsAnotherMemberWithTheKeys() throws Exception {
        Path source;
        String originalId;
        try (EtcdProcess original = EtcdProcess.startOurs("--enable-v2")) {
            String ep = original.endpoint();
            assertThat(etcdctl(Map.of(), "--endpoints", ep, "put", "k3", "v3").code()).isZero();
            assertThat(etcdctl(V2, "--endpoints", "http://" + ep, "set", "/k2", "v2").code()).isZero();
            originalId = etcdctl(Map.of(), "--endpoints", ep, "member", "list").stdout().split(",")[0];
            original.stop();
            source = dir.resolve("source");
            copyTree(original.dataDir(), source);
        }

        ToolRun v2Only = etcdctl(V2, "backup", "--data-dir", source.toString(), "--backup-dir", dir.resolve("v2only").toString());
        assertThat(v2Only.code()).as(v2Only.toString()).isZero();
        assertThat(v2Only.stdout()).isEmpty();
        assertThat(v2Only.masked(TIMES).stderr()).contains(
                "<time> I | ignoring EntryConfChange raft entry\n",
                "<time> I | ignoring v3 raft entry\n",
                "<time> I | ignoring member attribute update on /0/members/" + originalId + "/attributes\n");
        assertThat(v2Only.masked(TIMES).stderr().lines()).allMatch(l -> l.startsWith("<time> I | ignoring "));
        startedBackup(dir.resolve("v2only"), originalId, false);

        ToolRun withV3 = etcdctl(V2, "backup", "--data-dir", source.toString(), "--backup-dir", dir.resolve("v3").toString(),
                "--with-v3");
        assertThat(withV3.code()).as(withV3.toString()).isZero();
        assertThat(withV3.stderr()).doesNotContain("ignoring v3 raft entry");
        startedBackup(dir.resolve("v3"), originalId, true);

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream logStream = new PrintStream(log, true, StandardCharsets.UTF_8);
        int status = EtcdutlMain.run(List.of("backup", "--data-dir", source.toString(),
                "--backup-dir", dir.resolve("etcdutl").toString()), logStream, logStream);
        assertThat(status).as(log.toString()).isZero();
        startedBackup(dir.resolve("etcdutl"), originalId, true); // etcdutl's --with-v3 is on by default

        ToolRun again = etcdctl(V2, "backup", "--data-dir", source.toString(), "--backup-dir", dir.resolve("v3").toString());
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.masked(TIMES).stderr()).isEqualTo("<time> I | failed creating backup snapshot dir "
                + dir.resolve("v3/member/snap") + ": expected \"" + dir.resolve("v3/member/snap") + "\" to be empty, got [\"db\"]\n");
    }

    /** Starts a member on the backup with --force-new-cluster and checks what it serves. */
    private static void startedBackup(Path backup, String originalId, boolean withV3) throws Exception {
        try (EtcdProcess restored = EtcdProcess.startOursOn(backup, "--force-new-cluster", "--enable-v2")) {
            String ep = restored.endpoint();
            assertThat(etcdctl(Map.of(), "--endpoints", ep, "get", "k3").stdout()).isEqualTo(withV3 ? "k3\nv3\n" : "");
            assertThat(etcdctl(V2, "--endpoints", "http://" + ep, "get", "/k2").stdout()).isEqualTo("v2\n");
            String members = etcdctl(Map.of(), "--endpoints", ep, "member", "list").stdout();
            assertThat(members).matches("[0-9a-f]+, started, golden, http://localhost:2380, http://" + ep + ", false\n");
            assertThat(members.split(",")[0]).isNotEqualTo(originalId);
            assertThat(etcdctl(Map.of(), "--endpoints", ep, "put", "after", "backup").stdout()).isEqualTo("OK\n");
        }
    }

    private static ToolRun etcdctl(Map<String, String> env, String... args) {
        return ToolRun.ours(List.of(args), env, "");
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws Exception {
        if (!Files.exists(root)) {
            return;
        }
        List<Path> all;
        try (Stream<Path> s = Files.walk(root)) {
            all = new ArrayList<>(s.sorted(Comparator.reverseOrder()).toList());
        }
        for (Path p : all) {
            Files.delete(p);
        }
    }
}
