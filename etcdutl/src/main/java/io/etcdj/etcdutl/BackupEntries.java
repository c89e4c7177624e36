package io.etcdj.etcdutl;

import com.google.protobuf.InvalidProtocolBufferException;
import io.etcdj.raft.pb.Entry;
import io.etcdj.raft.pb.EntryType;
import io.etcdj.server.pb.InternalRaftRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Which raft entries a backup keeps. A backup is started as a new one-member cluster, so entries
 * about the old cluster's membership must not replay: conf changes and members' published
 * attributes are dropped, and without {@code --with-v3} so is every v3 request (the backup then has
 * an empty v3 key space). Kept: v2 requests, cluster version decisions, empty entries.
 *
 * <p>A dropped entry is replaced by an empty entry of the same index and term (etcd 3.5's way,
 * rather than 3.4's renumbering): indices, the hard state's commit and the backend's consistent
 * index keep meaning the same entries.
 */
final class BackupEntries {
    /** etcd 3.4 publishes a member's attributes as a v2 PUT on this path. */
    private static final Pattern MEMBER_ATTRIBUTES_PATH = Pattern.compile("/0/members/[0-9a-fA-F]{1,16}/attributes");

    private BackupEntries() {
    }

    /** The entries to write into the backup, same indices and terms; each drop is told to {@code log} (etcd's words). */
    static List<Entry> translate(List<Entry> entries, boolean withV3, Consumer<String> log) {
        List<Entry> kept = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            String drop = dropReason(e, withV3);
            if (drop == null) {
                kept.add(e);
            } else {
                log.accept(drop);
                kept.add(Entry.newBuilder().setType(EntryType.EntryNormal).setIndex(e.getIndex()).setTerm(e.getTerm()).build());
            }
        }
        return kept;
    }

    /** Why {@code e} is dropped, as etcd logs it, or null to keep it. */
    private static String dropReason(Entry e, boolean withV3) {
        if (e.getType() != EntryType.EntryNormal) {
            return "ignoring EntryConfChange raft entry";
        }
        if (e.getData().isEmpty()) {
            return null;
        }
        InternalRaftRequest r;
        try {
            r = InternalRaftRequest.parseFrom(e.getData());
        } catch (InvalidProtocolBufferException notARequest) {
            return null; // the member skips it too
        }
        return switch (r.getRequestCase()) {
            case MEMBER_ATTRIBUTES -> "ignoring member attribute update on /0/members/"
                    + Long.toHexString(r.getMemberAttributes().getMemberId()) + "/attributes";
            case V2 -> r.getV2().getMethod().equals("PUT") && MEMBER_ATTRIBUTES_PATH.matcher(r.getV2().getPath()).find()
                    ? "ignoring member attribute update on " + r.getV2().getPath() : null;
            case CLUSTER_VERSION_SET, REQUEST_NOT_SET -> null;
            default -> withV3 ? null : "ignoring v3 raft entry";
        };
    }
}
