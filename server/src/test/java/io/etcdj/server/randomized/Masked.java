package io.etcdj.server.randomized;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import io.etcdj.api.etcdserverpb.LeaseLeasesResponse;
import io.etcdj.api.etcdserverpb.LeaseStatus;
import io.etcdj.api.etcdserverpb.LeaseTimeToLiveResponse;
import io.etcdj.api.etcdserverpb.ResponseHeader;
import java.util.Comparator;

/**
 * An answer as the comparison sees it: the fields that differ by nature between two clusters
 * masked, the rest as protobuf text. Masked: the header's cluster_id, member_id and raft_term (at
 * any depth, txn answers carry nested headers); the order of LeaseLeases' leases and of a
 * LeaseTimeToLive's keys (etcd lists both from Go maps, in no order); a remaining TTL between 1 and
 * the granted TTL (it ticks while the run goes on; -1, 0 or a value over the granted one stay).
 */
final class Masked {
    private Masked() {
    }

    static String text(Message answer) {
        return TextFormat.printer().escapingNonAscii(true).printToString(mask(answer));
    }

    static String shortText(Message answer) {
        return TextFormat.printer().escapingNonAscii(true).shortDebugString(mask(answer));
    }

    static Message mask(Message answer) {
        return MessageWalk.bottomUp(answer, Masked::maskOne);
    }

    private static Message maskOne(Message m) {
        if (m instanceof ResponseHeader h) {
            return h.toBuilder().clearClusterId().clearMemberId().clearRaftTerm().build();
        }
        if (m instanceof LeaseLeasesResponse l) {
            var sorted = l.getLeasesList().stream().sorted(Comparator.comparingLong(LeaseStatus::getID)).toList();
            return l.toBuilder().clearLeases().addAllLeases(sorted).build();
        }
        if (m instanceof LeaseTimeToLiveResponse t) {
            var keys = t.getKeysList().stream().sorted(ByteString.unsignedLexicographicalComparator()).toList();
            LeaseTimeToLiveResponse.Builder tb = t.toBuilder().clearKeys().addAllKeys(keys);
            if (t.getTTL() > 0 && t.getTTL() <= t.getGrantedTTL()) {
                tb.setTTL(t.getGrantedTTL()); // still ticking down: masked
            }
            return tb.build();
        }
        return m;
    }
}
