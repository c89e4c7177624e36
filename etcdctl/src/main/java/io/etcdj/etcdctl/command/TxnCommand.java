package io.etcdj.etcdctl.command;

import io.etcdj.api.etcdserverpb.Compare;
import io.etcdj.api.etcdserverpb.RequestOp;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.etcdj.api.etcdserverpb.TxnResponse;
import io.etcdj.etcdctl.cli.Command;
import io.etcdj.etcdctl.cli.Console;
import io.etcdj.etcdctl.cli.DefaultUsageText;
import io.etcdj.etcdctl.cli.ExitCodes;
import io.etcdj.etcdctl.cli.ExitException;
import io.etcdj.etcdctl.cli.FlagSet;
import io.etcdj.etcdctl.cli.Invocation;
import io.etcdj.etcdctl.client.EtcdClient;
import io.etcdj.etcdctl.client.EtcdError;
import io.etcdj.etcdctl.print.GoQuote;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

/**
 * txn: reads compares, then success ops, then failure ops from stdin, each block ended by an
 * empty line (-i prints a prompt before each block), and commits them as one transaction.
 */
final class TxnCommand {
    private TxnCommand() {}

    static Command build() {
        Command c = new Command("txn [options]", "Txn processes all the requests in one transaction", TxnCommand::run);
        c.flags().bool("interactive", "i", false, "Input transaction in interactive mode");
        return c;
    }

    private static void run(Invocation inv) {
        if (!inv.args().isEmpty()) {
            throw inv.fail(ExitCodes.BAD_ARGS, "txn command does not accept argument");
        }
        Session s = new Session(inv);
        boolean interactive = inv.bool("interactive");
        try (EtcdClient c = s.client()) {
            LineReader r = new LineReader(inv.console().in());
            TxnRequest.Builder t = TxnRequest.newBuilder();
            prompt(s, interactive, "compares:");
            block(inv, r, line -> t.addCompare(parseCompare(inv, line)));
            prompt(s, interactive, "success requests (get, put, del):");
            block(inv, r, line -> t.addSuccess(parseOp(inv, line)));
            prompt(s, interactive, "failure requests (get, put, del):");
            block(inv, r, line -> t.addFailure(parseOp(inv, line)));
            TxnRequest req = t.build();
            TxnResponse resp;
            try {
                resp = c.unary(x -> x.kvNoTimeout().txn(req));
            } catch (EtcdError e) {
                throw s.fail(ExitCodes.ERROR, e.getMessage());
            }
            s.print(() -> s.printer().txn(resp));
        }
    }

    private static void prompt(Session s, boolean interactive, String text) {
        if (interactive) {
            s.out().println(text);
        }
    }

    /** Reads lines up to an empty one, each parsed as soon as it is read (a bad line fails before a later EOF). */
    private static void block(Invocation inv, LineReader r, Consumer<String> parse) {
        while (true) {
            String line = r.readLine();
            if (line == null) {
                throw inv.fail(ExitCodes.INVALID_INPUT, "EOF");
            }
            line = line.strip();
            if (line.isEmpty()) {
                return;
            }
            parse.accept(line);
        }
    }

    static Compare parseCompare(Invocation inv, String line) {
        int paren = line.indexOf('(');
        if (paren < 0) {
            throw inv.fail(ExitCodes.INVALID_INPUT, "malformed comparison: " + line);
        }
        String target = line.substring(0, paren);
        String rest = line.substring(paren + 1);
        int[] end = new int[1];
        String key = GoUnquote.scan(rest, 0, end);
        String op = "";
        String val = "";
        int n = 0;
        if (key != null) {
            n = 1;
            int i = end[0];
            if (rest.startsWith(")", i)) {
                i++;
                while (i < rest.length() && Character.isWhitespace(rest.charAt(i))) i++;
                int ws = i;
                while (i < rest.length() && !Character.isWhitespace(rest.charAt(i))) i++;
                if (i > ws) {
                    op = rest.substring(ws, i);
                    n = 2;
                    String v = GoUnquote.scan(rest, i, end);
                    if (v != null) {
                        val = v;
                        n = 3;
                    }
                }
            }
        } else {
            key = "";
        }
        if (n != 3) {
            throw inv.fail(ExitCodes.INVALID_INPUT, "malformed comparison: " + line + "; got " + target + "("
                    + GoQuote.quote(key) + ") " + op + " " + GoQuote.quote(val));
        }
        int code = switch (target) {
            case "ver", "version" -> 0;
            case "c", "create" -> 1;
            case "m", "mod" -> 2;
            case "val", "value" -> 3;
            case "lease" -> 4;
            default -> throw inv.fail(ExitCodes.INVALID_INPUT,
                    "malformed comparison: " + line + " (unknown target " + target + ")");
        };
        long number = 0;
        if (code <= 2) {
            try {
                number = Long.parseLong(val);
            } catch (NumberFormatException e) {
                throw inv.fail(ExitCodes.INVALID_INPUT, "invalid txn compare request: " + line);
            }
        }
        // the operator is checked after the number, and etcdctl 3.4 panics on a bad one and on any lease compare
        Compare.CompareResult result = result(op);
        if (result == null) {
            throw panic(inv, TxnComparePanic.unknownOp(code, key, line));
        }
        if (code == 4) {
            throw panic(inv, TxnComparePanic.leaseBadValue(result.getNumber(), line));
        }
        Compare.Builder b = Compare.newBuilder().setResult(result).setKey(KvRequests.bytes(key));
        return switch (code) {
            case 0 -> b.setTarget(Compare.CompareTarget.VERSION).setVersion(number).build();
            case 1 -> b.setTarget(Compare.CompareTarget.CREATE).setCreateRevision(number).build();
            case 2 -> b.setTarget(Compare.CompareTarget.MOD).setModRevision(number).build();
            default -> b.setTarget(Compare.CompareTarget.VALUE).setValue(KvRequests.bytes(val)).build();
        };
    }

    /** Writes a Go panic's trace and ends the run as Go does (exit status 2). */
    private static ExitException panic(Invocation inv, String trace) {
        inv.console().out().flush();
        inv.console().err().print(trace);
        return new ExitException(ExitCodes.GO_PANIC);
    }

    /** The compare result for an operator, null for one etcdctl does not know. */
    private static Compare.CompareResult result(String op) {
        return switch (op) {
            case "=" -> Compare.CompareResult.EQUAL;
            case "!=" -> Compare.CompareResult.NOT_EQUAL;
            case "<" -> Compare.CompareResult.LESS;
            case ">" -> Compare.CompareResult.GREATER;
            default -> null;
        };
    }

    /** Parses "put k v", "get k", "del k" with the real commands' flags (a nested command line). */
    static RequestOp parseOp(Invocation inv, String line) {
        List<String> args = Argify.split(line);
        if (args.size() < 2) {
            throw inv.fail(ExitCodes.INVALID_INPUT, "invalid txn compare request: " + line);
        }
        RequestOp[] result = new RequestOp[1];
        Command holder = new Command("", "", null);
        holder.add(KvRequests.putCommand(i -> result[0] = RequestOp.newBuilder()
                        .setRequestPut(KvRequests.putRequest(i)).build()),
                KvRequests.getCommand(i -> result[0] = RequestOp.newBuilder()
                        .setRequestRange(KvRequests.getRequest(i)).build()),
                KvRequests.delCommand(i -> result[0] = RequestOp.newBuilder()
                        .setRequestDeleteRange(KvRequests.delRequest(i)).build()));
        Command sub = null;
        for (Command c : holder.children()) {
            if (c.name().startsWith(args.get(0))) {
                sub = sub == null ? c : null;
                if (c.name().equals(args.get(0))) {
                    sub = c;
                    break;
                }
            }
        }
        if (sub == null) {
            throw inv.fail(ExitCodes.INVALID_INPUT, "invalid txn request: " + line);
        }
        FlagSet.Parsed parsed;
        try {
            parsed = sub.allFlags().parse(args.subList(1, args.size()));
        } catch (FlagSet.ParseException e) {
            // cobra shows the op's usage (its own default text, then a blank line) before etcdctl's error
            inv.console().err().println(DefaultUsageText.usageAndFlags(sub));
            throw inv.fail(ExitCodes.INVALID_INPUT, "invalid txn request: " + line);
        }
        Console console = inv.console();
        try {
            sub.body().run(new Invocation(sub, parsed.args(), parsed.argsLenAtDash(), args, console));
        } catch (ExitException e) {
            throw e;
        } catch (Exception e) {
            throw inv.fail(ExitCodes.INVALID_INPUT, "invalid txn request: " + line);
        }
        return result[0];
    }

    /**
     * bufio.Reader.ReadString('\n') over raw bytes, with bufio's 4096-byte buffer: bytes it has
     * buffered are gone from the underlying stream (a put without value then sees no stdin).
     * Returns null at EOF before a newline.
     */
    static final class LineReader {
        private final InputStream in;
        private final byte[] buf = new byte[4096];
        private int pos;
        private int len;

        LineReader(InputStream in) {
            this.in = in;
        }

        String readLine() {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            while (true) {
                if (pos == len) {
                    try {
                        len = in.read(buf, 0, buf.length);
                    } catch (IOException e) {
                        len = -1;
                    }
                    pos = 0;
                    if (len <= 0) {
                        len = 0;
                        return null;
                    }
                }
                byte c = buf[pos++];
                if (c == '\n') {
                    return b.toString(StandardCharsets.UTF_8);
                }
                b.write(c);
            }
        }
    }
}
