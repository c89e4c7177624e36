package io.etcdj.etcdctl.v2;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The commands that write or read one key: set, mk, mkdir, setdir, update, updatedir, get, rm, rmdir.
 * Each takes the key as its first argument; a missing key is "key required" (exit 1), a server
 * error exits 4.
 */
final class KeyCommands {
    private KeyCommands() {}

    static String key(V2Context c) {
        if (c.args().isEmpty()) {
            throw c.fail(V2Exit.BAD_ARGS, "key required");
        }
        return c.args().get(0);
    }

    /** argOrStdin: the argument at {@code i}, else all of stdin, which must not be empty. */
    static String value(V2Context c, int i) {
        if (c.args().size() > i) {
            return c.args().get(i);
        }
        try {
            byte[] in = c.console.in().readAllBytes();
            if (in.length > 0) {
                return new String(in, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            // as an empty stdin
        }
        throw c.fail(V2Exit.BAD_ARGS, "value required");
    }

    static long integer(V2Context c, String flag) {
        try {
            return c.local.integer(flag);
        } catch (GoFlags.ParseError e) {
            throw c.fail(V2Exit.BAD_ARGS, e.getMessage());
        }
    }

    static void set(V2Context c) {
        String key = key(c);
        String value = value(c, 1);
        KeysResponse r = run(c, k -> k.set(key, value, integer(c, "ttl"), c.local.string("swap-with-value"),
                integer(c, "swap-with-index"), "", false));
        ResponsePrinter.print(r, c.output(), c.out(), c.err());
    }

    static void mk(V2Context c) {
        String key = key(c);
        String value = value(c, 1);
        long ttl = integer(c, "ttl");
        KeysResponse r = run(c, k -> c.local.bool("in-order") ? k.createInOrder(key, value, ttl)
                : k.set(key, value, ttl, "", 0, "false", false));
        ResponsePrinter.print(r, c.output(), c.out(), c.err());
    }

    static void update(V2Context c) {
        String key = key(c);
        String value = value(c, 1);
        KeysResponse r = run(c, k -> k.set(key, value, integer(c, "ttl"), "", 0, "true", false));
        ResponsePrinter.print(r, c.output(), c.out(), c.err());
    }

    /** mkdir ("false": must not exist), setdir (""), updatedir ("true": must exist). */
    static void dir(V2Context c, String prevExist) {
        String key = key(c);
        KeysResponse r = run(c, k -> k.set(key, "", integer(c, "ttl"), "", 0, prevExist, true));
        if (!c.output().equals("simple")) {
            ResponsePrinter.print(r, c.output(), c.out(), c.err());
        }
    }

    static void get(V2Context c) {
        String key = key(c);
        KeysResponse r = run(c, k -> k.get(key, false, c.local.bool("sort"), c.local.bool("quorum")));
        if (r.node().dir()) {
            c.err().print(r.node().key() + ": is a directory\n");
            throw new V2Exit(V2Exit.BAD_ARGS);
        }
        ResponsePrinter.print(r, c.output(), c.out(), c.err());
    }

    static void rm(V2Context c) {
        String key = key(c);
        KeysResponse r = run(c, k -> k.delete(key, c.local.string("with-value"), integer(c, "with-index"),
                c.local.bool("dir"), c.local.bool("recursive")));
        if (!r.node().dir() || !c.output().equals("simple")) {
            ResponsePrinter.print(r, c.output(), c.out(), c.err());
        }
    }

    static void rmdir(V2Context c) {
        String key = key(c);
        KeysResponse r = run(c, k -> k.delete(key, "", 0, true, false));
        if (!r.node().dir() || !c.output().equals("simple")) {
            ResponsePrinter.print(r, c.output(), c.out(), c.err());
        }
    }

    static void ls(V2Context c) {
        String key = c.args().isEmpty() ? "/" : c.args().get(0);
        KeysResponse r = run(c, k -> k.get(key, c.local.bool("recursive"), c.local.bool("sort"),
                c.local.bool("quorum")));
        if (!c.output().equals("simple")) {
            ResponsePrinter.print(r, c.output(), c.out(), c.err());
            return;
        }
        StringBuilder b = new StringBuilder();
        if (!r.node().dir()) {
            b.append(r.node().key()).append('\n');
        }
        if (r.node().nodes() != null) {
            for (KeyNode n : r.node().nodes()) {
                listTree(n, c.local.bool("p"), b);
            }
        }
        c.out().print(b);
    }

    /** Depth first, each node before its children; -p marks directories with a trailing "/". */
    private static void listTree(KeyNode n, boolean slash, StringBuilder b) {
        b.append(n.key()).append(n.dir() && slash ? "/" : "").append('\n');
        if (n.nodes() != null) {
            for (KeyNode child : n.nodes()) {
                listTree(child, slash, b);
            }
        }
    }

    interface KeysCall {
        KeysResponse call(KeysApi k) throws ClusterError, ServerError;
    }

    static KeysResponse run(V2Context c, KeysCall call) {
        KeysApi api = c.keys();
        try {
            return call.call(api);
        } catch (ClusterError | ServerError e) {
            throw c.fail(V2Exit.SERVER_ERROR, e);
        }
    }
}
