package io.etcdj.server;

import static io.etcdj.server.JetcdTranscript.await;
import static io.etcdj.server.JetcdTranscript.bs;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Maintenance;
import io.etcd.jetcd.maintenance.AlarmMember;
import io.etcd.jetcd.maintenance.AlarmType;
import io.etcd.jetcd.maintenance.StatusResponse;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.CompactOption;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcdj.api.etcdserverpb.LeaseGrantRequest;
import io.etcdj.api.etcdserverpb.LeaseGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jetcd's Maintenance client against our member and the reference etcd 3.4 (both with an 8 MiB
 * --quota-backend-bytes): Status, HashKV at revisions of one history (the hashes themselves must be
 * equal: both stores start at revision 1 and hash the same keys, revisions and values), Defragment,
 * the snapshot stream, MoveLeader on a single member, and the NOSPACE alarm raised by filling the
 * quota, listed, refusing writes, and disarmed after a compaction and defragmentation.
 */
class JetcdMaintenanceDifferentialTest {
    private static final long QUOTA = 8L * 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void jetcdMaintenanceCallsAreAnsweredByOurMemberAsByEtcd() throws Exception {
        List<String> reference = JetcdSideBySide.assertSameTranscript(dir, endpoint -> new Scenario(endpoint).run(),
                new String[] {"--quota-backend-bytes=" + QUOTA}, s -> s.withQuotaBackendBytes(QUOTA));
        assertThat(reference).hasSizeGreaterThan(20);
    }

    private static final class Scenario {
        private final String endpoint;
        private final JetcdTranscript t = new JetcdTranscript();
        private long baseIndex;

        Scenario(String endpoint) {
            this.endpoint = endpoint;
        }

        List<String> run() throws Exception {
            try (Client client = Client.builder().endpoints("http://" + endpoint).build()) {
                KV kv = client.getKVClient();
                Maintenance m = client.getMaintenanceClient();
                long base = await(kv.get(bs("any"))).getHeader().getRevision();
                t.base(base);
                t.add("a new member's revision: " + base);
                baseIndex = await(m.statusMember(url())).getRaftIndex();
                t.add("status at the start: " + status(await(m.statusMember(url()))));
                hashes(client, kv, m);
                defragmentAndSnapshot(kv, m);
                moveLeader(client, m);
                noSpace(client, kv, m);
            }
            return t.lines();
        }

        private void hashes(Client client, KV kv, Maintenance m) throws Exception {
            await(kv.put(bs("h/a"), bs("1")));
            await(kv.put(bs("h/b"), bs("2")));
            // a key's lease ID is part of what HashKV hashes, and each server picks its own IDs: the
            // lease is granted with an ID of ours through the raw API (jetcd cannot ask for one)
            long lease = 0x1ea5eL;
            ManagedChannel channel = ManagedChannelBuilder.forTarget(endpoint).usePlaintext().build();
            try {
                LeaseGrpc.newBlockingStub(channel).withDeadlineAfter(JetcdTranscript.WAIT_SECONDS, TimeUnit.SECONDS)
                        .leaseGrant(LeaseGrantRequest.newBuilder().setID(lease).setTTL(60).build());
            } finally {
                channel.shutdownNow();
            }
            await(kv.put(bs("h/c"), bs("3"), PutOption.builder().withLeaseId(lease).build()));
            await(kv.put(bs("h/a"), bs("4")));
            await(kv.txn().Then(Op.put(bs("h/d"), bs("5"), PutOption.DEFAULT), Op.delete(bs("h/b"), DeleteOption.DEFAULT))
                    .commit());
            await(kv.delete(bs("h/"), DeleteOption.builder().isPrefix(true).build()));
            long last = await(kv.put(bs("h/e"), bs("6"))).getHeader().getRevision();
            for (long rev = 0; rev <= last; rev++) {
                long at = rev;
                var h = await(m.hashKV(url(), at));
                t.add("hashkv at " + (at == 0 ? "0 (latest)" : t.rev(at)) + ": hash " + Integer.toUnsignedString(h.getHash())
                        + ", compacted " + h.getCompacted() + ", header " + t.rev(h.getHeader().getRevision()));
            }
            long compactAt = last - 2;
            // physical: at +6 a compaction would keep nothing (every key is deleted by then), and then
            // etcd hashes every stored revision below the compaction, so the hash depends on whether
            // the compaction already removed the old ones; waiting for it makes the hash one value
            await(kv.compact(compactAt, CompactOption.builder().withCompactPhysical(true).build()));
            t.add("compacted at " + t.rev(compactAt));
            for (long rev : new long[] {compactAt - 1, compactAt, compactAt + 1, last, 0}) {
                t.add("hashkv at " + (rev == 0 ? "0 (latest)" : t.rev(rev)) + ": " + hash(m, rev));
            }
            t.add("status after the history: " + status(await(m.statusMember(url()))));
        }

        private void defragmentAndSnapshot(KV kv, Maintenance m) throws Exception {
            t.add("defragment: " + t.failure(() -> m.defragmentMember(url())));
            t.add("status after defragmenting: " + status(await(m.statusMember(url()))));
            t.add("hashkv after defragmenting: " + hash(m, 0));
            ByteArrayOutputStream snapshot = new ByteArrayOutputStream();
            long size = await(m.snapshot(snapshot));
            // the bytes differ (bbolt's file and our own format); both stream a non-empty database
            t.add("snapshot: reported size > 0 " + (size > 0) + ", bytes written equal the size " + (snapshot.size() == size));
            t.add("still readable after the snapshot: " + t.kvs(await(kv.get(bs("h/e"))).getKvs()));
        }

        private void moveLeader(Client client, Maintenance m) throws Exception {
            long self = await(m.statusMember(url())).getLeader();
            t.add("move the leadership to this member itself: " + t.failure(() -> m.moveLeader(self)));
            t.add("move the leadership to an unknown member: " + t.failure(() -> m.moveLeader(0x1234L)));
            t.add("still the leader: " + (await(m.statusMember(url())).getLeader() == self)
                    + ", members " + await(client.getClusterClient().listMember()).getMembers().size());
        }

        private void noSpace(Client client, KV kv, Maintenance m) throws Exception {
            long self = await(m.statusMember(url())).getHeader().getMemberId();
            ByteSequence value = value(512 * 1024);
            String refusal = "ok";
            int puts = 0;
            // bounded: 8 MiB in 512 KiB values is 16 puts; both stores refuse long before 256
            while ("ok".equals(refusal) && puts < 256) {
                String key = "fill/" + puts++;
                refusal = t.failure(() -> kv.put(bs(key), value));
            }
            t.add("filling the quota ends with: " + refusal);
            var alarms = await(m.listAlarms()).getAlarms();
            t.add("alarms: " + alarms.stream().map(a -> a.getAlarmType() + (a.getMemberId() == self ? " on this member" : " elsewhere"))
                    .toList());
            t.add("status errors: " + await(m.statusMember(url())).getErrorList().stream()
                    .map(e -> e.replace(Long.toUnsignedString(self), "<this member>")).toList());
            t.add("a small put: " + t.failure(() -> kv.put(bs("small"), bs("s"))));
            t.add("a lease grant: " + t.failure(() -> client.getLeaseClient().grant(60)));
            t.add("a txn with a put: " + t.failure(() -> kv.txn().Then(Op.put(bs("small"), bs("s"), PutOption.DEFAULT)).commit()));
            t.add("a read: " + t.failure(() -> kv.get(bs("fill/0"))));
            long deletedAt = await(kv.delete(bs("fill/"), DeleteOption.builder().isPrefix(true).build())).getHeader().getRevision();
            t.add("deleting the fill: ok, " + (deletedAt > 0));
            t.add("compact: " + t.failure(() -> kv.compact(deletedAt)));
            t.add("defragment: " + t.failure(() -> m.defragmentMember(url())));
            t.add("a put while the alarm is still raised: " + t.failure(() -> kv.put(bs("small"), bs("s"))));
            // asked only now the store is back under the quota: both refuse any request once the
            // store's size reaches the quota, and ours re-reads RocksDB's size at most every 100 ms,
            // so how far the filling overshot (and whether a read-only txn fits) differs honestly
            t.add("a txn that only reads: " + t.failure(() -> kv.txn().Then(Op.get(bs("small"),
                    GetOption.DEFAULT)).commit()));
            t.add("disarm NOSPACE of an unknown member: " + t.failure(() -> m.alarmDisarm(new AlarmMember(0x1234L, AlarmType.NOSPACE))));
            t.add("alarms: " + await(m.listAlarms()).getAlarms().size());
            var disarmed = await(m.alarmDisarm(new AlarmMember(self, AlarmType.NOSPACE)));
            t.add("disarm NOSPACE: answers " + disarmed.getAlarms().stream().map(a -> a.getAlarmType().toString()).toList());
            t.add("alarms: " + await(m.listAlarms()).getAlarms().size());
            t.add("a put after disarming: " + t.failure(() -> kv.put(bs("small"), bs("s"))));
            t.add("status errors: " + await(m.statusMember(url())).getErrorList().stream()
                    .map(e -> e.replace(Long.toUnsignedString(self), "<this member>")).toList());
        }

        private String hash(Maintenance m, long rev) throws Exception {
            try {
                var h = await(m.hashKV(url(), rev));
                return "hash " + Integer.toUnsignedString(h.getHash()) + ", compacted " + t.rev(h.getCompacted())
                        + ", header " + t.rev(h.getHeader().getRevision());
            } catch (ExecutionException e) {
                return t.error(e.getCause());
            }
        }

        /**
         * The status fields both sides must agree on. Masked: version (ours reports its own
         * release), dbSize and dbSizeInUse (bbolt's page file against RocksDB's files), and the raft
         * index as an absolute number (etcd's bootstrap writes a different number of entries than
         * ours before the first client request) — it is written relative to the start instead,
         * which counts one entry per request on both.
         */
        private String status(StatusResponse s) {
            return "leader is self " + (s.getLeader() == s.getHeader().getMemberId())
                    + ", raft index " + (s.getRaftIndex() - baseIndex >= 0 ? "+" : "") + (s.getRaftIndex() - baseIndex)
                    + ", applied = index " + (s.getRaftAppliedIndex() == s.getRaftIndex())
                    + ", term " + s.getRaftTerm() + ", learner " + s.isLearner() + ", errors " + s.getErrorList()
                    + ", db size > 0 " + (s.getDbSize() > 0) + ", in use <= size " + (s.getDbSizeInUse() <= s.getDbSize())
                    + ", header " + t.rev(s.getHeader().getRevision());
        }

        private String url() {
            return "http://" + endpoint;
        }

        private static ByteSequence value(int bytes) {
            byte[] b = new byte[bytes];
            Arrays.fill(b, (byte) 'q');
            return ByteSequence.from(b);
        }
    }
}
