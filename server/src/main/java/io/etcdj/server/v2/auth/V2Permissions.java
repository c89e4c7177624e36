package io.etcdj.server.v2.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The key permissions of a v2 role ({@code {"kv":{"read":[..],"write":[..]}}}). A pattern ending
 * in "*" matches every key starting with what precedes it; any other pattern matches that exact
 * key only. Either list may be null (JSON null), which etcd keeps apart from an empty list: a
 * role created without permissions shows {@code null}, the same role after a grant or revoke
 * shows sorted lists, possibly {@code []}.
 */
public record V2Permissions(List<String> read, List<String> write) {
    public static final V2Permissions NONE = new V2Permissions(null, null);
    public static final V2Permissions EVERYTHING = new V2Permissions(List.of("/*"), List.of("/*"));

    /** True when neither list has an entry (etcd's IsEmpty; a null permission set is empty too). */
    public static boolean isEmpty(V2Permissions p) {
        return p == null || (size(p.read) == 0 && size(p.write) == 0);
    }

    /** These permissions plus {@code more}; granting a pattern already held (or twice) is a 409. */
    public V2Permissions grant(V2Permissions more) {
        if (more == null) {
            return this;
        }
        return new V2Permissions(added(read, more.read, "read"), added(write, more.write, "write"));
    }

    /** These permissions without {@code less}; revoking a pattern not held is ignored. */
    public V2Permissions revoke(V2Permissions less) {
        if (less == null) {
            return this;
        }
        return new V2Permissions(removed(read, less.read), removed(write, less.write));
    }

    /** Whether a pattern of the read (or write) list matches {@code key} itself. */
    public boolean hasAccess(String key, boolean write) {
        for (String pattern : orEmpty(write ? this.write : read)) {
            if (pattern.isEmpty()) {
                continue;
            }
            if (pattern.endsWith("*") ? key.startsWith(prefix(pattern)) : key.equals(pattern)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a prefix pattern ("...*") of the read (or write) list covers {@code key} and all below it. */
    public boolean hasRecursiveAccess(String key, boolean write) {
        for (String pattern : orEmpty(write ? this.write : read)) {
            if (pattern.endsWith("*") && key.startsWith(prefix(pattern))) {
                return true;
            }
        }
        return false;
    }

    private static String prefix(String pattern) {
        return pattern.substring(0, pattern.length() - 1);
    }

    private static List<String> added(List<String> have, List<String> more, String kind) {
        TreeSet<String> out = new TreeSet<>(orEmpty(have));
        for (String p : orEmpty(more)) {
            if (!out.add(p)) {
                throw V2AuthError.conflict("Granting duplicate " + kind + " permission " + p);
            }
        }
        return new ArrayList<>(out);
    }

    private static List<String> removed(List<String> have, List<String> less) {
        TreeSet<String> out = new TreeSet<>(orEmpty(have));
        orEmpty(less).forEach(out::remove);
        return new ArrayList<>(out);
    }

    private static List<String> orEmpty(List<String> l) {
        return l == null ? List.of() : l;
    }

    private static int size(List<String> l) {
        return l == null ? 0 : l.size();
    }
}
