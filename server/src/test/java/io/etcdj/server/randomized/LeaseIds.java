package io.etcdj.server.randomized;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * One member's lease IDs against the reference etcd's. A lease granted with an explicit ID has the
 * same ID on both; one granted with ID 0 gets a member-chosen ID, different on each, so the pair is
 * recorded and every lease ID field is translated: requests (written with the reference's IDs) to
 * this member's, its answers back to the reference's. An ID never paired is left as it is.
 */
final class LeaseIds {
    /** Every field that holds a lease ID, in requests and answers (watch events included). */
    private static final Set<String> LEASE_FIELDS = Set.of("etcdserverpb.PutRequest.lease",
            "etcdserverpb.Compare.lease", "etcdserverpb.LeaseGrantRequest.ID", "etcdserverpb.LeaseRevokeRequest.ID",
            "etcdserverpb.LeaseTimeToLiveRequest.ID", "etcdserverpb.LeaseGrantResponse.ID",
            "etcdserverpb.LeaseTimeToLiveResponse.ID", "etcdserverpb.LeaseStatus.ID", "mvccpb.KeyValue.lease");

    private final Map<Long, Long> ours = new HashMap<>();
    private final Map<Long, Long> reference = new HashMap<>();

    /** From now on the reference's lease {@code referenceId} is this member's {@code ourId}. */
    synchronized void pair(long referenceId, long ourId) {
        ours.put(referenceId, ourId);
        reference.put(ourId, referenceId);
    }

    /** {@code request} with the reference's lease IDs replaced by this member's. */
    <M extends Message> M toOurs(M request) {
        return translate(request, ours);
    }

    /** {@code answer} of this member with its lease IDs replaced by the reference's. */
    <M extends Message> M toReference(M answer) {
        return translate(answer, reference);
    }

    @SuppressWarnings("unchecked")
    private synchronized <M extends Message> M translate(M message, Map<Long, Long> ids) {
        return ids.isEmpty() ? message : (M) rewrite(message, ids);
    }

    private static Message rewrite(Message message, Map<Long, Long> ids) {
        return MessageWalk.bottomUp(message, m -> {
            Message.Builder b = null;
            for (Map.Entry<FieldDescriptor, Object> f : m.getAllFields().entrySet()) {
                if (LEASE_FIELDS.contains(f.getKey().getFullName())) {
                    long id = (Long) f.getValue();
                    b = b == null ? m.toBuilder() : b;
                    b.setField(f.getKey(), ids.getOrDefault(id, id));
                }
            }
            return b == null ? m : b.build();
        });
    }
}
