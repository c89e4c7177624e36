package io.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.lease.LeaseTimeToLiveResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.LeaseOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcdj.server.gateway.ReferenceEtcd;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jetcd — a client we did not write — plays one scenario over KV, Txn, Watch, Lease (keep-alive,
 * time-to-live), Cluster and Maintenance against one member of ours and against the reference
 * etcd 3.4; the transcripts must be equal. Revisions are written relative to the revision before
 * the scenario, leases by role, members by name, and errors by jetcd's exception text.
 */
class JetcdDifferentialTest {
    private static final long WAIT_SECONDS = 10;

    @TempDir
    Path dir;

    @Test
    void jetcdSeesTheSameAnswersFromOurMemberAsFromEtcd() throws Exception {
        List<String> reference;
        try (ReferenceEtcd etcd = new ReferenceEtcd()) {
            reference = new Scenario("127.0.0.1:" + etcd.clientPort).run();
        }
        List<String> ours;
        try (EtcdCluster c = EtcdCluster.start(dir, 1)) {
            c.awaitLeader(Duration.ofSeconds(WAIT_SECONDS));
            ours = new Scenario(c.clientUrl(0).replace("http://", "")).run();
        }
        System.out.println("reference etcd's transcript:\n" + String.join("\n", reference));
        assertThat(String.join("\n", ours)).isEqualTo(String.join("\n", reference));
        assertThat(reference).hasSizeGreaterThan(30);
    }

    /** The scenario against one endpoint; every observable result goes into the transcript. */
    private static final class Scenario {
        private final String endpoint;
        private final List<String> transcript = new ArrayList<>();
        private final Map<Long, String> leaseNames = new LinkedHashMap<>();
        private long baseRev;

        Scenario(String endpoint) {
            this.endpoint = endpoint;
        }

        List<String> run() throws Exception {
            try (Client client = Client.builder().endpoints("http://" + endpoint).build()) {
                KV kv = client.getKVClient();
                baseRev = kv.get(bs("any")).get(WAIT_SECONDS, TimeUnit.SECONDS).getHeader().getRevision();
                BlockingQueue<String> events = new LinkedBlockingQueue<>();
                try (Watch.Watcher watcher = client.getWatchClient().watch(bs("jw/"),
                        WatchOption.builder().isPrefix(true).withPrevKV(true).build(),
                        r -> r.getEvents().forEach(e -> events.add(event(e))))) {
                    kvScenario(kv);
                    txnScenario(kv);
                    leaseScenario(client, kv);
                    // every write above under jw/ reached the watcher, in order
                    for (int i = 0; i < 7; i++) {
                        String e = events.poll(WAIT_SECONDS, TimeUnit.SECONDS);
                        transcript.add("watch: " + (e == null ? "nothing within " + WAIT_SECONDS + " s" : e));
                    }
                    wait(kv.put(bs("jw/end"), bs("x"))); // nothing may arrive between the last event and this one
                    String next = events.poll(WAIT_SECONDS, TimeUnit.SECONDS);
                    transcript.add("watch, next: " + next);
                }
                clusterAndMaintenance(client);
            }
            return transcript;
        }

        private void kvScenario(KV kv) throws Exception {
            note("put jw/a", wait(kv.put(bs("jw/a"), bs("1"))).getHeader().getRevision());
            note("put jw/b", wait(kv.put(bs("jw/b"), bs("2"))).getHeader().getRevision());
            var prev = wait(kv.put(bs("jw/a"), bs("3"), PutOption.builder().withPrevKV().build()));
            transcript.add("put jw/a again, prev: " + kv(prev.getPrevKv()));
            GetResponse all = wait(kv.get(bs("jw/"), GetOption.builder().isPrefix(true).build()));
            transcript.add("get jw/ prefix: count " + all.getCount() + " " + kvs(all.getKvs()));
            GetResponse limited = wait(kv.get(bs("jw/"), GetOption.builder().isPrefix(true).withLimit(1)
                    .withSortOrder(GetOption.SortOrder.DESCEND).withSortField(GetOption.SortTarget.KEY).build()));
            transcript.add("get jw/ limit 1 descending: more " + limited.isMore() + " " + kvs(limited.getKvs()));
            GetResponse old = wait(kv.get(bs("jw/a"), GetOption.builder().withRevision(baseRev + 1).build()));
            transcript.add("get jw/a at its first revision: " + kvs(old.getKvs()));
            GetResponse countOnly = wait(kv.get(bs("jw/"), GetOption.builder().isPrefix(true).withCountOnly(true).build()));
            transcript.add("count only: " + countOnly.getCount() + " kvs " + countOnly.getKvs().size());
            var deleted = wait(kv.delete(bs("jw/b"), DeleteOption.builder().withPrevKV(true).build()));
            transcript.add("delete jw/b: deleted " + deleted.getDeleted() + " prev " + kvs(deleted.getPrevKvs()));
            transcript.add("get a revision in the future: " + failure(() -> kv.get(bs("jw/a"),
                    GetOption.builder().withRevision(baseRev + 1000).build())));
        }

        private void txnScenario(KV kv) throws Exception {
            TxnResponse won = wait(kv.txn()
                    .If(new Cmp(bs("jw/a"), Cmp.Op.EQUAL, CmpTarget.value(bs("3"))))
                    .Then(Op.put(bs("jw/t"), bs("then"), PutOption.DEFAULT))
                    .Else(Op.put(bs("jw/t"), bs("else"), PutOption.DEFAULT))
                    .commit());
            note("txn a==3: succeeded " + won.isSucceeded() + ", puts " + won.getPutResponses().size(),
                    won.getHeader().getRevision());
            TxnResponse lost = wait(kv.txn()
                    .If(new Cmp(bs("jw/a"), Cmp.Op.GREATER, CmpTarget.version(5)))
                    .Then(Op.delete(bs("jw/a"), DeleteOption.DEFAULT))
                    .Else(Op.get(bs("jw/t"), GetOption.DEFAULT))
                    .commit());
            transcript.add("txn version(a)>5: succeeded " + lost.isSucceeded() + ", gets "
                    + lost.getGetResponses().stream().map(g -> kvs(g.getKvs())).toList());
        }

        private void leaseScenario(Client client, KV kv) throws Exception {
            long lease = wait(client.getLeaseClient().grant(60)).getID();
            leaseNames.put(lease, "L1");
            note("put jw/l with L1", wait(kv.put(bs("jw/l"), bs("leased"),
                    PutOption.builder().withLeaseId(lease).build())).getHeader().getRevision());
            long ttl = wait(client.getLeaseClient().keepAliveOnce(lease)).getTTL();
            transcript.add("keep-alive once: ttl " + ttl);
            LeaseTimeToLiveResponse live = wait(client.getLeaseClient().timeToLive(lease,
                    LeaseOption.builder().withAttachedKeys().build()));
            transcript.add("time-to-live: granted " + live.getGrantedTTL() + ", keys "
                    + live.getKeys().stream().map(JetcdDifferentialTest::text).toList() + ", ttl in (0,60] "
                    + (live.getTTL() > 0 && live.getTTL() <= 60));
            wait(client.getLeaseClient().revoke(lease));
            transcript.add("after revoking L1, jw/l: " + kvs(wait(kv.get(bs("jw/l"))).getKvs()));
            transcript.add("revoke L1 again: " + failure(() -> client.getLeaseClient().revoke(lease)));
            transcript.add("keep-alive of a revoked lease: " + failure(() -> client.getLeaseClient().keepAliveOnce(lease)));
        }

        private void clusterAndMaintenance(Client client) throws Exception {
            var members = wait(client.getClusterClient().listMember()).getMembers();
            transcript.add("members: " + members.size() + ", learners " + members.stream().filter(m -> m.isLearner()).count()
                    + ", client URLs given " + members.stream().allMatch(m -> !m.getClientURIs().isEmpty()));
            var status = wait(client.getMaintenanceClient().statusMember("http://" + endpoint));
            transcript.add("status: leader is self " + (status.getLeader() == status.getHeader().getMemberId())
                    + ", db size > 0 " + (status.getDbSize() > 0) + ", raft index >= revision "
                    + (status.getRaftIndex() >= status.getHeader().getRevision() - baseRev));
            transcript.add("alarms: " + wait(client.getMaintenanceClient().listAlarms()).getAlarms().size());
            var hash = wait(client.getMaintenanceClient().hashKV("http://" + endpoint, 0));
            transcript.add("hashkv: revision " + (hash.getHeader().getRevision() - baseRev) + ", hash != 0 " + (hash.getHash() != 0));
            wait(client.getMaintenanceClient().defragmentMember("http://" + endpoint));
            transcript.add("defragmented; jw/a still " + kvs(wait(client.getKVClient().get(bs("jw/a"))).getKvs()));
            long compactTo = wait(client.getKVClient().get(bs("jw/a"))).getHeader().getRevision();
            wait(client.getKVClient().compact(compactTo));
            transcript.add("compacted to the current revision; reading before it: " + failure(() ->
                    client.getKVClient().get(bs("jw/a"), GetOption.builder().withRevision(baseRev + 1).build())));
        }

        private void note(String what, long revision) {
            transcript.add(what + " @ +" + (revision - baseRev));
        }

        private String event(WatchEvent e) {
            return e.getEventType() + " " + kv(e.getKeyValue()) + " prev " + kv(e.getPrevKV());
        }

        private String kvs(List<KeyValue> kvs) {
            return kvs.stream().map(this::kv).toList().toString();
        }

        private String kv(KeyValue kv) {
            if (kv == null || kv.getKey().isEmpty()) {
                return "-";
            }
            return text(kv.getKey()) + "=" + text(kv.getValue()) + " (create +" + (kv.getCreateRevision() - baseRev)
                    + ", mod +" + (kv.getModRevision() - baseRev) + ", v" + kv.getVersion()
                    + (kv.getLease() == 0 ? "" : ", lease " + leaseNames.getOrDefault(kv.getLease(), "?")) + ")";
        }

        private static String failure(Callable<CompletableFuture<?>> call) {
            try {
                call.call().get(WAIT_SECONDS, TimeUnit.SECONDS);
                return "no error";
            } catch (ExecutionException e) {
                return e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage();
            } catch (Exception e) {
                return e.getClass().getSimpleName() + ": " + e.getMessage();
            }
        }

        private static <T> T wait(CompletableFuture<T> f) throws Exception {
            return f.get(WAIT_SECONDS, TimeUnit.SECONDS);
        }
    }

    private static ByteSequence bs(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    private static String text(ByteSequence b) {
        return b.toString(StandardCharsets.UTF_8);
    }
}
