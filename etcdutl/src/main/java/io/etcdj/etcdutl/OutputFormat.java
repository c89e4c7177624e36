package io.etcdj.etcdutl;

import io.etcdj.etcdctl.cli.ExitCodes;
import io.etcdj.etcdctl.cli.Invocation;
import java.util.Set;

/**
 * The -w/--write-out values etcdutl prints in. An unknown one is refused (exit 4) when a command is
 * about to print, after its argument checks; protobuf is a known one that nothing prints in.
 */
final class OutputFormat {
    private static final Set<String> KNOWN = Set.of("simple", "json", "table", "fields", "protobuf");

    private OutputFormat() {}

    /** The format asked for; "Error: unsupported output format" (exit 4) if etcdutl knows no such one. */
    static String require(Invocation inv) {
        String format = inv.string("write-out");
        if (!KNOWN.contains(format)) {
            throw inv.fail(ExitCodes.BAD_FEATURE, "unsupported output format");
        }
        return format;
    }

    /** Refuses protobuf, which etcdutl's printers do not print in (exit 4). */
    static void refuseProtobuf(Invocation inv, String format) {
        if (format.equals("protobuf")) {
            throw inv.fail(ExitCodes.BAD_FEATURE, "protobuf not supported as output format");
        }
    }
}
