package io.etcdj.server.randomized;

import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import io.etcdj.api.etcdserverpb.WatchCreateRequest;

/** One thing the test does to both members, in the same way. */
sealed interface Step {
    /** A unary KV or Lease call: its request as the reference gets it (ours gets its own lease IDs). */
    record Unary(Message request) implements Step {
        @Override
        public String toString() {
            return request.getDescriptorForType().getName() + " {" + TextFormat.printer().shortDebugString(request) + "}";
        }
    }

    /** A new watch on each member's watch stream. */
    record OpenWatch(WatchCreateRequest request) implements Step {
        @Override
        public String toString() {
            return "WatchCreateRequest {" + TextFormat.printer().shortDebugString(request) + "}";
        }
    }

    /** Cancels the {@code nth} watch still open (counted from the oldest, modulo how many there are). */
    record CancelWatch(int nth) implements Step {
        @Override
        public String toString() {
            return "cancel the open watch #" + nth;
        }
    }
}
