package io.etcdj.server.v2.store;

import java.util.ArrayDeque;
import java.util.Deque;

/** Path arithmetic of the v2 key space, with Go's path.Clean semantics (absolute, no "." or ".."). */
public final class V2StorePaths {
    private V2StorePaths() {
    }

    /** Go's path.Clean(path.Join("/", p)). */
    public static String clean(String p) {
        Deque<String> parts = new ArrayDeque<>();
        for (String seg : p.split("/")) {
            if (seg.isEmpty() || seg.equals(".")) {
                continue;
            }
            if (seg.equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(seg);
            }
        }
        if (parts.isEmpty()) {
            return "/";
        }
        return "/" + String.join("/", parts);
    }

    /** Go's path.Join(parent, name) for a clean parent and a single segment. */
    public static String join(String parent, String name) {
        return clean(parent + "/" + name);
    }
}
