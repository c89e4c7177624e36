package io.etcdj.etcdctl.cli;

import io.etcdj.etcdctl.print.GoQuote;
import java.util.ArrayList;
import java.util.List;

/** Renders etcdctl's help/usage page for a command (its custom cobra usage template). */
public final class UsageText {
    public static final String VERSION = "3.4.23";
    public static final String API_VERSION = "3.4";

    private UsageText() {}

    public static String render(Command cmd) {
        cmd.helpFlag();
        StringBuilder b = new StringBuilder();
        b.append("NAME:\n");
        String name = cmd.parent() == null ? cmd.name() : nameFrom(cmd, cmd.root());
        b.append('\t').append(name).append(" - ").append(cmd.shortText()).append('\n');
        b.append("\nUSAGE:\n\t").append(useLine(cmd)).append('\n');
        if (cmd.parent() == null) {
            b.append("\nVERSION:\n\t").append(VERSION).append('\n');
        }
        if (cmd.hasChildren()) {
            b.append("\nAPI VERSION:\n\t").append(API_VERSION).append('\n');
            b.append("\n\nCOMMANDS:\n");
            for (Command sub : descendants(cmd)) {
                if (sub.runnable()) {
                    b.append('\t').append(nameFrom(sub, cmd)).append('\t').append(sub.shortText()).append('\n');
                }
            }
        }
        if (!cmd.longText().isEmpty()) {
            b.append("\nDESCRIPTION:\n");
            for (String line : trim(cmd.longText()).split("\n", -1)) {
                b.append('\t').append(line).append('\n');
            }
        }
        FlagSet local = cmd.localFlags();
        if (!local.isEmpty()) {
            b.append("\nOPTIONS:\n").append(flagUsages(local));
        }
        FlagSet inherited = cmd.inheritedFlags();
        if (!inherited.isEmpty()) {
            b.append("\nGLOBAL OPTIONS:\n").append(flagUsages(inherited));
        }
        b.append('\n');
        return GoTabWriter.format(b.toString());
    }

    /** cobra's UseLine: the parent's path, the Use text, and " [flags]" unless the command disables it. */
    public static String useLine(Command cmd) {
        String line = cmd.parent() == null ? cmd.use() : cmd.parent().path() + " " + cmd.use();
        if (cmd.flagsInUseLine() && !line.contains("[flags]")) {
            line += " [flags]";
        }
        return line;
    }

    private static String nameFrom(Command cmd, Command start) {
        List<String> parts = new ArrayList<>();
        parts.add(cmd.name());
        Command c = cmd;
        while (c.parent() != null && !c.parent().name().equals(start.name())) {
            c = c.parent();
            parts.add(0, c.name());
        }
        return String.join(" ", parts);
    }

    private static List<Command> descendants(Command cmd) {
        List<Command> out = new ArrayList<>();
        for (Command c : cmd.children()) {
            if (c.hidden()) {
                continue;
            }
            out.add(c);
            out.addAll(descendants(c));
        }
        return out;
    }

    private static String trim(String s) {
        int a = 0;
        int z = s.length();
        while (a < z && "\n\t ".indexOf(s.charAt(a)) >= 0) a++;
        while (z > a && "\n\t ".indexOf(s.charAt(z - 1)) >= 0) z--;
        return s.substring(a, z);
    }

    private static String flagUsages(FlagSet fs) {
        StringBuilder b = new StringBuilder();
        for (Flag f : fs.sorted()) {
            if (f.shorthand().isEmpty()) {
                b.append("      --").append(f.name());
            } else {
                b.append("  -").append(f.shorthand()).append(", --").append(f.name());
            }
            boolean opt = f.takesNoValue();
            if (opt) {
                b.append('[');
            }
            b.append('=');
            b.append(f.kind() == FlagKind.STRING ? GoQuote.quote(f.defValue()) : f.defValue());
            if (opt) {
                b.append(']');
            }
            b.append('\t').append(f.usage()).append('\n');
        }
        return b.toString();
    }
}
