package io.etcdj.etcdctl.v2;

/**
 * The v2 client's Watcher as watch and exec-watch use it: long-polls a key (or its subtree) and hands
 * each change to the caller, from the change after --after-index (or the next one), until the caller
 * says stop. Invariant: each next poll waits from the last change's modifiedIndex + 1, so no change is
 * missed or repeated; a failed poll ends the command with etcdctl's server error (exit 4).
 */
final class KeyWatcher {
    /** What to do with one change; false stops watching. */
    interface Change {
        boolean accept(KeysResponse r);
    }

    private KeyWatcher() {}

    static void watch(V2Context c, String key, Change onChange) {
        boolean recursive = c.local.bool("recursive");
        long after = KeyCommands.integer(c, "after-index");
        long waitIndex = after > 0 ? after + 1 : 0;
        KeysApi api = new KeysApi(c.transport(true), null);
        while (true) {
            KeysResponse r;
            try {
                r = api.watchOnce(key, recursive, waitIndex);
            } catch (ClusterError | ServerError e) {
                throw c.fail(V2Exit.SERVER_ERROR, e);
            }
            if (r == null) {
                continue;
            }
            waitIndex = r.node().modifiedIndex() + 1;
            if (!onChange.accept(r)) {
                return;
            }
        }
    }
}
