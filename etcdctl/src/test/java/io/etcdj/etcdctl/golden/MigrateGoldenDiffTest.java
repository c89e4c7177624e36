package io.etcdj.etcdctl.golden;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code etcdctl migrate}: the same v2 history written into etcd 3.4.23's data dir and into our
 * member's, each migrated by its own etcdctl, gives the same output and, once the member is started
 * again, the same v3 keys (values, create and mod revisions, versions) and the same next revision;
 * {@code --no-ttl} leaves the key with a TTL out in both. Refusals and help are etcdctl's byte for byte.
 */
class MigrateGoldenDiffTest {
    private static final Map<String, String> V2 = Map.of("ETCDCTL_API", "2");
    /**
     * Our member decides cluster version 3.5 where etcd 3.4.23 decides 3.4 (the server's, not migrate's,
     * doing); each member has a peer port of its own, and so its own ID.
     */
    private static final List<ToolRun.Mask> MEMBER_FACTS = List.of(
            new ToolRun.Mask("\"(cluster-version|from)\":\"3\\.[45]\"", "\"$1\":\"3.x\""),
            new ToolRun.Mask("\"added-peer-id\":\"[0-9a-f]+\"", "\"added-peer-id\":\"<id>\""),
            new ToolRun.Mask("http://127\\.0\\.0\\.1:\\d+", "http://127.0.0.1:<port>"));

    @TempDir
    Path dir;

    @Test
    void refusalsAndHelpAreEtcdctls() throws Exception {
        Files.createDirectories(dir.resolve("nowal/member/snap"));
        Files.createDirectories(dir.resolve("v2/member/snap"));
        Files.createDirectories(dir.resolve("v2/member/wal"));
        List<List<String>> commands = List.of(
                List.of("migrate", "--help"),
                List.of("migrate"),
                List.of("migrate", "--data-dir", dir.resolve("absent").toString()),
                List.of("migrate", "--data-dir", dir.resolve("nowal").toString()),
                List.of("migrate", "--data-dir", dir.resolve("v2").toString(), "--transformer", dir.resolve("absent").toString()),
                List.of("migrate", "--data-dir", dir.resolve("v2").toString(), "--transformer", "etcdj-no-such-transformer"),
                List.of("migrate", "--nosuch"));
        for (List<String> args : commands) {
            ToolRun ref = ToolRun.reference(args, Map.of(), "");
            ToolRun ours = ToolRun.ours(args, Map.of(), "");
            assertThat(ours).as("etcdctl %s", args).hasToString(ref.toString());
        }
    }

    @Test
    void v2KeysBecomeTheSameV3KeysAsEtcdctlMakesThem() throws Exception {
        Path ref = dir.resolve("ref");
        Path ours = dir.resolve("ours");
        try (EtcdProcess etcd = EtcdProcess.start("--enable-v2")) {
            writeHistory(etcd.endpoint());
            etcd.stop();
            copyTree(etcd.dataDir(), ref);
        }
        try (EtcdProcess etcd = EtcdProcess.startOurs("--enable-v2")) {
            writeHistory(etcd.endpoint());
            etcd.stop();
            copyTree(etcd.dataDir(), ours);
        }
        copyTree(ref, dir.resolve("ref-no-ttl"));
        copyTree(ours, dir.resolve("ours-no-ttl"));
        copyTree(ref, dir.resolve("ref-failing"));
        copyTree(ours, dir.resolve("ours-failing"));

        // A transformer that keeps what it is given and fails: no key is written, etcdctl says so.
        Path failing = dir.resolve("failing-transformer");
        Files.writeString(failing, "#!/bin/sh\ncat > \"$0.in\"\necho transformer says no >&2\nexit 3\n");
        Files.setPosixFilePermissions(failing, PosixFilePermissions.fromString("rwx------"));
        ToolRun refFailed = ToolRun.reference(List.of("migrate", "--data-dir", dir.resolve("ref-failing").toString(),
                "--transformer", failing.toString()), Map.of(), "");
        Path refGiven = Files.move(Path.of(failing + ".in"), dir.resolve("ref-given.json"));
        ToolRun ourFailed = ToolRun.ours(List.of("migrate", "--data-dir", dir.resolve("ours-failing").toString(),
                "--transformer", failing.toString()), Map.of(), "");
        assertThat(ourFailed.code()).isEqualTo(1);
        assertThat(ourFailed.stdout()).endsWith("failed to transform keys\n");
        assertThat(ourFailed.stderr()).isEqualTo("transformer says no\nError: exit status 3\n");
        assertThat(ourFailed.masked(MEMBER_FACTS)).hasToString(refFailed.masked(MEMBER_FACTS).toString());
        assertThat(withoutTtl(Files.readString(Path.of(failing + ".in"))))
                .isEqualTo(withoutTtl(Files.readString(refGiven)))
                .startsWith("{\"key\":\"/\",\"dir\":true,").contains("{\"key\":\"/q\",\"value\":\"a\\\"b\\u003cc\\u003e\"");
        assertThat(keysAfterRestart(dir.resolve("ours-failing"), false)).contains("\"count\":1}").contains("\"key\":\"djNrZXk=\"");

        ToolRun refRun = ToolRun.reference(List.of("migrate", "--data-dir", ref.toString()), Map.of(), "");
        ToolRun ourRun = ToolRun.ours(List.of("migrate", "--data-dir", ours.toString()), Map.of(), "");
        assertThat(ourRun.code()).as(ourRun.toString()).isZero();
        assertThat(ourRun.stdout()).startsWith("using default transformer\n").contains("\"msg\":\"added member\"")
                .endsWith("finished transforming keys\n");
        assertThat(ourRun.masked(MEMBER_FACTS)).hasToString(refRun.masked(MEMBER_FACTS).toString());
        String expected = keysAfterRestart(ref, true);
        assertThat(expected).contains("\"key\":\"L3Q=\""); // "/t", the key with a TTL
        assertThat(keysAfterRestart(ours, false)).isEqualTo(expected);

        List<String> noTtl = List.of("migrate", "--no-ttl", "--data-dir");
        ToolRun refNoTtl = ToolRun.reference(concat(noTtl, dir.resolve("ref-no-ttl")), Map.of(), "");
        ToolRun ourNoTtl = ToolRun.ours(concat(noTtl, dir.resolve("ours-no-ttl")), Map.of(), "");
        assertThat(ourNoTtl.masked(MEMBER_FACTS)).hasToString(refNoTtl.masked(MEMBER_FACTS).toString());
        String expectedNoTtl = keysAfterRestart(dir.resolve("ref-no-ttl"), true);
        assertThat(expectedNoTtl).doesNotContain("\"key\":\"L3Q=\"");
        assertThat(keysAfterRestart(dir.resolve("ours-no-ttl"), false)).isEqualTo(expectedNoTtl);
    }

    @Test
    void aDataDirWithoutV2KeysHasNothingToMigrate() throws Exception {
        Path ref = dir.resolve("ref");
        Path ours = dir.resolve("ours");
        try (EtcdProcess etcd = EtcdProcess.start()) {
            assertThat(etcdctl(Map.of(), "--endpoints", etcd.endpoint(), "put", "k", "v").code()).isZero();
            etcd.stop();
            copyTree(etcd.dataDir(), ref);
        }
        try (EtcdProcess etcd = EtcdProcess.startOurs()) {
            assertThat(etcdctl(Map.of(), "--endpoints", etcd.endpoint(), "put", "k", "v").code()).isZero();
            etcd.stop();
            copyTree(etcd.dataDir(), ours);
        }
        ToolRun refRun = ToolRun.reference(List.of("migrate", "--data-dir", ref.toString()), Map.of(), "");
        ToolRun ourRun = ToolRun.ours(List.of("migrate", "--data-dir", ours.toString()), Map.of(), "");
        assertThat(ourRun.stdout()).endsWith("no v2 keys to migrate\n");
        assertThat(ourRun.masked(MEMBER_FACTS)).hasToString(refRun.masked(MEMBER_FACTS).toString());
    }

    /**
     * A directory, keys in it and below, a key with a TTL, an empty directory, a hidden key, a value
     * that needs escaping, and a v3 key: the v2 indices (the future revisions) are the same in both.
     */
    private static void writeHistory(String endpoint) {
        String v2 = "http://" + endpoint;
        List<List<String>> writes = List.of(
                List.of("set", "/a", "1"), List.of("mkdir", "/d"), List.of("set", "/d/x", "2"),
                List.of("set", "/d/sub/y", "3"), List.of("set", "--ttl", "300", "/t", "tv"), List.of("mkdir", "/emptydir"),
                List.of("set", "/_hidden", "h"), List.of("set", "/q", "a\"b<c>"));
        for (List<String> w : writes) {
            ToolRun r = etcdctl(V2, concat(List.of("--no-sync", "--endpoints", v2), w).toArray(String[]::new));
            assertThat(r.code()).as("%s: %s", w, r).isZero();
        }
        assertThat(etcdctl(Map.of(), "--endpoints", endpoint, "put", "v3key", "v3val").code()).isZero();
    }

    /** The v3 keys a member started on {@code dataDir} serves, then the revision of a put, headers' IDs left out. */
    private static String keysAfterRestart(Path dataDir, boolean reference) throws Exception {
        try (EtcdProcess etcd = reference ? EtcdProcess.startOn(dataDir) : EtcdProcess.startOursOn(dataDir)) {
            ToolRun get = etcdctl(Map.of(), "--endpoints", etcd.endpoint(), "get", "--prefix", "", "-w", "json");
            ToolRun put = etcdctl(Map.of(), "--endpoints", etcd.endpoint(), "put", "after", "migrate", "-w", "json");
            assertThat(get.code()).as(get.toString()).isZero();
            return withoutIds(get.stdout()) + withoutIds(put.stdout());
        }
    }

    /** The nodes' JSON without the time a key with a TTL has left (the runs are seconds apart). */
    private static String withoutTtl(String json) {
        return json.replaceAll("\"expiration\":\"[^\"]*\",\"ttl\":\\d+", "<ttl>");
    }

    private static String withoutIds(String json) {
        return json.replaceAll("\"(cluster_id|member_id|raft_term)\":\\d+,?", "");
    }

    private static ToolRun etcdctl(Map<String, String> env, String... args) {
        return ToolRun.ours(List.of(args), env, "");
    }

    private static List<String> concat(List<String> a, Object last) {
        return Stream.concat(a.stream(), Stream.of(last.toString())).toList();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
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
}
