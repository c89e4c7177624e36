package io.etcdj.etcdctl.v2;

import java.io.PrintStream;

/** printResponseKey: one key reply in the --output format (simple, extended or json). */
final class ResponsePrinter {
    private ResponsePrinter() {}

    static void print(KeysResponse r, String format, PrintStream out, PrintStream err) {
        switch (format) {
            case "simple" -> {
                if (!r.action().equals("delete")) {
                    out.print(r.node().value() + "\n");
                } else {
                    out.print("PrevNode.Value: " + (r.prevNode() == null ? "" : r.prevNode().value()) + "\n");
                }
            }
            case "extended" -> {
                StringBuilder b = new StringBuilder();
                b.append("Key: ").append(r.node().key()).append('\n');
                b.append("Created-Index: ").append(r.node().createdIndex()).append('\n');
                b.append("Modified-Index: ").append(r.node().modifiedIndex()).append('\n');
                if (r.prevNode() != null) {
                    b.append("PrevNode.Value: ").append(r.prevNode().value()).append('\n');
                }
                b.append("TTL: ").append(r.node().ttl()).append('\n');
                b.append("Index: ").append(r.index()).append('\n');
                if (!r.action().equals("delete")) {
                    b.append('\n').append(r.node().value()).append('\n');
                }
                out.print(b);
            }
            case "json" -> out.print(r.toJson() + "\n");
            default -> err.print("Unsupported output format: " + format + "\n");
        }
    }
}
