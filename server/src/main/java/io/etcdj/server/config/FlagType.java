package io.etcdj.server.config;

import java.util.function.Function;

/**
 * How one kind of etcd flag value is read from text (command line, environment) and from a
 * YAML config file, and shown back. Instances live in {@link FlagTypes}.
 *
 * @param <T> the typed value held in {@link EtcdConfig}
 */
public final class FlagType<T> {
    /** A value that the type rejects; the message is what Go's flag package prints after the colon. */
    public static final class InvalidValueException extends Exception {
        public InvalidValueException(String message) {
            super(message);
        }
    }

    /** Parses flag text. */
    @FunctionalInterface
    public interface TextParser<T> {
        T parse(String text) throws InvalidValueException;
    }

    /** Converts a value SnakeYAML produced; throws with the JSON type name when it cannot. */
    @FunctionalInterface
    public interface YamlReader<T> {
        T read(Object yaml) throws InvalidValueException;
    }

    private final String goType;
    private final boolean bool;
    private final TextParser<T> parser;
    private final YamlReader<T> yamlReader;
    private final Function<T, String> display;

    FlagType(String goType, boolean bool, TextParser<T> parser, YamlReader<T> yamlReader,
             Function<T, String> display) {
        this.goType = goType;
        this.bool = bool;
        this.parser = parser;
        this.yamlReader = yamlReader;
        this.display = display;
    }

    /** The Go type of the field etcd decodes into ("uint", "time.Duration", "[]string", ...). */
    public String goType() {
        return goType;
    }

    /** Whether the flag may stand alone on the command line (Go's boolFlag). */
    public boolean isBool() {
        return bool;
    }

    public T parse(String text) throws InvalidValueException {
        return parser.parse(text);
    }

    public T readYaml(Object yaml) throws InvalidValueException {
        return yamlReader.read(yaml);
    }

    /** The value as flag text (what {@code --flag=<text>} would have to say). */
    public String display(T value) {
        return display.apply(value);
    }
}
