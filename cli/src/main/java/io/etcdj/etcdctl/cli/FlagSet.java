package io.etcdj.etcdctl.cli;

import io.etcdj.etcdctl.print.GoQuote;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An ordered set of flags with pflag's parsing rules: interspersed positional arguments,
 * {@code --name value}, {@code --name=value}, {@code -x value}, {@code -xvalue}, {@code -x=value},
 * grouped bool shorthands, and {@code --} ending flag parsing.
 */
public final class FlagSet {
    private final Map<String, Flag> byName = new LinkedHashMap<>();
    private final Map<String, Flag> byShorthand = new LinkedHashMap<>();

    public Flag add(Flag f) {
        byName.put(f.name(), f);
        if (!f.shorthand().isEmpty()) {
            byShorthand.put(f.shorthand(), f);
        }
        return f;
    }

    public Flag bool(String name, String shorthand, boolean def, String usage) {
        return add(new Flag(name, shorthand, FlagKind.BOOL, def, usage));
    }

    public Flag string(String name, String shorthand, String def, String usage) {
        return add(new Flag(name, shorthand, FlagKind.STRING, def, usage));
    }

    public Flag int64(String name, long def, String usage) {
        return add(new Flag(name, "", FlagKind.INT64, def, usage));
    }

    public Flag integer(String name, long def, String usage) {
        return add(new Flag(name, "", FlagKind.INT, def, usage));
    }

    /** An unsigned 64-bit flag (pflag's Uint64, shown as "uint"); its value is the raw 64 bits. */
    public Flag uint64(String name, long def, String usage) {
        return add(new Flag(name, "", FlagKind.UINT, def, usage));
    }

    public Flag duration(String name, long defNanos, String usage) {
        return add(new Flag(name, "", FlagKind.DURATION, defNanos, usage));
    }

    public Flag stringSlice(String name, List<String> def, String usage) {
        return add(new Flag(name, "", FlagKind.STRING_SLICE, new ArrayList<>(def), usage));
    }

    public Flag lookup(String name) {
        return byName.get(name);
    }

    public Flag lookupShorthand(String s) {
        return byShorthand.get(s);
    }

    public boolean isEmpty() {
        return byName.isEmpty();
    }

    /** Flags sorted by name, as pflag's VisitAll visits them. */
    public Collection<Flag> sorted() {
        return new TreeMap<>(byName).values();
    }

    public Collection<Flag> all() {
        return byName.values();
    }

    /** Result of a parse: positional arguments and where "--" was (-1 if absent). */
    public record Parsed(List<String> args, int argsLenAtDash) {}

    /** Thrown for any parse failure; the message is pflag's. */
    public static final class ParseException extends Exception {
        public ParseException(String message) {
            super(message);
        }
    }

    /** Thrown when -h/--help is given but no such flag exists (never for cobra commands). */
    public Parsed parse(List<String> input) throws ParseException {
        List<String> args = new ArrayList<>(input);
        List<String> positional = new ArrayList<>();
        int dash = -1;
        while (!args.isEmpty()) {
            String s = args.remove(0);
            if (s.isEmpty() || s.charAt(0) != '-' || s.length() == 1) {
                positional.add(s);
                continue;
            }
            if (s.charAt(1) == '-') {
                if (s.length() == 2) {
                    dash = positional.size();
                    positional.addAll(args);
                    break;
                }
                parseLong(s, args);
            } else {
                String shorthands = s.substring(1);
                while (!shorthands.isEmpty()) {
                    shorthands = parseShort(shorthands, args);
                }
            }
        }
        return new Parsed(positional, dash);
    }

    private void parseLong(String s, List<String> args) throws ParseException {
        String name = s.substring(2);
        if (name.isEmpty() || name.charAt(0) == '-' || name.charAt(0) == '=') {
            throw new ParseException("bad flag syntax: " + s);
        }
        int eq = name.indexOf('=');
        String value = null;
        if (eq >= 0) {
            value = name.substring(eq + 1);
            name = name.substring(0, eq);
        }
        Flag f = byName.get(name);
        if (f == null) {
            throw new ParseException("unknown flag: --" + name);
        }
        if (value == null) {
            if (f.takesNoValue()) {
                value = "true";
            } else if (!args.isEmpty()) {
                value = args.remove(0);
            } else {
                throw new ParseException("flag needs an argument: " + s);
            }
        }
        set(f, value);
    }

    private String parseShort(String shorthands, List<String> args) throws ParseException {
        String rest = shorthands.substring(1);
        String c = shorthands.substring(0, 1);
        Flag f = byShorthand.get(c);
        if (f == null) {
            throw new ParseException("unknown shorthand flag: '" + c + "' in -" + shorthands);
        }
        String value;
        if (shorthands.length() > 2 && shorthands.charAt(1) == '=') {
            value = shorthands.substring(2);
            rest = "";
        } else if (f.takesNoValue()) {
            value = "true";
        } else if (shorthands.length() > 1) {
            value = shorthands.substring(1);
            rest = "";
        } else if (!args.isEmpty()) {
            value = args.remove(0);
        } else {
            throw new ParseException("flag needs an argument: '" + c + "' in -" + shorthands);
        }
        set(f, value);
        return rest;
    }

    private static void set(Flag f, String value) throws ParseException {
        try {
            f.set(value);
        } catch (FlagValueException e) {
            throw new ParseException("invalid argument " + GoQuote.quote(value)
                    + " for \"" + f.displayName() + "\" flag: " + e.getMessage());
        }
    }
}
