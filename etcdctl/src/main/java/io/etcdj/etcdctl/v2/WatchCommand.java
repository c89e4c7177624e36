package io.etcdj.etcdctl.v2;

/**
 * watch: long-polls the key (or its subtree with --recursive) and prints each change (with
 * --recursive preceded by an "[action] key" line); without --forever it returns after the first change.
 * Each next poll waits from the last change's modifiedIndex + 1, so no change is missed or repeated.
 */
final class WatchCommand {
    private WatchCommand() {}

    static void run(V2Context c) {
        String key = KeyCommands.key(c);
        boolean recursive = c.local.bool("recursive");
        boolean forever = c.local.bool("forever");
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
            if (recursive) {
                c.out().print("[" + r.action() + "] " + r.node().key() + "\n");
            }
            ResponsePrinter.print(r, c.output(), c.out(), c.err());
            c.out().flush();
            if (!forever) {
                return;
            }
        }
    }
}
