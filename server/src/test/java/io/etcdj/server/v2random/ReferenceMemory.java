package io.etcdj.server.v2random;

import io.etcdj.server.v2.http.MiniJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the reference etcd last said about the key space, so that the generator can aim: which
 * keys exist with which value and modifiedIndex (for matching prevValue/prevIndex), and which
 * events are surely in its watch history (for waitIndex requests that answer at once). It only
 * steers the choice of requests; nothing is checked against it.
 */
public final class ReferenceMemory {
    /** A key as last seen: its value (null for a directory) and modifiedIndex. */
    public record Known(String value, long modifiedIndex, boolean dir) {
    }

    /**
     * An event in the history: its index and key, and whether it removed a directory (it then
     * also answers a wait on any key the directory's key is a prefix of).
     */
    public record Event(long index, String key, boolean dirRemoved) {
    }

    private final TreeMap<String, Known> keys = new TreeMap<>();
    private final List<Event> events = new ArrayList<>();
    private long index;

    /** Learns from the reference's answer to {@code step}. */
    public void learn(V2Step step, int status, String etcdIndex, String body) {
        if (etcdIndex != null) {
            index = Math.max(index, Long.parseLong(etcdIndex));
        }
        if (status / 100 != 2 || !body.startsWith("{")) {
            return;
        }
        Map<String, Object> answer;
        try {
            answer = asMap(new MiniJson(body).parseFirstValue());
        } catch (MiniJson.SyntaxError e) {
            return;
        }
        Map<String, Object> node = asMap(answer.get("node"));
        String action = String.valueOf(answer.get("action"));
        if (node == null) {
            return;
        }
        if (action.equals("get")) {
            remember(node);
            return;
        }
        if (!step.write()) {
            return; // a watch's answer: an event already remembered when it happened
        }
        String key = String.valueOf(node.get("key"));
        long modified = ((Number) node.get("modifiedIndex")).longValue();
        index = Math.max(index, modified);
        boolean removal = action.equals("delete") || action.equals("compareAndDelete") || action.equals("expire");
        Map<String, Object> prev = asMap(answer.get("prevNode"));
        boolean dirRemoved = removal && prev != null && Boolean.TRUE.equals(prev.get("dir"));
        if (removal) {
            keys.remove(key);
            keys.subMap(key + "/", true, key + "/\uffff", true).clear();
        } else {
            remember(node);
        }
        if (!step.refresh()) {
            events.add(new Event(modified, key, dirRemoved));
        }
    }

    /** The reference expired {@code key} (a key, not a directory) at {@code expiredAt}. */
    public void expired(String key, long expiredAt) {
        keys.remove(key);
        index = Math.max(index, expiredAt);
        events.add(new Event(expiredAt, key, false));
    }

    private void remember(Map<String, Object> node) {
        if (node.get("key") == null) {
            return; // the root
        }
        boolean dir = Boolean.TRUE.equals(node.get("dir"));
        keys.put(String.valueOf(node.get("key")), new Known(dir ? null : (String) node.get("value"),
                ((Number) node.get("modifiedIndex")).longValue(), dir));
        Object children = node.get("nodes");
        if (children instanceof List<?> list) {
            list.forEach(c -> remember(asMap(c)));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
    }

    /** The key as last seen, or null when it was never seen or since deleted. */
    public Known known(String key) {
        return keys.get(key);
    }

    /** The keys known below {@code dir}, in key order. */
    public List<String> below(String dir) {
        return List.copyOf(keys.subMap(dir + "/", true, dir + "/\uffff", true).keySet());
    }

    /** The highest X-Etcd-Index or modifiedIndex seen. */
    public long index() {
        return index;
    }

    /** The events remembered, oldest first. */
    public List<Event> events() {
        return events;
    }
}
