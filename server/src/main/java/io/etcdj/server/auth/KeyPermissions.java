package io.etcdj.server.auth;

import com.google.protobuf.ByteString;
import io.etcdj.api.authpb.Permission;

/**
 * The keys one user may read (or write): the union of its roles' permissions of that kind
 * (READWRITE counts as both), answering whether a key or a whole range lies inside it.
 *
 * <p>Every permission and every request is a half-open interval of keys [start, end) in
 * unsigned byte order, with an empty end for "no upper bound":
 * <ul>
 *   <li>a single key k (empty range_end) is [k, k+"\0") — nothing sorts between the two;</li>
 *   <li>range_end "\0" (etcd's "from key") is [k, +inf);</li>
 *   <li>any other range_end e is [k, e).</li>
 * </ul>
 * A single key is permitted when a permitted interval holds it; a range when the permitted
 * intervals together cover it (several permissions may cover a range none covers alone). Both
 * questions are answered by etcd's own structure ({@link PermissionIntervalTree}), built in etcd's
 * order, so that a range whose end sorts below its start gets etcd's answer too.
 */
public final class KeyPermissions {
    private static final ByteString ZERO = ByteString.copyFrom(new byte[] {0});

    private final PermissionIntervalTree tree;

    private KeyPermissions(PermissionIntervalTree tree) {
        this.tree = tree;
    }

    /**
     * The permissions among {@code perms} that grant {@code wanted} (READ or WRITE), in the order
     * etcd merges them: the user's roles in order, each role's permissions in order.
     */
    public static KeyPermissions of(Iterable<Permission> perms, Permission.Type wanted) {
        PermissionIntervalTree tree = new PermissionIntervalTree();
        for (Permission p : perms) {
            if (p.getPermType() == wanted || p.getPermType() == Permission.Type.READWRITE) {
                tree.insert(p.getRangeEnd().isEmpty() ? PermissionIntervalTree.Interval.point(p.getKey())
                        : new PermissionIntervalTree.Interval(p.getKey(), upperBound(p.getRangeEnd())));
            }
        }
        return new KeyPermissions(tree);
    }

    /** Whether the key (empty rangeEnd), the range [key, rangeEnd) or [key, +inf) ("\0") is covered. */
    public boolean permits(ByteString key, ByteString rangeEnd) {
        if (rangeEnd.isEmpty()) {
            return tree.intersects(PermissionIntervalTree.Interval.point(key));
        }
        return tree.contains(new PermissionIntervalTree.Interval(key, upperBound(rangeEnd)));
    }

    /** A range end as an interval bound: "\0" means no upper bound (the empty bound). */
    private static ByteString upperBound(ByteString rangeEnd) {
        return rangeEnd.equals(ZERO) ? ByteString.EMPTY : rangeEnd;
    }
}
