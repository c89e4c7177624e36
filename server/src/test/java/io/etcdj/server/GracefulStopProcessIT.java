package io.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.MaintenanceGrpc;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.StatusRequest;
import io.etcdj.api.etcdserverpb.StatusResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario: systemd (or an operator's Ctrl-C) stops bin/etcd with SIGTERM. The process finishes
 * what it acknowledged, closes its WAL and backend and exits with status 0; after a restart every
 * acknowledged write is there. A leader of a three-member cluster hands leadership over before
 * it goes, so another member leads well within one election timeout.
 * Runs in {@code mvn verify} (failsafe), after the jar and its classpath are packaged.
 */
class GracefulStopProcessIT {
    private static final Path BIN_ETCD = Path.of("..", "bin", "etcd").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();
    private final List<ManagedChannel> channels = new ArrayList<>();

    @AfterEach
    void stopEverything() throws InterruptedException {
        channels.forEach(ManagedChannel::shutdownNow);
        for (Process p : processes) {
            if (p.isAlive()) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** One member's command line and its client channel. */
    private final class Member {
        final String name;
        final String client;
        final List<String> args;
        Process process;
        ManagedChannel channel;
        int starts;

        Member(String name, String client, List<String> args) {
            this.name = name;
            this.client = client;
            this.args = args;
        }

        void start() throws IOException {
            starts++;
            process = new ProcessBuilder(args).redirectErrorStream(true)
                    .redirectOutput(log().toFile()).start();
            processes.add(process);
            if (channel == null) {
                channel = NettyChannelBuilder.forTarget(client.replace("http://", "")).usePlaintext().build();
                channels.add(channel);
            }
        }

        Path log() {
            return dir.resolve(name + "-" + starts + ".log");
        }

        KVGrpc.KVBlockingStub kv() {
            return KVGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);
        }

        Optional<StatusResponse> status() {
            try {
                return Optional.of(MaintenanceGrpc.newBlockingStub(channel).withDeadlineAfter(1, TimeUnit.SECONDS)
                        .status(StatusRequest.getDefaultInstance()));
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        }

        /** Sends SIGTERM and returns the exit status (the process must end within 30 s). */
        int terminate() throws InterruptedException {
            process.destroy(); // SIGTERM
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("%s stops within 30 s of SIGTERM", name).isTrue();
            return process.exitValue();
        }
    }

    private List<Member> cluster(int size, String... extraFlags) {
        List<String> clients = new ArrayList<>();
        List<String> peers = new ArrayList<>();
        StringBuilder initial = new StringBuilder();
        for (int i = 0; i < size; i++) {
            clients.add("http://127.0.0.1:" + EtcdCluster.freePort());
            peers.add("http://127.0.0.1:" + EtcdCluster.freePort());
            initial.append(i == 0 ? "" : ",").append("m").append(i).append('=').append(peers.get(i));
        }
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            List<String> args = new ArrayList<>(List.of(BIN_ETCD.toString(), "--name", "m" + i,
                    "--data-dir", dir.resolve("m" + i + ".etcd").toString(),
                    "--listen-client-urls", clients.get(i), "--advertise-client-urls", clients.get(i),
                    "--listen-peer-urls", peers.get(i), "--initial-advertise-peer-urls", peers.get(i),
                    "--initial-cluster", initial.toString(), "--log-outputs", "stderr"));
            args.addAll(List.of(extraFlags));
            members.add(new Member("m" + i, clients.get(i), args));
        }
        return members;
    }

    @Test
    void sigtermExitsZeroAfterFinishingAcknowledgedWritesWhichSurviveARestart() throws Exception {
        Member m = cluster(1).get(0);
        m.start();
        awaitWritable(m);

        // a writer keeps putting while the signal arrives; whatever was acknowledged must survive
        ConcurrentLinkedQueue<Integer> acknowledged = new ConcurrentLinkedQueue<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread writer = new Thread(() -> {
            for (int i = 0; writing.get(); i++) {
                try {
                    m.kv().put(PutRequest.newBuilder().setKey(key(i)).setValue(key(i)).build());
                    acknowledged.add(i);
                } catch (RuntimeException e) {
                    return; // the member stopped accepting
                }
            }
        }, "writer");
        writer.start();
        EtcdCluster.awaitCondition(Duration.ofSeconds(30), "100 acknowledged writes", () -> acknowledged.size() >= 100);

        assertThat(m.terminate()).as("exit status after SIGTERM").isZero();
        writing.set(false);
        writer.join(10_000);
        String log = Files.readString(m.log());
        assertThat(log).contains("received signal; shutting down").contains("\"msg\":\"closed etcd server\",\"name\":\"m0\"");

        m.start();
        awaitWritable(m);
        for (int i : acknowledged) {
            assertThat(m.kv().range(RangeRequest.newBuilder().setKey(key(i)).build()).getKvsCount())
                    .as("acknowledged write %d after the restart", i).isEqualTo(1);
        }
        assertThat(m.terminate()).isZero();
    }

    @Test
    void aLeaderStoppedBySigtermHandsLeadershipOverWithinOneElectionTimeout() throws Exception {
        // a long election timeout: without a hand-off the others would wait at least this long
        Duration electionTimeout = Duration.ofSeconds(10);
        List<Member> members = cluster(3, "--heartbeat-interval", "100",
                "--election-timeout", Long.toString(electionTimeout.toMillis()));
        for (Member m : members) {
            m.start();
        }
        Member leader = awaitLeader(members, List.of(), Duration.ofSeconds(90));
        leader.kv().put(PutRequest.newBuilder().setKey(key(1)).setValue(key(1)).build());

        long signalled = System.nanoTime();
        leader.process.destroy(); // SIGTERM
        List<Member> others = members.stream().filter(m -> m != leader).toList();
        Member next = awaitLeader(others, List.of(leader), electionTimeout.dividedBy(2));
        Duration took = Duration.ofNanos(System.nanoTime() - signalled);
        assertThat(took).as("time until another member leads").isLessThan(electionTimeout.dividedBy(2));
        assertThat(leader.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(leader.process.exitValue()).as("the old leader's exit status").isZero();
        assertThat(Files.readString(leader.log())).contains("leadership transfer starting")
                .contains("leadership transfer finished");
        String nextHex = Long.toHexString(next.status().orElseThrow().getHeader().getMemberId());
        assertThat(Files.readString(next.log())).contains(nextHex + " became leader at term ");
        assertThat(next.kv().range(RangeRequest.newBuilder().setKey(key(1)).build()).getKvsCount()).isEqualTo(1);
        for (Member m : others) {
            assertThat(m.terminate()).isZero();
        }
    }

    /** The member of {@code candidates} that all of them agree leads, not one of {@code gone}. */
    private static Member awaitLeader(List<Member> candidates, List<Member> gone, Duration timeout) {
        Member[] found = new Member[1];
        EtcdCluster.awaitCondition(timeout, "a leader agreed by " + candidates.size() + " members", () -> {
            long leader = 0;
            for (Member m : candidates) {
                Optional<StatusResponse> s = m.status();
                if (s.isEmpty() || s.get().getLeader() == 0 || (leader != 0 && s.get().getLeader() != leader)) {
                    return false;
                }
                leader = s.get().getLeader();
            }
            for (Member m : candidates) {
                if (m.status().map(s -> s.getHeader().getMemberId()).orElse(0L) == leader) {
                    found[0] = m;
                    return true;
                }
            }
            return false;
        });
        assertThat(gone).doesNotContain(found[0]);
        return found[0];
    }

    private static void awaitWritable(Member m) {
        EtcdCluster.awaitCondition(Duration.ofSeconds(60), m.name + " accepts a write", () -> {
            assertThat(m.process.isAlive()).as("%s is running", m.name).isTrue();
            try {
                m.kv().put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("ready")).build());
                return true;
            } catch (RuntimeException e) {
                return false;
            }
        });
    }

    private static ByteString key(int i) {
        return ByteString.copyFromUtf8(String.format("k%06d", i));
    }
}
