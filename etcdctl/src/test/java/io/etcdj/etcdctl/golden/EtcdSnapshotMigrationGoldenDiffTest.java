package io.etcdj.etcdctl.golden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdj.mvcc.backend.bbolt.BboltFile;
import io.etcdj.mvcc.backend.bbolt.BboltFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Migrating from a real etcd: the reference etcd 3.4.23 is given enough data that its bbolt file has
 * branch pages and overflow pages (600 keys, a 9 KB value), a lease, a user and a role and auth
 * enabled; Debian's etcdctl saves a snapshot of it. Our {@code snapshot status} of that file must print
 * what Debian's prints, byte for byte, and our {@code snapshot restore} must give a data dir on which our
 * member serves the same keys, revision, HashKV, leases, users and roles as the reference did.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EtcdSnapshotMigrationGoldenDiffTest {
    private static final List<String> ROOT = List.of("--user", "root:rootpw");

    @TempDir
    static Path dir;

    private EtcdProcess reference;
    private Path snapshot;
    /** What the reference served just before the snapshot, each reading's output by name. */
    private final Map<String, String> served = new LinkedHashMap<>();

    @BeforeAll
    void writeToTheReferenceAndSaveItsSnapshot() throws Exception {
        reference = EtcdProcess.start();
        Map<String, String> env = Map.of("ETCDCTL_ENDPOINTS", reference.endpoint());
        for (int i = 0; i < 600; i++) {
            ok(ToolRun.ours(List.of("put", String.format("key%04d", i), "value-" + i + "-" + "x".repeat(i % 64)), env, ""));
        }
        ok(ToolRun.ours(List.of("put", "big", "b".repeat(9000)), env, ""));
        ok(ToolRun.ours(List.of("del", "key0007"), env, ""));
        String grant = ok(ToolRun.ours(List.of("lease", "grant", "3600"), env, "")).stdout();
        String leaseId = grant.split(" ")[1];
        ok(ToolRun.ours(List.of("put", "leased", "v", "--lease", leaseId), env, ""));
        ok(ToolRun.ours(List.of("user", "add", "root:rootpw"), env, ""));
        ok(ToolRun.ours(List.of("role", "add", "reader"), env, ""));
        ok(ToolRun.ours(List.of("role", "grant-permission", "reader", "read", "key", "--prefix"), env, ""));
        ok(ToolRun.ours(List.of("user", "add", "alice:alicepw"), env, ""));
        ok(ToolRun.ours(List.of("user", "grant-role", "alice", "reader"), env, ""));
        ok(ToolRun.ours(List.of("auth", "enable"), env, ""));
        readEverything(env, served);
        snapshot = dir.resolve("etcd-snapshot.db");
        ok(ToolRun.reference(with(ROOT, "snapshot", "save", snapshot.toString()), env, ""));
    }

    @AfterAll
    void stop() {
        if (reference != null) {
            reference.close();
        }
    }

    @Test
    void statusOfEtcdsSnapshotIsWhatEtcdctlPrints() throws Exception {
        for (String w : List.of("simple", "table", "json", "fields")) {
            List<String> args = List.of("snapshot", "status", snapshot.toString(), "-w", w);
            ToolRun ref = ToolRun.reference(args, Map.of(), "");
            assertThat(ref.code()).as("%s", ref).isZero();
            assertThat(ToolRun.ours(args, Map.of(), "")).as("-w %s", w).isEqualTo(ref);
        }
    }

    @Test
    void ourMemberRestoredFromEtcdsSnapshotServesWhatEtcdServed() throws Exception {
        Path dataDir = dir.resolve("restored.etcd");
        ToolRun restore = ToolRun.ours(List.of("snapshot", "restore", snapshot.toString(), "--data-dir", dataDir.toString(),
                "--name", "golden", "--initial-cluster", "golden=http://localhost:2380"), Map.of(), "");
        ok(restore);
        try (EtcdProcess ours = EtcdProcess.startOursOn(dataDir, ROOT)) {
            Map<String, String> now = new LinkedHashMap<>();
            readEverything(Map.of("ETCDCTL_ENDPOINTS", ours.endpoint()), now);
            assertThat(now).isEqualTo(served);
            ToolRun noUser = ToolRun.ours(List.of("get", "key0001"), Map.of("ETCDCTL_ENDPOINTS", ours.endpoint()), "");
            assertThat(noUser.code()).as("auth stays enabled: %s", noUser).isNotZero();
        }
    }

    @Test
    void restoreChecksTheTrailerAsEtcdDoes() throws Exception {
        Path copy = dir.resolve("flipped.db");
        byte[] bytes = Files.readAllBytes(snapshot);
        bytes[bytes.length / 2] ^= 1;
        Files.write(copy, bytes);
        ToolRun r = ToolRun.ours(List.of("snapshot", "restore", copy.toString(), "--data-dir",
                dir.resolve("never.etcd").toString()), Map.of(), "");
        assertThat(r.code()).isNotZero();
        assertThat(r.stderr()).contains("expected sha256 [");

        Path plainDb = dir.resolve("plain.db");
        Files.write(plainDb, Arrays.copyOf(Files.readAllBytes(snapshot), bytes.length - 32));
        ToolRun noHash = ToolRun.ours(List.of("snapshot", "restore", plainDb.toString(), "--data-dir",
                dir.resolve("never2.etcd").toString()), Map.of(), "");
        assertThat(noHash.stderr()).contains("snapshot missing hash but --skip-hash-check=false");
        ok(ToolRun.ours(List.of("snapshot", "restore", plainDb.toString(), "--skip-hash-check", "--data-dir",
                dir.resolve("copied.etcd").toString()), Map.of(), ""));
    }

    @Test
    void aDamagedOrTruncatedBboltFileIsAClearError() throws Exception {
        byte[] good = Files.readAllBytes(snapshot);
        int pageSize;
        try (BboltFile f = BboltFile.open(snapshot)) {
            pageSize = f.pageSize();
            assertThat(f.size()).isEqualTo(good.length - 32);
        }

        Path truncated = dir.resolve("truncated.db");
        Files.write(truncated, Arrays.copyOf(good, good.length / 2));
        assertThatThrownBy(() -> BboltFile.open(truncated)).isInstanceOf(BboltFormatException.class)
                .hasMessageContaining("truncated");

        Path oneMetaDamaged = dir.resolve("meta0.db");
        byte[] meta0 = good.clone();
        meta0[16 + 48] ^= 1; // meta 0's txid: its checksum fails, meta 1 is still valid
        Files.write(oneMetaDamaged, meta0);
        try (BboltFile f = BboltFile.open(oneMetaDamaged)) {
            f.walk(countingVisitor());
        }

        Path bothMetasDamaged = dir.resolve("metas.db");
        byte[] metas = meta0.clone();
        metas[pageSize + 16 + 48] ^= 1;
        Files.write(bothMetasDamaged, metas);
        assertThatThrownBy(() -> BboltFile.open(bothMetasDamaged)).hasMessage("checksum error");

        // every data page with its type flags wiped: whichever the walk reaches first, it stops there
        byte[] wiped = good.clone();
        for (int page = 2; (page + 1) * pageSize <= good.length - 32; page++) {
            wiped[page * pageSize + 8] = 0x7f;
        }
        Path wipedFile = dir.resolve("wiped.db");
        Files.write(wipedFile, wiped);
        try (BboltFile f = BboltFile.open(wipedFile)) {
            assertThatThrownBy(() -> f.walk(countingVisitor())).isInstanceOf(BboltFormatException.class)
                    .hasMessageContaining("invalid page type");
        }
        ToolRun status = ToolRun.ours(List.of("snapshot", "status", wipedFile.toString()), Map.of(), "");
        assertThat(status.code()).isNotZero();
        assertThat(status.stderr()).contains("invalid page type");
    }

    private static BboltFile.Visitor countingVisitor() {
        return new BboltFile.Visitor() {
            @Override
            public boolean bucket(List<byte[]> parents, byte[] name) {
                return true;
            }

            @Override
            public void entry(List<byte[]> path, byte[] key, byte[] value) {
            }
        };
    }

    /** What a client sees: every key, the revision, HashKV, leases, users and roles. */
    private static void readEverything(Map<String, String> env, Map<String, String> into) throws Exception {
        into.put("get", ok(ToolRun.ours(with(ROOT, "get", "", "--from-key"), env, "")).stdout());
        into.put("get (Debian's etcdctl)", ok(ToolRun.reference(with(ROOT, "get", "", "--from-key"), env, "")).stdout());
        into.put("get --rev 300", ok(ToolRun.ours(with(ROOT, "get", "key", "--prefix", "--rev", "300", "--keys-only"),
                env, "")).stdout());
        String hashKv = ok(ToolRun.reference(with(ROOT, "endpoint", "hashkv", "-w", "json"), env, "")).stdout();
        into.put("hashkv", field(hashKv, "\"hash\":([0-9]+)") + " at " + field(hashKv, "\"revision\":([0-9]+)"));
        String status = ok(ToolRun.ours(with(ROOT, "endpoint", "status", "-w", "json"), env, "")).stdout();
        into.put("revision", field(status, "\"revision\":([0-9]+)"));
        into.put("lease list", ok(ToolRun.reference(with(ROOT, "lease", "list"), env, "")).stdout());
        into.put("user list", ok(ToolRun.reference(with(ROOT, "user", "list"), env, "")).stdout());
        into.put("user get alice", ok(ToolRun.ours(with(ROOT, "user", "get", "alice"), env, "")).stdout());
        into.put("role get reader", ok(ToolRun.reference(with(ROOT, "role", "get", "reader"), env, "")).stdout());
        into.put("auth status", ok(ToolRun.ours(with(ROOT, "auth", "status"), env, "")).stdout());
    }

    private static String field(String json, String regex) {
        Matcher m = Pattern.compile(regex).matcher(json);
        assertThat(m.find()).as("%s in %s", regex, json).isTrue();
        return m.group(1);
    }

    private static List<String> with(List<String> flags, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(flags);
        return all;
    }

    private static ToolRun ok(ToolRun r) {
        assertThat(r.code()).as("%s", r).isZero();
        return r;
    }
}
