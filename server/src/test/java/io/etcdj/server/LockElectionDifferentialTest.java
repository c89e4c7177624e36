package io.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Election;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Lock;
import io.etcd.jetcd.common.exception.EtcdException;
import io.etcd.jetcd.election.CampaignResponse;
import io.etcd.jetcd.election.LeaderKey;
import io.etcd.jetcd.election.LeaderResponse;
import io.etcd.jetcd.lock.LockResponse;
import io.etcd.jetcd.options.GetOption;
import io.etcdj.api.v3electionpb.ElectionGrpc;
import io.etcdj.api.v3electionpb.LeaderRequest;
import io.etcdj.api.v3electionpb.ProclaimRequest;
import io.etcdj.api.v3electionpb.ProclaimResponse;
import io.etcdj.api.v3electionpb.ResignRequest;
import io.etcdj.api.v3electionpb.ResignResponse;
import io.etcdj.api.v3lockpb.LockGrpc;
import io.etcdj.api.v3lockpb.LockRequest;
import io.etcdj.server.gateway.ReferenceEtcd;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jetcd's Lock and Election clients (which call exactly v3lockpb.Lock and v3electionpb.Election)
 * play one scenario against our member and against the reference etcd 3.4; the transcripts must be
 * equal. A transcript names leases by role (their IDs differ), revisions relative to the revision
 * before the scenario, and errors by jetcd's exception, gRPC code and text.
 */
class LockElectionDifferentialTest {
    @TempDir
    Path dir;

    @Test
    void ourMemberAnswersTheLockAndElectionScenarioAsEtcdDoes() throws Exception {
        List<String> reference;
        try (ReferenceEtcd etcd = new ReferenceEtcd()) {
            reference = new Scenario("127.0.0.1:" + etcd.clientPort).run();
        }
        List<String> ours;
        try (EtcdCluster c = EtcdCluster.start(dir, 1)) {
            c.awaitLeader(RecipeCalls.WAIT);
            String url = c.member(0).settings().listenClientUrls().get(0);
            ours = new Scenario(url.replace("http://", "")).run();
        }
        System.out.println("reference etcd's transcript:\n" + String.join("\n", reference));
        assertThat(String.join("\n", ours)).isEqualTo(String.join("\n", reference));
        assertThat(reference).hasSizeGreaterThan(20);
    }

    /** The scenario, played against one endpoint; every observable result goes into the transcript. */
    private static final class Scenario {
        private final String endpoint;
        private final List<String> transcript = new ArrayList<>();
        private final Map<Long, String> leaseNames = new LinkedHashMap<>();
        private long baseRev;

        Scenario(String endpoint) {
            this.endpoint = endpoint;
        }

        List<String> run() throws Exception {
            Client client = Client.builder().endpoints("http://" + endpoint).build();
            ManagedChannel channel = ManagedChannelBuilder.forTarget(endpoint).usePlaintext().build();
            try {
                baseRev = client.getKVClient().get(bs("any")).get(10, TimeUnit.SECONDS).getHeader().getRevision();
                lockScenario(client, new RecipeCalls(channel), channel);
                electionScenario(client, channel);
                return transcript;
            } finally {
                channel.shutdownNow();
                client.close();
            }
        }

        private void lockScenario(Client client, RecipeCalls calls, ManagedChannel channel) throws Exception {
            Lock lock = client.getLockClient();
            long a = grant(client, "A");
            long b = grant(client, "B");
            long c = grant(client, "C");
            long d = grant(client, "D");

            LockResponse first = lock.lock(bs("mutex"), a).get(10, TimeUnit.SECONDS);
            note("A locks", first.getKey(), first.getHeader().getRevision());
            CompletableFuture<LockResponse> second = lock.lock(bs("mutex"), b);
            calls.awaitKeyCount("mutex/", 2);
            CompletableFuture<LockResponse> third = lock.lock(bs("mutex"), c);
            calls.awaitKeyCount("mutex/", 3);
            transcript.add("B waiting: " + !second.isDone() + ", C waiting: " + !third.isDone());

            // a waiter that gives up (its call is cancelled) takes its key away
            RecipeCalls.Pending<io.etcdj.api.v3lockpb.LockResponse> abandoned = RecipeCalls.start(o ->
                    LockGrpc.newStub(channel).lock(LockRequest.newBuilder().setName(RecipeCalls.bytes("mutex"))
                            .setLease(d).build(), o));
            calls.awaitKeyCount("mutex/", 4);
            abandoned.cancel();
            calls.awaitKeyCount("mutex/", 3);
            transcript.add("after D gave up: " + keys(client, "mutex/"));

            lock.unlock(first.getKey()).get(10, TimeUnit.SECONDS);
            LockResponse got = RecipeCalls.get(second);
            note("B locks after A unlocked", got.getKey(), got.getHeader().getRevision());
            transcript.add("C still waiting: " + !third.isDone());
            client.getLeaseClient().revoke(b).get(10, TimeUnit.SECONDS);
            got = RecipeCalls.get(third);
            note("C locks after B's lease was revoked", got.getKey(), got.getHeader().getRevision());

            LockResponse again = lock.lock(bs("mutex"), c).get(10, TimeUnit.SECONDS);
            note("C locks again", again.getKey(), again.getHeader().getRevision());
            transcript.add("unknown lease: " + failure(lock.lock(bs("mutex"), 12345)));
            transcript.add("unlock missing key: rev " + rel(lock.unlock(bs("mutex/0")).get(10, TimeUnit.SECONDS)
                    .getHeader().getRevision()));
            transcript.add("left: " + keys(client, "mutex/"));
        }

        private void electionScenario(Client client, ManagedChannel channel) throws Exception {
            Election election = client.getElectionClient();
            BlockingQueue<Object> observed = new LinkedBlockingQueue<>();
            election.observe(bs("chief"), new Election.Listener() {
                @Override
                public void onNext(LeaderResponse r) {
                    observed.add(r);
                }

                @Override
                public void onError(Throwable t) {
                    observed.add(t);
                }

                @Override
                public void onCompleted() {
                    observed.add("completed");
                }
            });
            transcript.add("no leader yet: " + failure(election.leader(bs("chief"))));
            transcript.add("no leader yet, as gRPC status: " + RecipeCalls.failure(RecipeCalls.<io.etcdj.api.v3electionpb.LeaderResponse>start(
                    o -> ElectionGrpc.newStub(channel).leader(LeaderRequest.newBuilder()
                            .setName(RecipeCalls.bytes("chief")).build(), o)).reply()));
            long e = grant(client, "E");
            long f = grant(client, "F");

            LeaderKey alpha = election.campaign(bs("chief"), e, bs("alpha")).get(10, TimeUnit.SECONDS).getLeader();
            transcript.add("E campaigns: " + describe(alpha));
            transcript.add("observed: " + describe(observed.poll(RecipeCalls.WAIT.toMillis(), TimeUnit.MILLISECONDS)));
            transcript.add("leader: " + describe(election.leader(bs("chief")).get(10, TimeUnit.SECONDS)));

            long proclaimed = election.proclaim(alpha, bs("alpha-2")).get(10, TimeUnit.SECONDS).getHeader().getRevision();
            transcript.add("E proclaims alpha-2: rev " + rel(proclaimed));
            transcript.add("observed: " + describe(observed.poll(RecipeCalls.WAIT.toMillis(), TimeUnit.MILLISECONDS)));

            CompletableFuture<CampaignResponse> second = election.campaign(bs("chief"), f, bs("beta"));
            new RecipeCalls(channel).awaitKeyCount("chief/", 2);
            transcript.add("F waiting: " + !second.isDone());
            LeaderKey again = election.campaign(bs("chief"), e, bs("alpha-3")).get(10, TimeUnit.SECONDS).getLeader();
            transcript.add("E campaigns again: " + describe(again));
            transcript.add("observed: " + describe(observed.poll(RecipeCalls.WAIT.toMillis(), TimeUnit.MILLISECONDS)));

            long resigned = election.resign(alpha).get(10, TimeUnit.SECONDS).getHeader().getRevision();
            transcript.add("E resigns: rev " + rel(resigned));
            LeaderKey beta = RecipeCalls.get(second).getLeader();
            transcript.add("F leads: " + describe(beta));
            transcript.add("observed: " + describe(observed.poll(RecipeCalls.WAIT.toMillis(), TimeUnit.MILLISECONDS)));
            transcript.add("E proclaims after resigning: " + failure(election.proclaim(alpha, bs("late"))));
            transcript.add("as gRPC status: " + RecipeCalls.failure(RecipeCalls.<ProclaimResponse>start(
                    o -> ElectionGrpc.newStub(channel).proclaim(ProclaimRequest.newBuilder()
                            .setLeader(io.etcdj.api.v3electionpb.LeaderKey.newBuilder().setName(RecipeCalls.bytes("chief"))
                                    .setKey(RecipeCalls.bytes(alpha.getKey().toString(StandardCharsets.UTF_8)))
                                    .setRev(alpha.getRevision()).setLease(alpha.getLease()))
                            .setValue(RecipeCalls.bytes("late")).build(), o)).reply()));
            transcript.add("E resigns again: rev " + rel(election.resign(alpha).get(10, TimeUnit.SECONDS)
                    .getHeader().getRevision()));

            transcript.add("proclaim without a leader key: " + RecipeCalls.failure(RecipeCalls.<ProclaimResponse>start(
                    o -> ElectionGrpc.newStub(channel).proclaim(ProclaimRequest.newBuilder()
                            .setValue(RecipeCalls.bytes("v")).build(), o)).reply()));
            transcript.add("resign without a leader key: " + RecipeCalls.failure(RecipeCalls.<ResignResponse>start(
                    o -> ElectionGrpc.newStub(channel).resign(ResignRequest.getDefaultInstance(), o))
                    .reply()));
            client.getLeaseClient().revoke(f).get(10, TimeUnit.SECONDS);
            transcript.add("after F's lease was revoked: " + failure(election.leader(bs("chief"))));
            transcript.add("nothing more observed: " + observed.isEmpty());
        }

        private long grant(Client client, String role) throws Exception {
            long id = client.getLeaseClient().grant(60).get(10, TimeUnit.SECONDS).getID();
            leaseNames.put(id, role);
            return id;
        }

        private void note(String what, ByteSequence key, long rev) {
            transcript.add(what + ": " + key(key) + " rev " + rel(rev));
        }

        private String keys(Client client, String prefix) throws Exception {
            List<String> out = new ArrayList<>();
            for (KeyValue kv : client.getKVClient().get(bs(prefix), GetOption.builder().isPrefix(true).build())
                    .get(10, TimeUnit.SECONDS).getKvs()) {
                out.add(key(kv.getKey()));
            }
            return out.toString();
        }

        private String describe(LeaderKey k) {
            return "name=" + k.getName().toString(StandardCharsets.UTF_8) + " key=" + key(k.getKey())
                    + " rev " + rel(k.getRevision()) + " lease=" + leaseNames.get(k.getLease());
        }

        private String describe(Object o) {
            if (o instanceof LeaderResponse r) {
                KeyValue kv = r.getKv();
                return key(kv.getKey()) + "=" + kv.getValue().toString(StandardCharsets.UTF_8)
                        + " create " + rel(kv.getCreateRevision()) + " mod " + rel(kv.getModRevision())
                        + " lease=" + leaseNames.get(kv.getLease()) + " header rev " + rel(r.getHeader().getRevision());
            }
            return String.valueOf(o);
        }

        /** A key with the lease ID in it replaced by the lease's role. */
        private String key(ByteSequence k) {
            String s = k.toString(StandardCharsets.UTF_8);
            for (Map.Entry<Long, String> e : leaseNames.entrySet()) {
                s = s.replace(Long.toHexString(e.getKey()), "<" + e.getValue() + ">");
            }
            return s;
        }

        private long rel(long rev) {
            return rev - baseRev;
        }

        private static String failure(CompletableFuture<?> f) throws InterruptedException {
            try {
                Object v = f.get(RecipeCalls.WAIT.toMillis(), TimeUnit.MILLISECONDS);
                return "succeeded: " + v;
            } catch (ExecutionException | CompletionException e) {
                Throwable t = e.getCause();
                if (t instanceof EtcdException ee) {
                    return ee.getClass().getSimpleName() + " " + ee.getErrorCode() + " " + ee.getMessage();
                }
                return t.getClass().getSimpleName() + " " + t.getMessage();
            } catch (TimeoutException e) {
                return "no reply";
            }
        }

        private static ByteSequence bs(String s) {
            return ByteSequence.from(s, StandardCharsets.UTF_8);
        }
    }
}
