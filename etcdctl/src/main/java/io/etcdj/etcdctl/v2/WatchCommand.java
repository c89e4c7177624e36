package io.etcdj.etcdctl.v2;

/**
 * watch: prints each change of the key (or its subtree with --recursive, each change preceded by an
 * "[action] key" line); without --forever it returns after the first change.
 */
final class WatchCommand {
    private WatchCommand() {}

    static void run(V2Context c) {
        String key = KeyCommands.key(c);
        boolean recursive = c.local.bool("recursive");
        boolean forever = c.local.bool("forever");
        KeyWatcher.watch(c, key, r -> {
            if (recursive) {
                c.out().print("[" + r.action() + "] " + r.node().key() + "\n");
            }
            ResponsePrinter.print(r, c.output(), c.out(), c.err());
            c.out().flush();
            return forever;
        });
    }
}
