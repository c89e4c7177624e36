package io.etcdj.etcdctl.v2;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One flag set parsed as Go's flag package does (as urfave/cli v1 uses it): flags end at the first
 * argument that is not a flag or at "--"; a non-boolean flag takes the next argument whatever it is.
 * Names are given without dashes; aliases share one value slot (the first name).
 */
final class GoFlags {
    /** A flag parse failure; the message is Go's text ("flag provided but not defined: -x"). */
    static final class ParseError extends Exception {
        ParseError(String message) {
            super(message);
        }
    }

    private final Map<String, String> canonical = new HashMap<>();
    private final Map<String, Boolean> isBool = new HashMap<>();
    private final Set<String> isInt = new HashSet<>();
    private final Set<String> isSlice = new HashSet<>();
    private final Map<String, List<String>> slices = new HashMap<>();
    private final Map<String, String> values = new HashMap<>();
    private final List<String> args = new ArrayList<>();

    GoFlags boolFlag(String... names) {
        return define(true, names);
    }

    GoFlags valueFlag(String... names) {
        return define(false, names);
    }

    /** A repeatable string flag (cli.StringSliceFlag): each occurrence adds one value. */
    GoFlags sliceFlag(String... names) {
        isSlice.add(names[0]);
        return define(false, names);
    }

    /** An integer flag (fs.Int): its value is checked while parsing, as Go's flag.Set does. */
    GoFlags intFlag(String... names) {
        isInt.add(names[0]);
        return define(false, names);
    }

    private GoFlags define(boolean bool, String... names) {
        for (String n : names) {
            canonical.put(n, names[0]);
        }
        isBool.put(names[0], bool);
        return this;
    }

    /**
     * urfave/cli v1's reordering before parsing: a flag the command defines moves ahead of the
     * positional arguments, taking along the next argument unless that is a flag too (it may be the
     * value); an unknown "--x" stays an argument. A "--" ends the reordering and is put in front of the
     * remaining arguments, so Go's flag parser drops it when no flag came before: "KEY -- CMD" parses
     * to the arguments [KEY, CMD], while "-r KEY -- CMD" keeps [KEY, --, CMD].
     */
    List<String> reorder(List<String> in) {
        List<String> flags = new ArrayList<>();
        List<String> rest = new ArrayList<>();
        boolean mayBeValue = false;
        for (int i = 0; i < in.size(); i++) {
            String a = in.get(i);
            boolean isFlag = !a.equals("-") && !a.equals("--") && a.startsWith("-") && defines(a);
            if (mayBeValue && !isFlag) {
                mayBeValue = false;
                flags.add(a);
            } else if (a.equals("--")) {
                rest.add(0, "--");
                rest.addAll(in.subList(i + 1, in.size()));
                break;
            } else if (isFlag) {
                flags.add(a);
                mayBeValue = !a.contains("=");
            } else {
                rest.add(a);
            }
        }
        flags.addAll(rest);
        return flags;
    }

    private boolean defines(String arg) {
        String name = arg.replaceFirst("^-+", "");
        int eq = name.indexOf('=');
        return canonical.containsKey(eq < 0 ? name : name.substring(0, eq));
    }

    GoFlags parse(List<String> in) throws ParseError {
        int i = 0;
        while (i < in.size()) {
            String a = in.get(i);
            if (a.length() < 2 || a.charAt(0) != '-') {
                break;
            }
            i++;
            String name = a.substring(1);
            if (name.startsWith("-")) {
                name = name.substring(1);
                if (name.isEmpty()) {
                    break; // "--" ends the flags
                }
            }
            if (name.isEmpty() || name.startsWith("-") || name.startsWith("=")) {
                throw new ParseError("bad flag syntax: " + a);
            }
            String value = null;
            int eq = name.indexOf('=');
            if (eq > 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            String key = canonical.get(name);
            lastName = name;
            if (key == null) {
                throw new ParseError("flag provided but not defined: -" + name);
            }
            if (isBool.get(key)) {
                if (value == null) {
                    value = "true";
                } else if (!value.matches("1|t|T|TRUE|true|True|0|f|F|FALSE|false|False")) {
                    throw new ParseError("invalid boolean value \"" + value + "\" for -" + name + ": parse error");
                }
            } else if (value == null) {
                if (i >= in.size()) {
                    throw new ParseError("flag needs an argument: -" + name);
                }
                value = in.get(i++);
            }
            values.put(key, value);
            if (isSlice.contains(key)) {
                slices.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
            }
            if (isInt.contains(key)) {
                integer(key);
            }
        }
        args.addAll(in.subList(i, in.size()));
        return this;
    }

    /** The name the user typed is not kept; Go reports the flag under the name it was given. */
    private String alias(String name) {
        return lastName != null && name.equals(canonical.get(lastName)) ? lastName : name;
    }

    private String lastName;

    List<String> args() {
        return args;
    }

    boolean isSet(String name) {
        return values.containsKey(name);
    }

    String string(String name) {
        return values.getOrDefault(name, "");
    }

    /** Every value a slice flag was given, in order. */
    List<String> strings(String name) {
        return slices.getOrDefault(name, List.of());
    }

    boolean bool(String name) {
        return values.getOrDefault(name, "false").matches("1|t|T|TRUE|true|True");
    }

    /** Go's fs.Int: strconv.ParseInt(s, 0, 64). */
    long integer(String name) throws ParseError {
        String v = values.get(name);
        if (v == null) {
            return 0;
        }
        try {
            String s = v.startsWith("+") ? v.substring(1) : v;
            boolean neg = s.startsWith("-");
            String d = neg ? s.substring(1) : s;
            long r;
            if (d.startsWith("0x") || d.startsWith("0X")) {
                r = Long.parseLong(d.substring(2), 16);
            } else if (d.length() > 1 && d.startsWith("0")) {
                r = Long.parseLong(d.substring(1), 8);
            } else {
                r = Long.parseLong(d);
            }
            return neg ? -r : r;
        } catch (NumberFormatException e) {
            throw new ParseError("invalid value \"" + v + "\" for flag -" + alias(name) + ": parse error");
        }
    }
}
