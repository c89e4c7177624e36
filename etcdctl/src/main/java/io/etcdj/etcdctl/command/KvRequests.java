package io.etcdj.etcdctl.command;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.DeleteRangeRequest;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.etcdctl.cli.Command;
import io.etcdj.etcdctl.cli.ExitCodes;
import io.etcdj.etcdctl.cli.FlagValueException;
import io.etcdj.etcdctl.cli.GoStrconv;
import io.etcdj.etcdctl.cli.Invocation;
import io.etcdj.etcdctl.print.GoQuote;
import io.etcdj.etcdctl.print.KeyRanges;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * The get/put/del commands' flags and the requests they build from arguments (etcdctl's
 * getGetOp/getPutOp/getDelOp), shared by the commands themselves and by txn.
 */
final class KvRequests {
    private KvRequests() {}

    static Command getCommand(Command.Body body) {
        Command c = new Command("get [options] <key> [range_end]", "Gets the key or a range of keys", body);
        c.flags().string("consistency", "", "l", "Linearizable(l) or Serializable(s)");
        c.flags().string("order", "", "", "Order of results; ASCEND or DESCEND (ASCEND by default)");
        c.flags().string("sort-by", "", "", "Sort target; CREATE, KEY, MODIFY, VALUE, or VERSION");
        c.flags().int64("limit", 0, "Maximum number of results");
        c.flags().bool("prefix", "", false, "Get keys with matching prefix");
        c.flags().bool("from-key", "", false,
                "Get keys that are greater than or equal to the given key using byte compare");
        c.flags().int64("rev", 0, "Specify the kv revision");
        c.flags().bool("keys-only", "", false, "Get only the keys");
        c.flags().bool("print-value-only", "", false, "Only write values when using the \"simple\" output format");
        return c;
    }

    static Command putCommand(Command.Body body) {
        Command c = new Command("put [options] <key> <value> (<value> can also be given from stdin)",
                "Puts the given key into the store", PUT_LONG, body);
        c.flags().string("lease", "", "0", "lease ID (in hexadecimal) to attach to the key");
        c.flags().bool("prev-kv", "", false, "return the previous key-value pair before modification");
        c.flags().bool("ignore-value", "", false, "updates the key using its current value");
        c.flags().bool("ignore-lease", "", false, "updates the key using its current lease");
        return c;
    }

    static Command delCommand(Command.Body body) {
        Command c = new Command("del [options] <key> [range_end]",
                "Removes the specified key or range of keys [key, range_end)", body);
        c.flags().bool("prefix", "", false, "delete keys with matching prefix");
        c.flags().bool("prev-kv", "", false, "return deleted key-value pairs");
        c.flags().bool("from-key", "", false,
                "delete keys that are greater than or equal to the given key using byte compare");
        return c;
    }

    private static final String PUT_LONG = """

            Puts the given key into the store.

            When <value> begins with '-', <value> is interpreted as a flag.
            Insert '--' for workaround:

            $ put <key> -- <value>
            $ put -- <key> <value>

            If <value> isn't given as a command line argument and '--ignore-value' is not specified,
            this command tries to read the value from standard input.

            If <lease> isn't given as a command line argument and '--ignore-lease' is not specified,
            this command tries to read the value from standard input.

            For example,
            $ cat file | put <key>
            will store the content of the file to <key>.
            """;

    static ByteString bytes(String s) {
        return ByteString.copyFrom(s, StandardCharsets.UTF_8);
    }

    static RangeRequest getRequest(Invocation inv) {
        List<String> args = inv.args();
        if (args.isEmpty()) {
            throw inv.fail(ExitCodes.BAD_ARGS, "get command needs one argument as key and an optional argument as range_end");
        }
        boolean prefix = inv.bool("prefix");
        boolean fromKey = inv.bool("from-key");
        if (prefix && fromKey) {
            throw inv.fail(ExitCodes.BAD_ARGS, "`--prefix` and `--from-key` cannot be set at the same time, choose one");
        }
        RangeRequest.Builder b = RangeRequest.newBuilder();
        String consistency = inv.string("consistency");
        switch (consistency) {
            case "s" -> b.setSerializable(true);
            case "l" -> { }
            default -> throw inv.fail(ExitCodes.BAD_FEATURE, "unknown consistency flag " + GoQuote.quote(consistency));
        }
        String key = args.get(0);
        if (args.size() > 1) {
            if (prefix || fromKey) {
                throw inv.fail(ExitCodes.BAD_ARGS, "too many arguments, only accept one argument when `--prefix` or `--from-key` is set");
            }
            b.setRangeEnd(bytes(args.get(1)));
        }
        b.setLimit(inv.int64("limit"));
        if (inv.int64("rev") > 0) {
            b.setRevision(inv.int64("rev"));
        }
        RangeRequest.SortOrder order = RangeRequest.SortOrder.NONE;
        String so = inv.string("order").toUpperCase(Locale.ROOT);
        switch (so) {
            case "ASCEND" -> order = RangeRequest.SortOrder.ASCEND;
            case "DESCEND" -> order = RangeRequest.SortOrder.DESCEND;
            case "" -> { }
            default -> throw inv.fail(ExitCodes.BAD_FEATURE, "bad sort order " + inv.string("order"));
        }
        RangeRequest.SortTarget target = RangeRequest.SortTarget.KEY;
        String st = inv.string("sort-by").toUpperCase(Locale.ROOT);
        switch (st) {
            case "CREATE" -> target = RangeRequest.SortTarget.CREATE;
            case "KEY" -> target = RangeRequest.SortTarget.KEY;
            case "MODIFY" -> target = RangeRequest.SortTarget.MOD;
            case "VALUE" -> target = RangeRequest.SortTarget.VALUE;
            case "VERSION" -> target = RangeRequest.SortTarget.VERSION;
            case "" -> { }
            default -> throw inv.fail(ExitCodes.BAD_FEATURE, "bad sort target " + inv.string("sort-by"));
        }
        if (target == RangeRequest.SortTarget.KEY && order == RangeRequest.SortOrder.ASCEND) {
            order = RangeRequest.SortOrder.NONE;
        }
        b.setSortOrder(order).setSortTarget(target);
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        if (prefix) {
            if (k.length == 0) {
                k = new byte[] {0};
                b.setRangeEnd(ByteString.copyFrom(new byte[] {0}));
            } else {
                b.setRangeEnd(ByteString.copyFrom(KeyRanges.prefixEnd(k)));
            }
        }
        if (fromKey) {
            if (k.length == 0) {
                k = new byte[] {0};
            }
            b.setRangeEnd(ByteString.copyFrom(new byte[] {0}));
        }
        if (inv.bool("keys-only")) {
            b.setKeysOnly(true);
        }
        return b.setKey(ByteString.copyFrom(k)).build();
    }

    static PutRequest putRequest(Invocation inv) {
        List<String> args = inv.args();
        String needs = "put command needs 1 argument and input from stdin or 2 arguments";
        if (args.isEmpty()) {
            throw inv.fail(ExitCodes.BAD_ARGS, needs);
        }
        boolean ignoreVal = inv.bool("ignore-value");
        if (ignoreVal && args.size() > 1) {
            throw inv.fail(ExitCodes.BAD_ARGS, "put command needs only 1 argument when 'ignore-value' is set");
        }
        PutRequest.Builder b = PutRequest.newBuilder().setKey(bytes(args.get(0)));
        if (!ignoreVal) {
            if (args.size() > 1) {
                b.setValue(bytes(args.get(1)));
            } else {
                byte[] in;
                try {
                    in = inv.console().in().readAllBytes();
                } catch (IOException e) {
                    in = new byte[0];
                }
                if (in.length == 0) {
                    throw inv.fail(ExitCodes.BAD_ARGS, needs);
                }
                b.setValue(ByteString.copyFrom(in));
            }
        }
        long id;
        try {
            id = GoStrconv.parseInt(inv.string("lease"), 16, 64);
        } catch (FlagValueException e) {
            throw inv.fail(ExitCodes.BAD_ARGS, "bad lease ID (" + e.getMessage() + "), expecting ID in Hex");
        }
        if (id != 0) {
            b.setLease(id);
        }
        if (inv.bool("prev-kv")) {
            b.setPrevKv(true);
        }
        if (ignoreVal) {
            b.setIgnoreValue(true);
        }
        if (inv.bool("ignore-lease")) {
            b.setIgnoreLease(true);
        }
        return b.build();
    }

    static DeleteRangeRequest delRequest(Invocation inv) {
        List<String> args = inv.args();
        if (args.isEmpty() || args.size() > 2) {
            throw inv.fail(ExitCodes.BAD_ARGS, "del command needs one argument as key and an optional argument as range_end");
        }
        boolean prefix = inv.bool("prefix");
        boolean fromKey = inv.bool("from-key");
        if (prefix && fromKey) {
            throw inv.fail(ExitCodes.BAD_ARGS, "`--prefix` and `--from-key` cannot be set at the same time, choose one");
        }
        DeleteRangeRequest.Builder b = DeleteRangeRequest.newBuilder();
        byte[] k = args.get(0).getBytes(StandardCharsets.UTF_8);
        if (args.size() > 1) {
            if (prefix || fromKey) {
                throw inv.fail(ExitCodes.BAD_ARGS, "too many arguments, only accept one argument when `--prefix` or `--from-key` is set");
            }
            b.setRangeEnd(bytes(args.get(1)));
        }
        if (prefix) {
            if (k.length == 0) {
                k = new byte[] {0};
                b.setRangeEnd(ByteString.copyFrom(new byte[] {0}));
            } else {
                b.setRangeEnd(ByteString.copyFrom(KeyRanges.prefixEnd(k)));
            }
        }
        if (inv.bool("prev-kv")) {
            b.setPrevKv(true);
        }
        if (fromKey) {
            if (k.length == 0) {
                k = new byte[] {0};
            }
            b.setRangeEnd(ByteString.copyFrom(new byte[] {0}));
        }
        return b.setKey(ByteString.copyFrom(k)).build();
    }
}
