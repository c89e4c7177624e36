package io.etcdj.etcdctl.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs a command tree over process arguments the way cobra does for etcdctl and etcdutl: find the
 * command (subcommand names may be abbreviated to any unique prefix), parse the merged flag set,
 * then print usage (for -h, or a command that only groups others), refuse missing required flags,
 * or run the body. Errors are reported as cobra and the tools report them, and end in
 * {@link ExitException}; the {@link CobraStyle} decides how the usage page looks and where it goes.
 */
public final class CommandLine {
    private static final int EXIT_ERROR = 1;

    private CommandLine() {}

    /** Runs as etcdctl 3.4 does and returns the exit code. */
    public static int execute(Command root, List<String> rawArgs, Console console) {
        return execute(root, rawArgs, console, CobraStyle.ETCDCTL_34);
    }

    /** Runs and returns the exit code. */
    public static int execute(Command root, List<String> rawArgs, Console console, CobraStyle style) {
        try {
            run(root, rawArgs, console, style);
            return 0;
        } catch (ExitException e) {
            return e.code();
        } finally {
            console.out().flush();
            console.err().flush();
        }
    }

    private static void run(Command root, List<String> rawArgs, Console console, CobraStyle style)
            throws ExitException {
        Found found = find(root, rawArgs);
        Command cmd = found.command;
        if (found.error != null) {
            console.err().println("Error: " + found.error);
            console.err().println("Run '" + cmd.path() + " --help' for usage.");
            console.err().println("Error: " + found.error);
            throw new ExitException(EXIT_ERROR);
        }
        Flag help = cmd.helpFlag();
        FlagSet.Parsed parsed;
        try {
            parsed = cmd.allFlags().parse(found.args);
        } catch (FlagSet.ParseException e) {
            throw usageError(cmd, e.getMessage(), console, style);
        }
        if ((Boolean) help.value() || !cmd.runnable()) {
            console.out().print(style.usage(cmd));
            return;
        }
        String missing = missingRequiredFlags(cmd);
        if (missing != null) {
            throw usageError(cmd, missing, console, style);
        }
        try {
            cmd.body().run(new Invocation(cmd, parsed.args(), parsed.argsLenAtDash(), rawArgs, console));
        } catch (UsageException e) {
            throw usageError(cmd, e.getMessage(), console, style);
        } catch (ExitException e) {
            throw e;
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            console.err().println("Error: " + e.getMessage());
            throw new ExitException(EXIT_ERROR);
        }
    }

    /** "Error: message", the usage page, a blank line and "Error: message" again; exit 1. */
    private static ExitException usageError(Command cmd, String message, Console console, CobraStyle style) {
        console.err().println("Error: " + message);
        style.usageErrorStream(console).print(style.usage(cmd));
        console.err().println();
        console.err().println("Error: " + message);
        return new ExitException(EXIT_ERROR);
    }

    /** cobra's message for required flags not given, in name order; null when none is missing. */
    private static String missingRequiredFlags(Command cmd) {
        List<String> missing = new ArrayList<>();
        for (Flag f : cmd.allFlags().sorted()) {
            if (f.required() && !f.changed()) {
                missing.add("\"" + f.name() + "\"");
            }
        }
        return missing.isEmpty() ? null : "required flag(s) " + String.join(", ", missing) + " not set";
    }

    private record Found(Command command, List<String> args, String error) {}

    private static Found find(Command root, List<String> args) {
        Command c = root;
        List<String> rest = new ArrayList<>(args);
        while (true) {
            List<String> names = stripFlags(rest, c);
            if (names.isEmpty()) {
                break;
            }
            Command next = findNext(c, names.get(0));
            if (next == null) {
                break;
            }
            rest = argsMinusFirst(rest, names.get(0), c);
            c = next;
        }
        if (c.hasChildren() && c.parent() == null) {
            List<String> names = stripFlags(rest, c);
            if (!names.isEmpty()) {
                String typed = names.get(0);
                return new Found(c, rest, "unknown command \"" + typed + "\" for \"" + c.path() + "\""
                        + suggestions(c, typed));
            }
        }
        return new Found(c, rest, null);
    }

    /** The subcommand {@code next} names, exactly or as a unique prefix; null if none. */
    static Command findNext(Command c, String next) {
        List<Command> matches = new ArrayList<>();
        for (Command sub : c.children()) {
            if (sub.name().equals(next)) {
                return sub;
            }
            if (sub.name().startsWith(next)) {
                matches.add(sub);
            }
        }
        return matches.size() == 1 ? matches.get(0) : null;
    }

    private static boolean noOptDefVal(FlagSet fs, String name, boolean shorthand) {
        Flag f = shorthand ? fs.lookupShorthand(name) : fs.lookup(name);
        return f != null && f.takesNoValue();
    }

    /** Whether {@code s} is a flag ("--name" or "-x", no "=value") whose value is the next word. */
    private static boolean takesNextWordAsValue(String s, FlagSet fs) {
        boolean longNeedsValue = s.startsWith("--") && !s.contains("=") && !noOptDefVal(fs, s.substring(2), false);
        boolean shortNeedsValue = s.startsWith("-") && !s.contains("=") && s.length() == 2
                && !noOptDefVal(fs, s.substring(1), true);
        return longNeedsValue || shortNeedsValue;
    }

    /** cobra's stripFlags: the non-flag words, skipping the values of flags that need one. */
    static List<String> stripFlags(List<String> input, Command c) {
        FlagSet fs = c.allFlags();
        c.helpFlag();
        List<String> args = new ArrayList<>(input);
        List<String> commands = new ArrayList<>();
        while (!args.isEmpty()) {
            String s = args.remove(0);
            if (s.equals("--")) {
                break;
            }
            if (takesNextWordAsValue(s, fs)) {
                if (args.size() <= 1) {
                    break;
                }
                args.remove(0);
                continue;
            }
            if (!s.isEmpty() && !s.startsWith("-")) {
                commands.add(s);
            }
        }
        return commands;
    }

    private static List<String> argsMinusFirst(List<String> args, String x, Command c) {
        FlagSet fs = c.allFlags();
        for (int pos = 0; pos < args.size(); pos++) {
            String s = args.get(pos);
            if (s.equals("--")) {
                break;
            }
            if (takesNextWordAsValue(s, fs)) {
                pos++;
                continue;
            }
            if (!s.startsWith("-") && s.equals(x)) {
                List<String> out = new ArrayList<>(args);
                out.remove(pos);
                return out;
            }
        }
        return args;
    }

    private static String suggestions(Command c, String typed) {
        List<String> found = new ArrayList<>();
        for (Command sub : c.children()) {
            if (sub.name().equals("help") || sub.hidden()) {
                continue;
            }
            boolean close = levenshtein(typed.toLowerCase(), sub.name().toLowerCase()) <= 2;
            boolean prefix = sub.name().toLowerCase().startsWith(typed.toLowerCase());
            if (close || prefix) {
                found.add(sub.name());
            }
        }
        if (found.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder("\n\nDid you mean this?\n");
        for (String s : found) {
            b.append('\t').append(s).append('\n');
        }
        return b.toString();
    }

    private static int levenshtein(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
