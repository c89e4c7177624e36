package io.etcdj.server.proxy.grpcproxy;

import io.etcdj.api.etcdserverpb.ResponseHeader;
import io.etcdj.api.etcdserverpb.WatchCreateRequest;
import io.etcdj.api.etcdserverpb.WatchResponse;
import io.etcdj.api.mvccpb.Event;
import java.util.function.Consumer;

/**
 * One client's watch, as the client asked for it: its own watch ID, its event filters, and the
 * revision it starts at. It receives every response of the {@link WatchBroadcast} it joined and
 * passes on only what its client should see: events at or after {@code nextRevision} (a watcher
 * that joined a running broadcast does not see events from before it joined), minus filtered
 * event types, with keys shown without the proxy's namespace.
 */
final class ClientWatcher {
    private final long watchId;
    private final boolean noPut;
    private final boolean noDelete;
    private final KeyNamespace namespace;
    private final Consumer<WatchResponse> client;
    private long nextRevision;

    ClientWatcher(long watchId, WatchCreateRequest asked, KeyNamespace namespace, Consumer<WatchResponse> client) {
        this.watchId = watchId;
        this.noPut = asked.getFiltersList().contains(WatchCreateRequest.FilterType.NOPUT);
        this.noDelete = asked.getFiltersList().contains(WatchCreateRequest.FilterType.NODELETE);
        this.namespace = namespace;
        this.client = client;
        this.nextRevision = asked.getStartRevision();
    }

    long watchId() {
        return watchId;
    }

    /** The upstream watch exists; events from {@code firstRevision} on are this watcher's (unless it asked for later). */
    void created(ResponseHeader header, long firstRevision) {
        nextRevision = Math.max(nextRevision, firstRevision);
        client.accept(WatchResponse.newBuilder().setHeader(header).setWatchId(watchId).setCreated(true).build());
    }

    void deliver(WatchResponse r) {
        WatchResponse.Builder out = WatchResponse.newBuilder().setHeader(r.getHeader()).setWatchId(watchId)
                .setFragment(r.getFragment()).setCompactRevision(r.getCompactRevision());
        for (Event e : r.getEventsList()) {
            if (e.getKv().getModRevision() < nextRevision
                    || (noPut && e.getType() == Event.EventType.PUT)
                    || (noDelete && e.getType() == Event.EventType.DELETE)) {
                continue;
            }
            out.addEvents(namespace.strip(e));
        }
        if (r.getEventsCount() > 0 && out.getEventsCount() == 0 && !r.getFragment()) {
            return; // everything filtered out: nothing to tell this client
        }
        client.accept(out.build());
    }

    void canceled(WatchResponse r) {
        client.accept(WatchResponse.newBuilder().setHeader(r.getHeader()).setWatchId(watchId).setCreated(r.getCreated())
                .setCanceled(true).setCompactRevision(r.getCompactRevision()).setCancelReason(r.getCancelReason()).build());
    }
}
