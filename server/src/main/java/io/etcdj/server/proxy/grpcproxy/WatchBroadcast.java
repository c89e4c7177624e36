package io.etcdj.server.proxy.grpcproxy;

import io.etcdj.api.etcdserverpb.ResponseHeader;
import io.etcdj.api.etcdserverpb.WatchCreateRequest;
import io.etcdj.api.etcdserverpb.WatchGrpc;
import io.etcdj.api.etcdserverpb.WatchRequest;
import io.etcdj.api.etcdserverpb.WatchResponse;
import io.grpc.Metadata;
import io.grpc.stub.ClientCallStreamObserver;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;

/**
 * One upstream watch shared by every client watcher that asked for the same thing: the members
 * see one watcher however many clients watch through the proxy. Each upstream response is handed
 * to every joined {@link ClientWatcher}, which filters and relabels it for its client.
 *
 * <p>Invariants: {@code lastRevision} is the highest revision the upstream watch has reported, and
 * every event up to it has been handed on; when the upstream stream breaks (a member died), it is
 * reopened, through whichever member is up, from {@code lastRevision + 1}, so clients see neither a
 * gap nor a duplicate. The broadcast ends when its last watcher leaves or the cluster cancels the
 * watch (compaction, permission); it then leaves {@link WatchBroadcasts} and never restarts.
 */
final class WatchBroadcast {

    private final WatchBroadcasts owner;
    private final Object key;
    private final WatchGrpc.WatchStub upstream;
    private final WatchCreateRequest request;
    private final ScheduledExecutorService timer;
    private final Set<ClientWatcher> watchers = new LinkedHashSet<>();
    private ClientCallStreamObserver<WatchRequest> stream;
    private boolean created;
    private boolean ended;
    private ResponseHeader lastHeader = ResponseHeader.getDefaultInstance();
    private long lastRevision;

    WatchBroadcast(WatchBroadcasts owner, Object key, WatchGrpc.WatchStub upstream, Metadata headers,
                   WatchCreateRequest request, ScheduledExecutorService timer) {
        this.owner = owner;
        this.key = key;
        this.upstream = ClientHeaders.attach(upstream, headers).withWaitForReady();
        this.request = request;
        this.timer = timer;
    }

    /** Adds {@code w}; it is told "created" now if the upstream watch exists, else once it does. */
    synchronized boolean join(ClientWatcher w) {
        if (ended) {
            return false;
        }
        watchers.add(w);
        if (created) {
            w.created(lastHeader, firstRevision());
        }
        if (stream == null) {
            open(request);
        }
        return true;
    }

    /**
     * The first revision a watcher joining now may see: the one it asked for when the broadcast
     * replays history (only such a watcher's own broadcast has a start revision), else the one after
     * the newest the broadcast has reported.
     */
    private long firstRevision() {
        return request.getStartRevision() != 0 ? request.getStartRevision() : lastRevision + 1;
    }

    /** Removes {@code w}; the last one to leave ends the upstream watch. */
    synchronized void leave(ClientWatcher w) {
        if (watchers.remove(w) && watchers.isEmpty()) {
            end();
        }
    }

    synchronized int size() {
        return watchers.size();
    }

    synchronized ResponseHeader lastHeader() {
        return lastHeader;
    }

    private void end() {
        ended = true;
        owner.remove(key, this);
        if (stream != null) {
            stream.cancel("no watchers left", null);
            stream = null;
        }
    }

    private void open(WatchCreateRequest create) {
        stream = UpstreamStream.open(upstream::watch, this::received, this::broken);
        stream.onNext(WatchRequest.newBuilder().setCreateRequest(create).build());
    }

    private synchronized void received(ClientCallStreamObserver<WatchRequest> from, WatchResponse r) {
        if (from != stream || ended) {
            return; // a response of a stream already replaced or ended
        }
        lastHeader = r.getHeader();
        if (r.getCanceled()) {
            List.copyOf(watchers).forEach(w -> w.canceled(r));
            watchers.clear();
            end();
            return;
        }
        if (r.getCreated()) {
            if (!created) {
                created = true;
                lastRevision = r.getHeader().getRevision();
                watchers.forEach(w -> w.created(r.getHeader(), firstRevision()));
            }
            return;
        }
        if (!r.getFragment()) {
            lastRevision = Math.max(lastRevision, r.getHeader().getRevision());
        }
        for (ClientWatcher w : watchers) {
            w.deliver(r);
        }
        owner.eventsCoalesced(r.getEventsCount() == 0 ? 0 : watchers.size() - 1);
    }

    /** The upstream stream failed: reopen it shortly from the next revision, unless the broadcast ended. */
    private synchronized void broken(ClientCallStreamObserver<WatchRequest> from) {
        if (from != stream || ended) {
            return;
        }
        stream = null;
        UpstreamStream.reopenLater(timer, this::reopen);
    }

    private synchronized void reopen() {
        if (ended || stream != null) {
            return;
        }
        WatchCreateRequest resume = created ? request.toBuilder().setStartRevision(lastRevision + 1).build() : request;
        open(resume);
    }
}
