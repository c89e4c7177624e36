package io.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The operator's drop-in on existing members: the reference etcd (3.4.23, and for one member 3.5 too) writes data and stops (SIGTERM,
 * or SIGKILL right after its writes were acknowledged), then bin/etcd, started with the same flags on the
 * same data dir, serves what etcd served: keys, revision, HashKV, members, leases, users and roles, v2
 * keys, and goes on. A corrupt etcd WAL is refused with its file and offset, and nothing of etcd's is touched.
 * Every process is real; Debian's etcdctl reads both. Runs in {@code mvn verify} (bin/etcd needs the jars).
 */
class EtcdDataDirImportIT {
    private static final String REFERENCE = "/usr/bin/etcd";
    /** Set by ./test-all, which unpacks Debian 13's etcd-server (3.5) beside the build, not over 3.4. */
    private static final String ETCD35_VARIABLE = "ETCD35_BIN";
    private static final Path OURS = Path.of("..", "bin", "etcd").toAbsolutePath().normalize();
    /** Generous: three JVM members importing at once on a loaded 2-core machine took over 40 s. */
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Pattern REVISION = Pattern.compile("\"revision\":(\\d+)");
    private static final Pattern HASH = Pattern.compile("\"hash\":(\\d+)");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;
    private final List<Process> running = new ArrayList<>();
    private final String etcdctl = Executables.findOnPath("etcdctl");

    /** One member's flags: the same for etcd and for ours. */
    private record Member(String name, String ip, int clientPort, int peerPort, Path dataDir) {
        String client() {
            return "http://" + ip + ":" + clientPort;
        }

        String peer() {
            return "http://" + ip + ":" + peerPort;
        }

        String endpoint() {
            return ip + ":" + clientPort;
        }
    }

    @AfterEach
    void stopAll() throws InterruptedException {
        for (Process p : running) {
            if (p.isAlive()) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** The etcd binaries whose data dirs a one-member swap is checked on: Debian 12's 3.4.23 and Debian 13's 3.5. */
    static Stream<String> references() {
        String etcd35 = System.getenv(ETCD35_VARIABLE);
        if (etcd35 == null || !Files.isExecutable(Path.of(etcd35))) {
            throw new AssertionError("$" + ETCD35_VARIABLE + " must name etcd 3.5's binary: ./test-all unpacks Debian 13's "
                    + "etcd-server and sets it (got " + etcd35 + ")");
        }
        return Stream.of(REFERENCE, etcd35);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("references")
    void aStoppedMemberComesBackWithItsDataAndACorruptWalIsRefusedUntouched(String reference) throws Exception {
        List<Member> cluster = members(1);
        Member m = cluster.get(0);
        // a raft snapshot (holding the v2 store) within the writes, and v2 writes before and after it
        List<String> flags = List.of("--enable-v2", "--snapshot-count=10");
        Process etcd = start(reference, m, cluster, flags, "etcd.log");
        awaitServing(m, etcd);
        v2Put(m, "x", "1");
        v2Put(m, "dir/y", "2");
        ctl(m, "put", "a", "1");
        ctl(m, "put", "a", "2");
        ctl(m, "put", "b", "x");
        ctl(m, "del", "b");
        ctlWithInput(m, "\nput c 3\nput d 4\n\n\n", "txn");
        v2Put(m, "x", "3");
        String lease = ctl(m, "lease", "grant", "600").split(" ")[1];
        ctl(m, "put", "leased", "v", "--lease=" + lease);
        ctl(m, "compact", "3");
        ctl(m, "user", "add", "alice:secret");
        ctl(m, "role", "add", "reader");
        ctl(m, "role", "grant-permission", "reader", "read", "a");
        ctl(m, "user", "grant-role", "alice", "reader");
        v2Put(m, "z", "4");
        Map<String, String> before = observe(m, lease);
        before.put("v2", v2Get(m));
        assertThat(m.dataDir().resolve("member/snap")).isDirectoryContaining("glob:**.snap");
        etcd.destroy();
        assertThat(etcd.waitFor(20, TimeUnit.SECONDS)).as("etcd stops on SIGTERM").isTrue();
        Path corruptCopy = dir.resolve("corrupt.etcd");
        copyTree(m.dataDir(), corruptCopy);

        Process ours = start(OURS.toString(), m, cluster, flags, "ours.log");
        awaitServing(m, ours);
        Map<String, String> after = observe(m, lease);
        after.put("v2", v2Get(m));
        assertThat(after).isEqualTo(before);
        assertThat(Files.readString(dir.resolve("ours.log"))).contains("imported etcd's data dir");
        assertThat(m.dataDir().resolve("member.etcd-import-backup/snap/db")).isRegularFile();
        long revision = Long.parseLong(before.get("revision"));
        assertThat(ctl(m, "put", "after", "1", "-w", "json")).contains("\"revision\":" + (revision + 1));
        ours.destroy();
        assertThat(ours.waitFor(20, TimeUnit.SECONDS)).isTrue();

        // a crash between the swap's two renames (etcd's moved aside, ours not yet in place): finished at start
        Path staging = m.dataDir().resolve("member.etcd-import-staging");
        Files.createDirectories(staging);
        Files.move(m.dataDir().resolve("member"), staging.resolve("member"));
        ours = start(OURS.toString(), m, cluster, flags, "ours-finishing.log");
        awaitServing(m, ours);
        assertThat(Files.readString(dir.resolve("ours-finishing.log"))).contains("finishing the import");
        assertThat(ctl(m, "get", "after", "--print-value-only")).isEqualTo("1\n");
        assertThat(staging).doesNotExist();
        ours.destroy();
        assertThat(ours.waitFor(20, TimeUnit.SECONDS)).isTrue();

        // a flipped byte inside an entry in the middle of etcd's WAL: refused, every file as it was
        Path wal = onlyWalSegment(corruptCopy);
        long offset = flipByteOfMiddleEntry(wal);
        Map<String, String> untouched = digests(corruptCopy);
        Member onCopy = new Member(m.name(), m.ip(), m.clientPort(), m.peerPort(), corruptCopy);
        Process refused = start(OURS.toString(), onCopy, List.of(onCopy), List.of(), "refused.log");
        assertThat(refused.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("ours exits on a corrupt WAL").isTrue();
        assertThat(refused.exitValue()).isNotZero();
        assertThat(Files.readString(dir.resolve("refused.log")))
                .contains("corrupt record in " + wal + " at byte offset " + offset);
        assertThat(digests(corruptCopy)).isEqualTo(untouched);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("references")
    void aMemberKilledRightAfterItsWritesKeepsEveryAcknowledgedOne(String reference) throws Exception {
        List<Member> cluster = members(1);
        Member m = cluster.get(0);
        // etcd commits its backend at most every 10 s here: everything is in its WAL only when it dies
        List<String> lazyBackend = List.of("--backend-batch-interval=10s");
        Process etcd = start(reference, m, cluster, lazyBackend, "etcd.log");
        awaitServing(m, etcd);
        for (int i = 0; i < 5; i++) {
            ctl(m, "put", "k" + i, "v" + i);
        }
        String lease = ctl(m, "lease", "grant", "600").split(" ")[1];
        ctl(m, "put", "leased", "v", "--lease=" + lease);
        ctl(m, "user", "add", "root:rootpw");
        ctl(m, "auth", "enable");
        Map<String, String> before = observe(m, lease, "--user=root:rootpw");

        // while etcd serves the data dir, ours refuses to touch it (other ports: only the data dir is shared)
        Member sameDir = new Member(m.name(), m.ip(), EtcdCluster.freePort(), EtcdCluster.freePort(), m.dataDir());
        Process refused = start(OURS.toString(), sameDir, List.of(sameDir), lazyBackend, "refused-in-use.log");
        assertThat(refused.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("ours exits on a data dir in use").isTrue();
        assertThat(refused.exitValue()).isNotZero();
        assertThat(Files.readString(dir.resolve("refused-in-use.log"))).contains("is in use: another process");
        assertThat(m.dataDir().resolve("member.etcd-import-backup")).doesNotExist();
        assertThat(m.dataDir().resolve("member.etcd-import-staging")).doesNotExist();
        assertThat(observe(m, lease, "--user=root:rootpw")).isEqualTo(before);

        etcd.destroyForcibly();
        assertThat(etcd.waitFor(20, TimeUnit.SECONDS)).isTrue();

        Process ours = start(OURS.toString(), m, cluster, lazyBackend, "ours.log");
        awaitServing(m, ours, "--user=root:rootpw");
        assertThat(observe(m, lease, "--user=root:rootpw")).isEqualTo(before);
        long replayed = Long.parseLong(match(Pattern.compile("applied index \\d+, (\\d+) entries after it"),
                Files.readString(dir.resolve("ours.log"))));
        assertThat(replayed).as("the writes etcd's backend did not hold came from its WAL").isGreaterThanOrEqualTo(9);
        assertThat(ctlFailing(m, "get", "k4", "--user=root:wrong"))
                .as("a wrong password is refused").contains("authentication failed");
    }

    @Test
    void aThreeMemberClusterComesBackWithItsIdsRevisionAndHash() throws Exception {
        List<Member> cluster = members(3);
        List<Process> reference = new ArrayList<>();
        for (Member m : cluster) {
            reference.add(start(REFERENCE, m, cluster, List.of(), "etcd-" + m.name() + ".log"));
        }
        for (int i = 0; i < 3; i++) {
            awaitServing(cluster.get(i), reference.get(i));
        }
        Member first = cluster.get(0);
        for (int i = 0; i < 10; i++) {
            ctl(first, "put", "key" + (i % 4), "value" + i);
        }
        ctl(first, "del", "key3");
        String members = ctl(first, "member", "list");
        String revision = match(REVISION, ctl(first, "endpoint", "status", "-w", "json"));
        String hash = match(HASH, ctl(first, "endpoint", "hashkv", "-w", "json"));
        String keys = ctl(first, "get", "--prefix", "");
        for (Process p : reference) {
            p.destroy();
        }
        for (Process p : reference) {
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        }

        List<Process> ours = new ArrayList<>();
        for (Member m : cluster) {
            ours.add(start(OURS.toString(), m, cluster, List.of(), "ours-" + m.name() + ".log"));
        }
        for (int i = 0; i < 3; i++) {
            awaitServing(cluster.get(i), ours.get(i));
        }
        assertThat(ctl(first, "member", "list")).isEqualTo(members);
        for (Member m : cluster) {
            assertThat(ctl(m, "get", "--prefix", "", "--consistency=s")).as(m.name()).isEqualTo(keys);
            assertThat(match(REVISION, ctl(m, "endpoint", "status", "-w", "json"))).as(m.name()).isEqualTo(revision);
            assertThat(match(HASH, ctl(m, "endpoint", "hashkv", "-w", "json"))).as(m.name()).isEqualTo(hash);
        }
        assertThat(ctl(cluster.get(2), "put", "after", "1", "-w", "json"))
                .contains("\"revision\":" + (Long.parseLong(revision) + 1));
    }

    /** What a client sees of one member: keys, revision, HashKV, members, the lease, users and roles. */
    private Map<String, String> observe(Member m, String lease, String... auth) throws Exception {
        Map<String, String> seen = new TreeMap<>();
        seen.put("keys", ctl(m, with(auth, "get", "--prefix", "", "-w", "fields")).replaceAll("\"RaftTerm\" : \\d+", ""));
        seen.put("revision", match(REVISION, ctl(m, with(auth, "endpoint", "status", "-w", "json"))));
        seen.put("hashkv", ctl(m, with(auth, "endpoint", "hashkv", "-w", "json")).replaceAll("\"raft_term\":\\d+", ""));
        seen.put("members", ctl(m, with(auth, "member", "list")));
        seen.put("leases", ctl(m, with(auth, "lease", "list")));
        seen.put("lease", ctl(m, with(auth, "lease", "timetolive", lease, "--keys")).replaceAll("remaining\\(\\d+s\\)", ""));
        seen.put("users", ctl(m, with(auth, "user", "list")));
        seen.put("roles", ctl(m, with(auth, "role", "list")));
        return seen;
    }

    private static void v2Put(Member m, String key, String value) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(m.client() + "/v2/keys/" + key))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .PUT(HttpRequest.BodyPublishers.ofString("value=" + value)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isIn(200, 201);
    }

    /** Every v2 key, recursively and sorted (the body only: the index header moves on with each start). */
    private static String v2Get(Member m) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(m.client() + "/v2/keys/?recursive=true&sorted=true")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String[] with(String[] auth, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(auth));
        return all.toArray(String[]::new);
    }

    private List<Member> members(int n) {
        List<Member> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add(new Member("m" + i, "127.0.0." + i, EtcdCluster.freePort(), EtcdCluster.freePort(),
                    dir.resolve("m" + i + ".etcd")));
        }
        return out;
    }

    private Process start(String binary, Member m, List<Member> cluster, List<String> extra, String log)
            throws IOException {
        List<String> args = new ArrayList<>(List.of(binary, "--name", m.name(), "--data-dir", m.dataDir().toString(),
                "--listen-client-urls", m.client(), "--advertise-client-urls", m.client(),
                "--listen-peer-urls", m.peer(), "--initial-advertise-peer-urls", m.peer(),
                "--initial-cluster", String.join(",", cluster.stream().map(c -> c.name() + "=" + c.peer()).toList()),
                "--initial-cluster-token", "import-test"));
        args.addAll(extra);
        Process p = new ProcessBuilder(args).redirectErrorStream(true).redirectOutput(dir.resolve(log).toFile()).start();
        running.add(p);
        return p;
    }

    private void awaitServing(Member m, Process p, String... auth) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            assertThat(p.isAlive()).as("%s is running", m.name()).isTrue();
            List<String> cmd = new ArrayList<>(List.of(etcdctl, "--endpoints=" + m.endpoint(), "--dial-timeout=1s",
                    "--command-timeout=2s", "get", "ready?"));
            cmd.addAll(List.of(auth));
            Process probe = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            probe.getInputStream().readAllBytes();
            if (probe.waitFor() == 0) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(m.name() + " did not serve within " + WAIT + "; the logs' last lines:\n" + logTails());
            }
            Thread.sleep(100); // polling interval of a condition with a deadline
        }
    }

    /** The end of every process log written so far, for a failure message. */
    private String logTails() throws IOException {
        StringBuilder b = new StringBuilder();
        try (Stream<Path> logs = Files.list(dir)) {
            for (Path log : logs.filter(f -> f.toString().endsWith(".log")).sorted().toList()) {
                String text = Files.readString(log);
                b.append("--- ").append(log.getFileName()).append('\n').append(text.substring(Math.max(0, text.length() - 3000)));
            }
        }
        return b.toString();
    }

    private String ctl(Member m, String... args) throws Exception {
        return ctlWithInput(m, null, args);
    }

    private String ctlWithInput(Member m, String input, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(etcdctl, "--endpoints=" + m.endpoint()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (input != null) {
            p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("etcdctl %s:\n%s", cmd, out).isZero();
        return out;
    }

    /** etcdctl's output where it is to fail. */
    private String ctlFailing(Member m, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(etcdctl, "--endpoints=" + m.endpoint()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("etcdctl %s:\n%s", cmd, out).isNotZero();
        return out;
    }

    private static String match(Pattern p, String text) {
        Matcher m = p.matcher(text);
        assertThat(m.find()).as("%s in %s", p, text).isTrue();
        return m.group(1);
    }

    private static Path onlyWalSegment(Path dataDir) throws IOException {
        try (Stream<Path> s = Files.list(dataDir.resolve("member/wal"))) {
            List<Path> segments = s.filter(p -> p.toString().endsWith(".wal")).toList();
            assertThat(segments).hasSize(1);
            return segments.get(0);
        }
    }

    /**
     * Flips the last byte of the record of the middle frame of an etcd WAL segment (frames: a little-endian
     * length word whose low 56 bits are the record's length, the top byte's low 3 bits its padding); returns
     * the frame's offset.
     */
    private static long flipByteOfMiddleEntry(Path segment) throws IOException {
        byte[] b = Files.readAllBytes(segment);
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        List<long[]> frames = new ArrayList<>();
        for (int off = 0; buf.getLong(off) != 0; ) {
            long word = buf.getLong(off);
            int len = (int) (word & 0x00FFFFFFFFFFFFFFL);
            int pad = word < 0 ? (int) ((word >>> 56) & 7) : 0;
            frames.add(new long[] {off, len});
            off += 8 + len + pad;
        }
        long[] middle = frames.get(frames.size() / 2);
        int at = (int) (middle[0] + 8 + middle[1] - 1);
        b[at] ^= 0x01;
        Files.write(segment, b);
        return middle[0];
    }

    /** A SHA-256 of every file under {@code tree}, and the names beside it that begin with its name. */
    private static Map<String, String> digests(Path tree) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.list(tree.getParent())) {
            out.put("beside", String.join(",", s.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith(tree.getFileName().toString())).sorted().toList()));
        }
        try (Stream<Path> s = Files.walk(tree)) {
            for (Path p : s.toList()) {
                out.put(tree.relativize(p).toString(), Files.isDirectory(p) ? "dir"
                        : HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
            }
        }
        return out;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
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
