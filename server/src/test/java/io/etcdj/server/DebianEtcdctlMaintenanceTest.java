package io.etcdj.server;

import static io.etcdj.server.MaintenanceClusterTest.key;
import static io.etcdj.server.MaintenanceClusterTest.put;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.server.snapshot.SnapshotFormat;
import io.etcdj.server.snapshot.SnapshotUnpacker;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's etcdctl 3.4.23 (the reference client, as a process) drives the Maintenance service of an
 * in-process three-member cluster: endpoint hashkv, move-leader, alarm list / disarm after the quota
 * raised NOSPACE, defrag and snapshot save. Outputs are compared with what the reference etcd answers
 * for the same commands (IDs and hashes aside).
 */
class DebianEtcdctlMaintenanceTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void referenceEtcdctlMaintenanceCommandsWorkAgainstOurCluster() throws Exception {
        String etcdctl = Executables.findOnPath("etcdctl");
        assertThat(etcdctl).as("Debian's etcdctl must be installed (apt-get install etcd-client)").isNotNull();
        try (EtcdCluster c = EtcdCluster.startWithQuota(dir, 3, 4L * 1024 * 1024)) {
            int leader = c.awaitLeader(WAIT);
            for (int i = 0; i < 20; i++) {
                c.kv(i % 3).put(put("k" + i, "v" + i));
            }
            String all = "--endpoints=" + IntStream.range(0, 3).mapToObj(i -> endpoint(c, i)).collect(Collectors.joining(","));

            // endpoint hashkv: one line per member, all with the same hash once every member applied the writes
            long committed = c.server(leader).raftStatus().committedIndex();
            for (int i = 0; i < 3; i++) {
                int m = i;
                EtcdCluster.awaitCondition(WAIT, "m" + m + " applied", () -> c.server(m).raftStatus().appliedIndex() >= committed);
            }
            List<String> hashes = run(etcdctl, all, "endpoint", "hashkv").lines().toList();
            assertThat(hashes).hasSize(3);
            assertThat(hashes.get(0)).startsWith(endpoint(c, 0) + ", ");
            assertThat(hashes.stream().map(l -> l.substring(l.indexOf(", "))).distinct()).hasSize(1);
            assertThat(run(etcdctl, all, "endpoint", "hashkv", "-w", "json")).contains("\"compact_revision\":-1");

            // move-leader: etcdctl finds the leader among the endpoints and asks it
            int target = (leader + 1) % 3;
            String from = Long.toHexString(c.member(leader).memberId());
            String to = Long.toHexString(c.member(target).memberId());
            assertThat(run(etcdctl, all, "move-leader", to)).isEqualTo("Leadership transferred from " + from + " to " + to + "\n");
            assertThat(c.awaitLeader(WAIT)).isEqualTo(target);

            // over the quota: NOSPACE raised; listed and disarmed by etcdctl
            ByteString big = ByteString.copyFrom(new byte[200 * 1024]);
            boolean refused = false;
            for (int i = 0; i < 100 && !refused; i++) {
                try {
                    c.kv(target).put(PutRequest.newBuilder().setKey(key("big" + i)).setValue(big).build());
                } catch (StatusRuntimeException e) {
                    refused = true;
                }
            }
            assertThat(refused).as("a put over the 4 MiB quota is refused").isTrue();
            String alarm = "memberID:" + Long.toUnsignedString(c.member(target).memberId()) + " alarm:NOSPACE \n";
            assertThat(run(etcdctl, all, "alarm", "list")).isEqualTo(alarm);
            assertThat(run(etcdctl, "--endpoints=" + endpoint(c, 0), "alarm", "disarm")).isEqualTo(alarm);
            assertThat(run(etcdctl, all, "alarm", "list")).isEmpty();

            // defrag, one member at a time as etcdctl does
            assertThat(run(etcdctl, all, "defrag")).isEqualTo(IntStream.range(0, 3)
                    .mapToObj(i -> "Finished defragmenting etcd member[" + endpoint(c, i) + "]\n").collect(Collectors.joining()));

            // snapshot save: etcdctl 3.4 requires the SHA-256 trailer and saves the stream as is
            Path file = dir.resolve("saved.db");
            assertThat(run(etcdctl, "--endpoints=" + endpoint(c, 1), "snapshot", "save", file.toString()))
                    .isEqualTo("Snapshot saved at " + file + "\n");
            assertThat(SnapshotFormat.hasTrailer(Files.size(file))).isTrue();
            SnapshotUnpacker.unpack(file, dir.resolve("unpacked/db"), false);
        }
    }

    private static String endpoint(EtcdCluster c, int i) {
        return c.clientUrl(i).replace("http://", "");
    }

    /** Runs etcdctl (API v3) and returns its stdout; it must exit 0. */
    private String run(String etcdctl, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(etcdctl);
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().keySet().removeIf(k -> k.startsWith("ETCDCTL_"));
        pb.environment().put("ETCDCTL_API", "3");
        Path err = Files.createTempFile(dir, "etcdctl", ".err");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("etcdctl %s finished", cmd).isTrue();
        assertThat(p.exitValue()).as("etcdctl %s exit status; stderr: %s", cmd, Files.readString(err)).isZero();
        return new String(out, StandardCharsets.UTF_8);
    }

}
