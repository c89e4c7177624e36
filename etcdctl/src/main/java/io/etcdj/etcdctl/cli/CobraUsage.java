package io.etcdj.etcdctl.cli;

import io.etcdj.etcdctl.print.GoQuote;
import java.util.ArrayList;
import java.util.List;

/**
 * cobra's own default usage text (not etcdctl's NAME/USAGE/OPTIONS template), which cobra prints
 * for a command that etcdctl runs without its template: the put/get/del lines of a txn, on a flag
 * they cannot parse. Flags are listed as pflag's FlagUsages does: sorted, a column for the value
 * type, the default shown unless it is the type's zero value, the usage column aligned.
 */
public final class CobraUsage {
    private CobraUsage() {}

    /** "Usage:", the use line, "Flags:" and the local flags (with cobra's -h/--help), ending with a newline. */
    public static String of(Command cmd) {
        cmd.helpFlag();
        return "Usage:\n  " + UsageText.useLine(cmd) + "\n\nFlags:\n" + flagUsages(cmd.localFlags()) + "\n";
    }

    private static String flagUsages(FlagSet fs) {
        List<String> names = new ArrayList<>();
        List<String> usages = new ArrayList<>();
        int width = 0;
        for (Flag f : fs.sorted()) {
            String name = f.shorthand().isEmpty() ? "      --" + f.name() : "  -" + f.shorthand() + ", --" + f.name();
            String type = typeColumn(f.kind());
            if (!type.isEmpty()) {
                name += " " + type;
            }
            names.add(name);
            usages.add(f.usage() + (isZero(f) ? "" : " (default "
                    + (f.kind() == FlagKind.STRING ? GoQuote.quote(f.defValue()) : f.defValue()) + ")"));
            width = Math.max(width, name.length());
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < names.size(); i++) {
            b.append(names.get(i)).append(" ".repeat(width - names.get(i).length() + 3)).append(usages.get(i));
            if (i < names.size() - 1) {
                b.append('\n');
            }
        }
        return b.toString();
    }

    /** pflag's UnquoteUsage name for a value type: none for bool, "int" for int64, "strings" for a slice. */
    private static String typeColumn(FlagKind kind) {
        return switch (kind) {
            case BOOL -> "";
            case INT, INT64 -> "int";
            case STRING -> "string";
            case DURATION -> "duration";
            case STRING_SLICE -> "strings";
        };
    }

    private static boolean isZero(Flag f) {
        return switch (f.kind()) {
            case BOOL -> f.defValue().equals("false");
            case STRING -> f.defValue().isEmpty();
            case INT, INT64 -> f.defValue().equals("0");
            case DURATION -> f.defValue().equals("0s");
            case STRING_SLICE -> f.defValue().equals("[]");
        };
    }
}
