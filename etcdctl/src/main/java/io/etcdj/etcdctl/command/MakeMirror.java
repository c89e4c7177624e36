package io.etcdj.etcdctl.command;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.DeleteRangeRequest;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RangeResponse;
import io.etcdj.api.etcdserverpb.RequestOp;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.etcdj.api.etcdserverpb.WatchCreateRequest;
import io.etcdj.api.etcdserverpb.WatchResponse;
import io.etcdj.api.mvccpb.Event;
import io.etcdj.api.mvccpb.KeyValue;
import io.etcdj.etcdctl.cli.Command;
import io.etcdj.etcdctl.cli.ExitCodes;
import io.etcdj.etcdctl.cli.Invocation;
import io.etcdj.etcdctl.client.ClientConfig;
import io.etcdj.etcdctl.client.EtcdClient;
import io.etcdj.etcdctl.client.EtcdError;
import io.etcdj.etcdctl.client.WatchStream;
import io.etcdj.etcdctl.print.KeyRanges;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * make-mirror: copies the source cluster's keys under --prefix to the destination cluster, then
 * follows the source's changes, as clientv3/mirror's syncer and etcdctl 3.4 do:
 * <ol>
 * <li>the source's current revision is read (a get of "foo"); the base copy is ranged at that revision
 *     in pages of 1000 keys and each key is put to the destination one by one;</li>
 * <li>a watch from the next revision replays every change; events of one source revision go to the
 *     destination as one txn, so a source txn stays atomic on the destination.</li>
 * </ol>
 * Keys get their first occurrence of --prefix replaced by --dest-prefix (by default the prefix itself;
 * with --no-dest-prefix the empty string). Every 30 s the number of keys synced so far (base puts and
 * events) is printed. It runs until killed; it ends (exit 1) only when a destination write fails or
 * the source's history was compacted under the watch. Requests have no deadline: an unreachable
 * cluster makes it wait, as etcdctl waits.
 */
final class MakeMirror {
    private static final int PAGE = 1000;
    private static final long REPORT_EVERY_MS = 30_000;
    private static final long RETRY_PAUSE_MS = 100;

    private MakeMirror() {}

    static Command command() {
        Command c = new Command("make-mirror [options] <destination>", "Makes a mirror at the destination etcd cluster",
                MakeMirror::run);
        c.flags().string("prefix", "", "", "Key-value prefix to mirror");
        c.flags().string("dest-prefix", "", "",
                "destination prefix to mirror a prefix to a different prefix in the destination cluster");
        c.flags().bool("no-dest-prefix", "", false, "mirror key-values to the root of the destination cluster");
        c.flags().string("dest-cert", "", "", "Identify secure client using this TLS certificate file for the destination cluster");
        c.flags().string("dest-key", "", "", "Identify secure client using this TLS key file");
        c.flags().string("dest-cacert", "", "", "Verify certificates of TLS enabled secure servers using this CA bundle");
        c.flags().bool("dest-insecure-transport", "", true, "Disable transport security for client connections");
        return c;
    }

    private static void run(Invocation inv) throws InterruptedException {
        if (inv.args().size() != 1) {
            throw inv.fail(ExitCodes.BAD_ARGS, "make-mirror takes one destination argument");
        }
        Session s = new Session(inv);
        ClientConfig source = s.clientConfig();
        // the destination's calls have no deadline (a command timeout of 0 would have passed already)
        ClientConfig dest = new ClientConfig(List.of(inv.args().get(0)), source.dialTimeoutNanos(), Long.MAX_VALUE,
                source.keepAliveTimeNanos(), source.keepAliveTimeoutNanos(), inv.bool("dest-insecure-transport"),
                false, orNull(inv.string("dest-cacert")), orNull(inv.string("dest-cert")),
                orNull(inv.string("dest-key")), null, null, null);
        AtomicLong total = new AtomicLong();
        Thread reporter = new Thread(() -> {
            try {
                while (true) {
                    Thread.sleep(REPORT_EVERY_MS);
                    s.out().println(Long.toString(total.get()));
                    s.out().stream().flush();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "make-mirror-report");
        reporter.setDaemon(true);
        try (EtcdClient d = s.connect(dest); EtcdClient c = s.connect(source)) {
            reporter.start();
            new Mirror(s, c, d, inv.string("prefix"), total).run(inv.string("dest-prefix"), inv.bool("no-dest-prefix"));
        } catch (EtcdError e) {
            throw s.fail(ExitCodes.ERROR, e.getMessage());
        } finally {
            reporter.interrupt();
        }
    }

    private static String orNull(String v) {
        return v.isEmpty() ? null : v;
    }

    /** One mirroring run: the base copy, then the stream of changes. */
    private static final class Mirror {
        private final Session s;
        private final EtcdClient source;
        private final EtcdClient dest;
        private final String prefix;
        private final AtomicLong total;
        private String destPrefix;

        Mirror(Session s, EtcdClient source, EtcdClient dest, String prefix, AtomicLong total) {
            this.s = s;
            this.source = source;
            this.dest = dest;
            this.prefix = prefix;
            this.total = total;
        }

        void run(String destPrefixFlag, boolean noDestPrefix) throws EtcdError, InterruptedException {
            long rev = source.quiet(c -> c.kvNoTimeout().range(RangeRequest.newBuilder()
                    .setKey(bytes("foo")).build())).getHeader().getRevision();
            if (noDestPrefix && !destPrefixFlag.isEmpty()) {
                throw s.fail(ExitCodes.BAD_ARGS,
                        "`--dest-prefix` and `--no-dest-prefix` cannot be set at the same time, choose one");
            }
            destPrefix = noDestPrefix ? "" : destPrefixFlag.isEmpty() ? prefix : destPrefixFlag;
            copyBase(rev);
            follow(rev + 1);
            throw s.fail(ExitCodes.ERROR, "<nil>"); // the watch ended without an error
        }

        private void copyBase(long rev) throws EtcdError, InterruptedException {
            ByteString key = prefix.isEmpty() ? ByteString.copyFrom(new byte[] {0}) : bytes(prefix);
            ByteString end = prefix.isEmpty() ? ByteString.copyFrom(new byte[] {0})
                    : ByteString.copyFrom(KeyRanges.prefixEnd(prefix.getBytes(StandardCharsets.UTF_8)));
            while (true) {
                RangeRequest page = RangeRequest.newBuilder().setKey(key).setRangeEnd(end).setRevision(rev)
                        .setLimit(PAGE).build();
                RangeResponse r = source.unary(c -> c.kvNoTimeout().range(page));
                for (KeyValue kv : r.getKvsList()) {
                    PutRequest put = PutRequest.newBuilder().setKey(moved(kv.getKey())).setValue(kv.getValue()).build();
                    toDestination(c -> c.kvNoTimeout().put(put));
                    total.incrementAndGet();
                }
                if (!r.getMore()) {
                    return;
                }
                key = r.getKvs(r.getKvsCount() - 1).getKey().concat(ByteString.copyFrom(new byte[] {0}));
            }
        }

        /**
         * Applies the source's changes from {@code fromRev} on. When the watch stream breaks with
         * Unavailable or Internal (the member restarted, the connection was lost), a new watch starts
         * from the revision after the last one applied once the source can be reached again, so no
         * change is missed or applied twice, as clientv3 resumes its watches. Also on "no leader"
         * (a restarted member before its election), where clientv3 gives up on an open stream, and
         * when the server simply ends the stream. A cancel or another error ends the mirror as
         * etcdctl's ends.
         */
        private void follow(long fromRev) throws EtcdError, InterruptedException {
            ByteString key = bytes(prefix);
            ByteString end = prefix.isEmpty() ? ByteString.copyFrom(new byte[] {0})
                    : ByteString.copyFrom(KeyRanges.prefixEnd(prefix.getBytes(StandardCharsets.UTF_8)));
            long next = fromRev;
            while (true) {
                try (WatchStream w = new WatchStream(source, WatchCreateRequest.newBuilder().setKey(key).setRangeEnd(end)
                        .setStartRevision(next).build())) {
                    while (true) {
                        WatchResponse r = w.next();
                        if (r == null) {
                            break;
                        }
                        if (r.getCanceled() && r.getCompactRevision() == 0) {
                            return;
                        }
                        if (r.getCompactRevision() != 0) {
                            throw s.fail(ExitCodes.ERROR, "etcdserver: mvcc: required revision has been compacted");
                        }
                        applyInRevisionBatches(r.getEventsList());
                        if (r.getEventsCount() > 0) {
                            next = r.getEvents(r.getEventsCount() - 1).getKv().getModRevision() + 1;
                        }
                    }
                    // a stream the server ended without a cancel (a member shutting down cleanly) is
                    // resumed too, as clientv3 reconnects a watch whose stream closed
                    if (w.failure() != null && !resumable(w.failure())) {
                        return;
                    }
                }
                Thread.sleep(RETRY_PAUSE_MS); // a member on its way down may refuse at once: do not spin
            }
        }

        /** Whether a watch that ended so is started again: it failed with Unavailable or Internal. */
        private static boolean resumable(Throwable failure) {
            if (!(failure instanceof StatusRuntimeException e)) {
                return false;
            }
            Status.Code code = e.getStatus().getCode();
            return code == Status.Code.UNAVAILABLE || code == Status.Code.INTERNAL;
        }

        /** Invariant: one destination txn per source revision, in the source's order. */
        private void applyInRevisionBatches(List<Event> events) throws EtcdError, InterruptedException {
            List<RequestOp> ops = new ArrayList<>();
            long lastRev = 0;
            for (Event ev : events) {
                long rev = ev.getKv().getModRevision();
                if (lastRev != 0 && rev > lastRev) {
                    commit(ops);
                    ops = new ArrayList<>();
                }
                lastRev = rev;
                ByteString k = moved(ev.getKv().getKey());
                ops.add(ev.getType() == Event.EventType.PUT
                        ? RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(k)
                                .setValue(ev.getKv().getValue())).build()
                        : RequestOp.newBuilder().setRequestDeleteRange(DeleteRangeRequest.newBuilder().setKey(k)).build());
                total.incrementAndGet();
            }
            if (!ops.isEmpty()) {
                commit(ops);
            }
        }

        private void commit(List<RequestOp> ops) throws EtcdError, InterruptedException {
            TxnRequest txn = TxnRequest.newBuilder().addAllSuccess(ops).build();
            toDestination(c -> c.kvNoTimeout().txn(txn));
        }

        /**
         * One write to the destination. A write lost with the connection (the destination restarted
         * while it was on its way) is made again once the destination is back: writing the source's
         * values again is harmless. An error the destination answers with ends the mirror.
         */
        private void toDestination(Function<EtcdClient, ?> write) throws EtcdError, InterruptedException {
            while (true) {
                try {
                    dest.quiet(write);
                    return;
                } catch (EtcdError e) {
                    if (!e.rpcText().startsWith("rpc error: code = Unavailable desc = ")
                            || e.getMessage().startsWith("etcdserver: ")) {
                        throw dest.warned(e);
                    }
                }
                Thread.sleep(RETRY_PAUSE_MS); // a member on its way down may refuse at once: do not spin
            }
        }

        /** The key with the first occurrence of the prefix replaced by the destination prefix. */
        private ByteString moved(ByteString key) {
            String k = key.toString(StandardCharsets.ISO_8859_1);
            String from = new String(prefix.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
            String to = new String(destPrefix.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
            int at = k.indexOf(from);
            return at < 0 ? key : ByteString.copyFrom((k.substring(0, at) + to + k.substring(at + from.length()))
                    .getBytes(StandardCharsets.ISO_8859_1));
        }

        private static ByteString bytes(String s) {
            return ByteString.copyFrom(s, StandardCharsets.UTF_8);
        }
    }
}
