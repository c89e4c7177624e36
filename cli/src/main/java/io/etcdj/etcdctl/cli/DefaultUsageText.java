package io.etcdj.etcdctl.cli;

import io.etcdj.etcdctl.print.GoQuote;
import java.util.ArrayList;
import java.util.List;

/**
 * cobra 1.x's default usage template, as etcdutl 3.5 prints it for --help, help, a command that
 * only groups others, and after a usage error. Sections, each only when it has something to show:
 * Usage (the use line if the command runs, "PATH [command]" if it has visible subcommands),
 * Available Commands, Flags (its own), Global Flags (inherited), and the closing "Use ..." line.
 * Hidden commands never appear.
 */
public final class DefaultUsageText {
    /** cobra's minimum width of the command-name column. */
    private static final int MIN_NAME_PADDING = 11;

    private DefaultUsageText() {}

    public static String render(Command cmd) {
        cmd.helpFlag();
        return render(cmd, cmd.localFlags());
    }

    /**
     * Only "Usage:", the use line, "Flags:" and the local flags (with -h/--help), ending with a
     * newline: what cobra prints for a command run without etcdctl's template (the put/get/del lines
     * of a txn, on a flag they cannot parse).
     */
    public static String usageAndFlags(Command cmd) {
        cmd.helpFlag();
        return "Usage:\n  " + UsageText.useLine(cmd) + "\n\nFlags:\n" + flagUsages(cmd.localFlags());
    }

    /**
     * The page without its -h flag: what cobra's help command prints for an unknown topic, the root
     * not having had its help flag added at that point.
     */
    public static String renderWithoutHelpFlag(Command cmd) {
        FlagSet local = new FlagSet();
        cmd.localFlags().all().stream().filter(f -> !f.name().equals("help")).forEach(local::add);
        return render(cmd, local);
    }

    private static String render(Command cmd, FlagSet local) {
        List<Command> visible = visibleChildren(cmd);
        StringBuilder b = new StringBuilder("Usage:");
        if (cmd.runnable()) {
            b.append("\n  ").append(UsageText.useLine(cmd));
        }
        if (!visible.isEmpty()) {
            b.append("\n  ").append(cmd.path()).append(" [command]");
        }
        if (!visible.isEmpty()) {
            int padding = namePadding(cmd);
            b.append("\n\nAvailable Commands:");
            for (Command c : visible) {
                b.append("\n  ").append(String.format("%-" + padding + "s", c.name())).append(' ').append(c.shortText());
            }
        }
        if (!local.isEmpty()) {
            b.append("\n\nFlags:\n").append(flagUsages(local).stripTrailing());
        }
        FlagSet inherited = cmd.inheritedFlags();
        if (!inherited.isEmpty()) {
            b.append("\n\nGlobal Flags:\n").append(flagUsages(inherited).stripTrailing());
        }
        if (!visible.isEmpty()) {
            b.append("\n\nUse \"").append(cmd.path()).append(" [command] --help\" for more information about a command.");
        }
        return b.append('\n').toString();
    }

    /** Subcommands a help page lists: not hidden, and runnable or grouping visible ones. */
    private static List<Command> visibleChildren(Command cmd) {
        List<Command> out = new ArrayList<>();
        for (Command c : cmd.children()) {
            if (!c.hidden() && (c.runnable() || !visibleChildren(c).isEmpty())) {
                out.add(c);
            }
        }
        return out;
    }

    /** The name column's width: the longest subcommand name (hidden ones count too), at least 11. */
    private static int namePadding(Command cmd) {
        int max = MIN_NAME_PADDING;
        for (Command c : cmd.children()) {
            max = Math.max(max, c.name().length());
        }
        return max;
    }

    /**
     * pflag's FlagUsages: "  -x, --name type" (or "      --name type"), the usages aligned two
     * spaces after the longest of those, and " (default ...)" unless the default is the zero value.
     */
    static String flagUsages(FlagSet fs) {
        List<String[]> lines = new ArrayList<>();
        int width = 0;
        for (Flag f : fs.sorted()) {
            String head = f.shorthand().isEmpty() ? "      --" + f.name() : "  -" + f.shorthand() + ", --" + f.name();
            String varName = f.kind().usageVarName();
            if (!varName.isEmpty()) {
                head += " " + varName;
            }
            width = Math.max(width, head.length() + 1);
            String usage = f.usage();
            if (!isZeroDefault(f)) {
                usage += " (default " + (f.kind() == FlagKind.STRING ? GoQuote.quote(f.defValue()) : f.defValue()) + ")";
            }
            lines.add(new String[] {head, usage});
        }
        StringBuilder b = new StringBuilder();
        for (String[] l : lines) {
            b.append(l[0]).append(" ".repeat(width - l[0].length() + 2)).append(l[1]).append('\n');
        }
        return b.toString();
    }

    private static boolean isZeroDefault(Flag f) {
        return switch (f.kind()) {
            case BOOL -> f.defValue().equals("false");
            case STRING -> f.defValue().isEmpty();
            case INT, INT64, UINT -> f.defValue().equals("0");
            case DURATION -> f.defValue().equals("0s") || f.defValue().equals("0");
            case STRING_SLICE -> f.defValue().equals("[]");
        };
    }
}
