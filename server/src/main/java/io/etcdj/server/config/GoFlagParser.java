package io.etcdj.server.config;

import io.etcdj.server.config.ConfigException.Kind;
import java.util.List;

/**
 * Command-line parsing with the rules of Go's {@code flag} package, which etcd uses:
 * {@code -flag value}, {@code --flag value}, {@code -flag=value} and {@code --flag=value} are all
 * the same; a boolean flag takes no separate value ({@code --flag} means true, else
 * {@code --flag=false}); parsing stops at the first argument that is not a flag or after "--";
 * a repeated flag keeps the last value. picocli is not used because it cannot express this
 * syntax (single-dash long names, stop at the first positional, Go's exact error texts).
 */
final class GoFlagParser {
    private GoFlagParser() {}

    /**
     * Applies every flag in {@code args} to {@code values}.
     *
     * @return the arguments left after the flags (etcd rejects them)
     * @throws ConfigException {@link Kind#FLAG_SYNTAX} with Go's message, or {@link Kind#HELP}
     */
    static List<String> parse(List<String> args, ConfigValues values) throws ConfigException {
        int i = 0;
        while (i < args.size()) {
            String s = args.get(i);
            if (s.length() < 2 || s.charAt(0) != '-') {
                break;
            }
            int dashes = 1;
            if (s.charAt(1) == '-') {
                dashes = 2;
                if (s.length() == 2) {
                    i++;
                    break;
                }
            }
            String name = s.substring(dashes);
            if (name.isEmpty() || name.charAt(0) == '-' || name.charAt(0) == '=') {
                throw syntax("bad flag syntax: " + s);
            }
            i++;
            String value = null;
            int eq = name.indexOf('=', 1);
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            Flag<?> flag = EtcdFlags.byName(name).orElse(null);
            if (flag == null) {
                if (name.equals("help") || name.equals("h")) {
                    throw new ConfigException(Kind.HELP, "help requested");
                }
                throw syntax("flag provided but not defined: -" + name);
            }
            if (flag.type().isBool()) {
                String text = value == null ? "true" : value;
                try {
                    values.setExplicit(flag, flag.type().parse(text));
                } catch (FlagType.InvalidValueException e) {
                    throw syntax("invalid boolean value \"" + text + "\" for -" + name + ": " + e.getMessage());
                }
                continue;
            }
            if (value == null) {
                if (i >= args.size()) {
                    throw syntax("flag needs an argument: -" + name);
                }
                value = args.get(i++);
            }
            try {
                values.setExplicit(flag, flag.type().parse(value));
            } catch (FlagType.InvalidValueException e) {
                throw syntax("invalid value \"" + value + "\" for flag -" + name + ": " + e.getMessage());
            }
        }
        return List.copyOf(args.subList(i, args.size()));
    }

    private static ConfigException syntax(String message) {
        return new ConfigException(Kind.FLAG_SYNTAX, message);
    }
}
