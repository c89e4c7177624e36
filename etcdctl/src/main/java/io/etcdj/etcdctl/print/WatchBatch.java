package io.etcdj.etcdctl.print;

import io.etcdj.api.etcdserverpb.ResponseHeader;
import io.etcdj.api.mvccpb.Event;
import java.util.List;

/** What clientv3 hands etcdctl for one watch response (its WatchResponse struct). */
public record WatchBatch(ResponseHeader header, List<Event> events, long compactRevision, boolean canceled,
                         boolean created) {}
