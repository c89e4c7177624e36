package io.etcdj.server.auth;

import com.google.protobuf.ByteString;
import io.etcdj.api.authpb.Permission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The keys one user may read (or write): the union of its roles' permissions of that kind
 * (READWRITE counts as both), answering whether a key or a whole range lies inside it.
 *
 * <p>Every permission and every request is a half-open interval of keys [start, end) in
 * unsigned byte order, with {@code end == null} for "no upper bound":
 * <ul>
 *   <li>a single key k (empty range_end) is [k, k+"\0") — nothing sorts between the two;</li>
 *   <li>range_end "\0" (etcd's "from key") is [k, +inf);</li>
 *   <li>any other range_end e is [k, e).</li>
 * </ul>
 * A request is permitted when its interval is covered by the union of the permitted intervals
 * (several permissions may together cover a range none covers alone), as etcd merges them.
 */
public final class KeyPermissions {
    private static final Comparator<ByteString> ORDER = ByteString.unsignedLexicographicalComparator();

    /** Sorted by start; may overlap. */
    private final List<Interval> intervals;

    private KeyPermissions(List<Interval> intervals) {
        this.intervals = intervals;
    }

    /** The permissions among {@code perms} that grant {@code wanted} (READ or WRITE). */
    public static KeyPermissions of(Iterable<Permission> perms, Permission.Type wanted) {
        List<Interval> list = new ArrayList<>();
        for (Permission p : perms) {
            if (p.getPermType() == wanted || p.getPermType() == Permission.Type.READWRITE) {
                list.add(Interval.of(p.getKey(), p.getRangeEnd()));
            }
        }
        list.sort((a, b) -> ORDER.compare(a.start, b.start));
        return new KeyPermissions(List.copyOf(list));
    }

    /** Whether the key (empty rangeEnd), the range [key, rangeEnd) or [key, +inf) ("\0") is covered. */
    public boolean permits(ByteString key, ByteString rangeEnd) {
        Interval wanted = Interval.of(key, rangeEnd);
        if (wanted.end != null && ORDER.compare(wanted.end, wanted.start) <= 0) {
            wanted = Interval.of(key, ByteString.EMPTY); // an empty range: judge its start key alone
        }
        ByteString covered = wanted.start; // every key below this is covered
        for (Interval iv : intervals) {
            if (ORDER.compare(iv.start, covered) > 0) {
                break; // a gap before this interval
            }
            if (iv.end == null) {
                return true;
            }
            if (ORDER.compare(iv.end, covered) > 0) {
                covered = iv.end;
                if (wanted.end != null && ORDER.compare(covered, wanted.end) >= 0) {
                    return true;
                }
            }
        }
        return false;
    }

    private record Interval(ByteString start, ByteString end) {
        private static final ByteString ZERO = ByteString.copyFrom(new byte[] {0});

        static Interval of(ByteString key, ByteString rangeEnd) {
            if (rangeEnd.isEmpty()) {
                return new Interval(key, key.concat(ZERO));
            }
            if (rangeEnd.equals(ZERO)) {
                return new Interval(key, null);
            }
            return new Interval(key, rangeEnd);
        }
    }
}
