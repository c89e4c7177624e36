package io.etcdj.server.proxy;

import io.etcdj.server.config.GoDuration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The flags of one cobra subcommand ({@code etcd gateway start}, {@code etcd grpc-proxy start}),
 * parsed as Go's pflag parses them: {@code --name=value}, {@code --name value}, bare booleans,
 * {@code -h}/{@code --help}; positional arguments are ignored, as etcd ignores them. Errors carry
 * pflag's texts ("unknown flag: --x", "invalid argument ... for \"--x\" flag: ...").
 */
public final class CobraFlags {
    /** Value kinds, each with pflag's type name as shown in the usage. */
    public enum Kind {
        STRING("string"), STRINGS("strings"), BOOL(""), DURATION("duration"), INT("int"), UINT32("uint32");

        final String typeName;

        Kind(String typeName) {
            this.typeName = typeName;
        }
    }

    /** One flag; a zero default ("", "0", "false", "0s") is not shown in the usage, as pflag does. */
    public record Spec(String name, Kind kind, String defaultValue, String usage) {
        String shownDefault() {
            if (defaultValue.isEmpty() || defaultValue.equals("0") || defaultValue.equals("false")
                    || defaultValue.equals("0s")) {
                return "";
            }
            return switch (kind) {
                case STRING -> " (default \"" + defaultValue + "\")";
                case STRINGS -> " (default [" + defaultValue + "])";
                default -> " (default " + defaultValue + ")";
            };
        }
    }

    /** A parse failure; {@code message} is pflag's text. */
    public static final class UsageException extends Exception {
        public UsageException(String message) {
            super(message);
        }
    }

    private final String commandLine;
    private final List<Spec> specs;
    private final Map<String, String> values = new LinkedHashMap<>();
    private boolean help;

    /** @param commandLine e.g. "etcd gateway start", shown in the usage */
    public CobraFlags(String commandLine, List<Spec> specs) {
        this.commandLine = commandLine;
        this.specs = List.copyOf(specs);
        for (Spec s : specs) {
            values.put(s.name(), s.kind() == Kind.BOOL && s.defaultValue().isEmpty() ? "false" : s.defaultValue());
        }
    }

    /** Parses {@code args}; afterwards {@link #helpRequested()} and the getters answer. */
    public void parse(List<String> args) throws UsageException {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--")) {
                return;
            }
            if (!a.startsWith("-") || a.equals("-")) {
                continue; // positional: ignored
            }
            String body = a.startsWith("--") ? a.substring(2) : a.substring(1);
            boolean shorthand = !a.startsWith("--");
            String name = body;
            String value = null;
            int eq = body.indexOf('=');
            if (eq >= 0) {
                name = body.substring(0, eq);
                value = body.substring(eq + 1);
            }
            if (name.equals("help") || (shorthand && name.equals("h"))) {
                help = true;
                continue;
            }
            Spec spec = shorthand ? null : spec(name);
            if (spec == null) {
                throw new UsageException(shorthand ? "unknown shorthand flag: '" + name.charAt(0) + "' in " + a
                        : "unknown flag: --" + name);
            }
            if (value == null) {
                if (spec.kind() == Kind.BOOL) {
                    value = "true";
                } else if (i + 1 < args.size()) {
                    value = args.get(++i);
                } else {
                    throw new UsageException("flag needs an argument: " + a);
                }
            }
            check(spec, value);
            values.put(name, spec.kind() == Kind.STRINGS && values.containsKey(name + "\0set")
                    ? values.get(name) + "," + value : value);
            values.put(name + "\0set", "");
        }
    }

    private static void check(Spec spec, String value) throws UsageException {
        String problem = switch (spec.kind()) {
            case BOOL -> value.matches("1|t|T|TRUE|true|True|0|f|F|FALSE|false|False") ? null
                    : "strconv.ParseBool: parsing \"" + value + "\": invalid syntax";
            case INT -> parses(value, Long.MIN_VALUE, Long.MAX_VALUE) ? null : "strconv.ParseInt: parsing \"" + value + "\": invalid syntax";
            case UINT32 -> value.startsWith("-") || !parses(value, 0, 0xFFFFFFFFL)
                    ? "strconv.ParseUint: parsing \"" + value + "\": invalid syntax" : null;
            case DURATION -> durationProblem(value);
            default -> null;
        };
        if (problem != null) {
            throw new UsageException("invalid argument \"" + value + "\" for \"--" + spec.name() + "\" flag: " + problem);
        }
    }

    private static boolean parses(String v, long min, long max) {
        try {
            long n = Long.parseLong(v);
            return n >= min && n <= max;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String durationProblem(String v) {
        try {
            GoDuration.parse(v);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    private Spec spec(String name) {
        return specs.stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
    }

    public boolean helpRequested() {
        return help;
    }

    public String string(String name) {
        return values.get(name);
    }

    /** A comma-separated list flag (repeated flags add to it, as pflag's string slices do). */
    public List<String> strings(String name) {
        String v = values.get(name);
        return v.isEmpty() ? List.of() : Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    public boolean bool(String name) {
        return values.get(name).matches("1|t|T|TRUE|true|True");
    }

    public long number(String name) {
        return Long.parseLong(values.get(name));
    }

    public Duration duration(String name) {
        return GoDuration.parse(values.get(name));
    }

    /** cobra's usage block: "Usage:", the command line, and the flag table aligned as pflag aligns it. */
    public String usage() {
        List<String[]> rows = new ArrayList<>();
        for (Spec s : specs) {
            String left = "      --" + s.name() + (s.kind().typeName.isEmpty() ? "" : " " + s.kind().typeName);
            rows.add(new String[] {left, s.usage() + s.shownDefault()});
        }
        rows.add(new String[] {"  -h, --help", "help for start"});
        rows.sort((x, y) -> name(x[0]).compareTo(name(y[0])));
        int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
        StringBuilder b = new StringBuilder("Usage:\n  ").append(commandLine).append(" [flags]\n\nFlags:\n");
        for (String[] r : rows) {
            b.append(r[0]).append(" ".repeat(width - r[0].length() + 3)).append(r[1]).append('\n');
        }
        return b.toString();
    }

    private static String name(String left) {
        return left.substring(left.indexOf("--") + 2);
    }
}
