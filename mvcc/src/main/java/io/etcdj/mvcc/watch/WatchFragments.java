package io.etcdj.mvcc.watch;

import java.util.ArrayList;
import java.util.List;

import com.google.protobuf.CodedOutputStream;

import io.etcdj.api.etcdserverpb.WatchResponse;
import io.etcdj.api.mvccpb.Event;

/**
 * Splits a large watch response into fragments, as etcd does for watchers created with
 * {@code fragment = true}: a response smaller than the limit, or with fewer than two events, is sent
 * whole; otherwise events are packed in order into responses that stay under the limit (each holds at
 * least one event), every fragment but the last has {@code fragment = true}.
 */
public final class WatchFragments {
    private WatchFragments() {
    }

    public static List<WatchResponse> split(WatchResponse response, int maxBytes) {
        if (response.getSerializedSize() < maxBytes || response.getEventsCount() < 2) {
            return List.of(response);
        }
        WatchResponse empty = response.toBuilder().clearEvents().build();
        int base = empty.getSerializedSize() + 2; // + the fragment flag
        List<WatchResponse> out = new ArrayList<>();
        List<Event> current = new ArrayList<>();
        int size = base;
        for (Event e : response.getEventsList()) {
            int s = e.getSerializedSize();
            int add = 1 + CodedOutputStream.computeUInt32SizeNoTag(s) + s;
            if (!current.isEmpty() && size + add >= maxBytes) {
                out.add(empty.toBuilder().addAllEvents(current).setFragment(true).build());
                current = new ArrayList<>();
                size = base;
            }
            current.add(e);
            size += add;
        }
        out.add(empty.toBuilder().addAllEvents(current).setFragment(false).build());
        return out;
    }
}
