package io.etcdj.server.v2.replicated;

import io.etcdj.raft.pb.ConfChangeType;
import io.etcdj.server.membership.Member;
import io.etcdj.server.v2.http.V2Json;
import io.etcdj.server.v2.store.V2Error;
import io.etcdj.server.v2.store.V2Store;
import java.util.List;

/**
 * The membership records etcd 3.4 keeps in its v2 store's "/0" namespace, written at the same
 * points of the raft log as etcd writes them:
 * <ul>
 *   <li>{@code /0/members/<id>/raftAttributes} = {@code {"peerURLs":[...]}} (plus
 *       {@code "isLearner":true}) — created when a member is added, updated when its peer URLs change or
 *       it is promoted;</li>
 *   <li>{@code /0/members/<id>/attributes} = {@code {"name":...,"clientURLs":[...]}} — set each time
 *       the member publishes itself (every start);</li>
 *   <li>{@code /0/removed_members/<id>} = "" — created (after deleting {@code /0/members/<id>}) when a
 *       member is removed;</li>
 *   <li>{@code /0/version} — set when the cluster version is decided.</li>
 * </ul>
 * Nobody reads them back (membership lives in the backend); they exist because each one takes a v2
 * index, exactly as in etcd, so the indices a v2 client sees ({@code X-Etcd-Index},
 * {@code modifiedIndex}) are the ones etcd shows for the same history: a fresh single member's first
 * key is written at index 4, a fresh three-member cluster's at index 8. {@code <id>} is the member
 * ID in hex without leading zeros, as etcd prints it.
 *
 * <p>A record that cannot be written because the store predates these records (a data dir written
 * before they existed) is skipped: the outcome still depends only on the replicated store, so every
 * member skips alike.
 */
final class V2MembershipRecords {
    static final String VERSION_PATH = "/0/version";
    private static final String MEMBERS = "/0/members/";
    private static final String REMOVED_MEMBERS = "/0/removed_members/";

    private V2MembershipRecords() {
    }

    /**
     * Records one applied conf change for member {@code id}: {@code before} and {@code after} are the
     * member as the membership held it before and after (null when absent). A bootstrap member is
     * known before its add entry applies; its record is created then all the same, as etcd does.
     */
    static void confChange(V2Store store, ConfChangeType type, long id, Member before, Member after) {
        String raftAttributes = MEMBERS + hex(id) + "/raftAttributes";
        switch (type) {
            case ConfChangeAddNode, ConfChangeAddLearnerNode -> {
                if (after == null) {
                    return; // a removed ID cannot come back
                }
                if (store.peekValue(raftAttributes) == null) {
                    quietly(() -> store.create(raftAttributes, false, raftAttributesJson(after), false,
                            V2Store.PERMANENT, 0));
                } else if (!after.equals(before)) { // a learner promoted
                    quietly(() -> store.update(raftAttributes, raftAttributesJson(after), V2Store.PERMANENT, false, 0));
                }
            }
            case ConfChangeRemoveNode -> {
                if (before != null) {
                    quietly(() -> store.delete(MEMBERS + hex(id), true, true, 0));
                    quietly(() -> store.create(REMOVED_MEMBERS + hex(id), false, "", false, V2Store.PERMANENT, 0));
                }
            }
            case ConfChangeUpdateNode -> {
                if (before != null && after != null) {
                    quietly(() -> store.update(raftAttributes, raftAttributesJson(after), V2Store.PERMANENT, false, 0));
                }
            }
            default -> { }
        }
    }

    /** Records a member's published name and client URLs. */
    static void attributes(V2Store store, long id, String name, List<String> clientUrls) {
        String json = V2Json.attributes(name, clientUrls);
        quietly(() -> store.set(MEMBERS + hex(id) + "/attributes", false, json, V2Store.PERMANENT, false, 0));
    }

    /** Records the decided cluster version. */
    static void clusterVersion(V2Store store, String version) {
        quietly(() -> store.set(VERSION_PATH, false, version, V2Store.PERMANENT, false, 0));
    }

    private static String raftAttributesJson(Member m) {
        return V2Json.raftAttributes(m.peerUrls(), m.learner());
    }

    private static String hex(long id) {
        return Long.toHexString(id);
    }

    private static void quietly(Runnable write) {
        try {
            write.run();
        } catch (V2Error e) {
            // a store without the earlier records (see the class comment): nothing to record
        }
    }
}
