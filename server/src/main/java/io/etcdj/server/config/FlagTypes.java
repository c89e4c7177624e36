package io.etcdj.server.config;

import io.etcdj.server.config.FlagType.InvalidValueException;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The value kinds of etcd's flags, each with Go's text syntax and error wording ("parse error",
 * "value out of range", "invalid value") and with how sigs.k8s.io/yaml + encoding/json would
 * read the value from a config file. Where etcd's YAML decoding is stricter than needed (a
 * duration must be integer nanoseconds there) we also accept the friendlier form, documented
 * at the type.
 */
public final class FlagTypes {
    private FlagTypes() {}

    /** Plain text. YAML scalars of any kind are taken as their text, as sigs.k8s.io/yaml does. */
    public static final FlagType<String> STRING = new FlagType<>("string", false,
            text -> text, FlagTypes::yamlString, v -> v);

    /** Go's strconv.ParseBool syntax. */
    public static final FlagType<Boolean> BOOL = new FlagType<>("bool", true,
            FlagTypes::parseBool, yaml -> {
                if (yaml instanceof Boolean b) {
                    return b;
                }
                throw mismatch(yaml);
            }, String::valueOf);

    /** Go {@code uint} (64 bits here), stored as an unsigned long bit pattern. */
    public static final FlagType<Long> UINT = unsigned("uint", 64, false);
    /** Go {@code uint64}. */
    public static final FlagType<Long> UINT64 = unsigned("uint64", 64, false);
    /** etcd's own uint32 flag value, whose errors are strconv's raw text. */
    public static final FlagType<Long> UINT32 = unsigned("uint32", 32, true);
    /** Go {@code int} (64 bits here). */
    public static final FlagType<Long> INT = signed("int", 64);
    /** Go {@code int64}. */
    public static final FlagType<Long> INT64 = signed("int64", 64);

    /**
     * Go duration text ("5s", "1h30m"). In YAML etcd only accepts integer nanoseconds
     * (time.Duration has no JSON text form); we accept those and, additionally, Go duration text.
     */
    public static final FlagType<Duration> DURATION = new FlagType<>("time.Duration", false,
            text -> {
                try {
                    return GoDuration.parse(text);
                } catch (IllegalArgumentException e) {
                    throw new InvalidValueException("parse error");
                }
            },
            yaml -> {
                if (yaml instanceof Integer || yaml instanceof Long || yaml instanceof BigInteger) {
                    BigInteger n = new BigInteger(yaml.toString());
                    if (n.bitLength() > 63) {
                        throw mismatch(yaml);
                    }
                    return Duration.ofNanos(n.longValue());
                }
                if (yaml instanceof String s) {
                    try {
                        return GoDuration.parse(s);
                    } catch (IllegalArgumentException e) {
                        throw mismatch(yaml);
                    }
                }
                throw mismatch(yaml);
            }, GoDuration::format);

    /** A comma-separated URL list by etcd's rules, duplicates dropped, sorted. */
    public static final FlagType<List<URI>> URLS = new FlagType<>("string", false,
            text -> {
                try {
                    return EtcdUrls.parseUniqueList(text);
                } catch (IllegalArgumentException e) {
                    throw new InvalidValueException(e.getMessage());
                }
            },
            yaml -> {
                String s = yamlString(yaml);
                try {
                    return EtcdUrls.parseUniqueList(s);
                } catch (IllegalArgumentException e) {
                    throw new InvalidValueException(e.getMessage());
                }
            }, EtcdUrls::join);

    /** --cors: "*" or a URL list; held as the set of origin strings. */
    public static final FlagType<SortedSet<String>> ORIGINS = new FlagType<>("string", false,
            FlagTypes::parseOrigins, yaml -> parseOrigins(yamlString(yaml)), v -> String.join(",", v));

    /** A comma-separated list kept as given (an empty text is one empty element, as in Go). */
    public static final FlagType<List<String>> STRINGS = new FlagType<>("[]string", false,
            text -> List.of(text.split(",", -1)), FlagTypes::yamlStrings, v -> String.join(",", v));

    /** A comma-separated set, held sorted (etcd's UniqueStringsValue). */
    public static final FlagType<SortedSet<String>> UNIQUE_STRINGS = new FlagType<>("string", false,
            text -> sortedSet(Arrays.asList(text.split(",", -1))),
            yaml -> sortedSet(yamlStrings(yaml)), v -> String.join(",", v));

    /** A flag that etcd still accepts (as a boolean) but ignores. */
    public static final FlagType<String> IGNORED = new FlagType<>("string", true,
            text -> "", yaml -> "", v -> "");

    /** One of a fixed set of words; anything else is "invalid value". */
    public static FlagType<String> choice(String... valid) {
        Set<String> allowed = Set.of(valid);
        return new FlagType<>("string", false, text -> {
            if (!allowed.contains(text)) {
                throw new InvalidValueException("invalid value");
            }
            return text;
        }, FlagTypes::yamlString, v -> v);
    }

    /** A comma-separated list of words from a fixed set, held sorted and comma-joined. */
    public static FlagType<String> choices(String... valid) {
        Set<String> allowed = Set.of(valid);
        return new FlagType<>("string", false, text -> {
            List<String> out = new ArrayList<>();
            for (String v : text.split(",", -1)) {
                if (!allowed.contains(v)) {
                    throw new InvalidValueException("invalid value \"" + v + "\"");
                }
                out.add(v);
            }
            Collections.sort(out);
            return String.join(",", out);
        }, FlagTypes::yamlString, v -> v);
    }

    private static FlagType<Long> unsigned(String goType, int bits, boolean rawErrors) {
        return new FlagType<>(goType, false, text -> {
            try {
                return GoNumbers.parseUnsigned(text, bits);
            } catch (GoNumbers.NumberException e) {
                throw new InvalidValueException(rawErrors ? e.getMessage()
                        : e.rangeError ? "value out of range" : "parse error");
            }
        }, yaml -> {
            BigInteger n = yamlInteger(yaml);
            if (n.signum() < 0 || n.bitLength() > bits) {
                throw mismatch(yaml);
            }
            return n.longValue();
        }, v -> Long.toUnsignedString(v));
    }

    private static FlagType<Long> signed(String goType, int bits) {
        return new FlagType<>(goType, false, text -> {
            try {
                return GoNumbers.parseSigned(text, bits);
            } catch (GoNumbers.NumberException e) {
                throw new InvalidValueException(e.rangeError ? "value out of range" : "parse error");
            }
        }, yaml -> {
            BigInteger n = yamlInteger(yaml);
            if (n.bitLength() > bits - 1) {
                throw mismatch(yaml);
            }
            return n.longValue();
        }, String::valueOf);
    }

    private static Boolean parseBool(String text) throws InvalidValueException {
        return switch (text) {
            case "1", "t", "T", "TRUE", "true", "True" -> true;
            case "0", "f", "F", "FALSE", "false", "False" -> false;
            default -> throw new InvalidValueException("parse error");
        };
    }

    private static SortedSet<String> parseOrigins(String text) throws InvalidValueException {
        if (text.equals("*")) {
            return Collections.unmodifiableSortedSet(new TreeSet<>(Set.of("*")));
        }
        try {
            List<String> all = new ArrayList<>();
            for (URI u : EtcdUrls.parseList(text)) {
                all.add(u.toString());
            }
            return sortedSet(all);
        } catch (IllegalArgumentException e) {
            throw new InvalidValueException(e.getMessage());
        }
    }

    private static SortedSet<String> sortedSet(List<String> values) {
        return Collections.unmodifiableSortedSet(new TreeSet<>(values));
    }

    private static BigInteger yamlInteger(Object yaml) throws InvalidValueException {
        if (yaml instanceof Integer || yaml instanceof Long || yaml instanceof BigInteger) {
            return new BigInteger(yaml.toString());
        }
        throw mismatch(yaml);
    }

    static String yamlString(Object yaml) throws InvalidValueException {
        if (yaml instanceof List || yaml instanceof Map) {
            throw mismatch(yaml);
        }
        return String.valueOf(yaml);
    }

    /** A YAML list of scalars; a single scalar is also accepted and split on commas. */
    private static List<String> yamlStrings(Object yaml) throws InvalidValueException {
        if (yaml instanceof List<?> list) {
            List<String> out = new ArrayList<>();
            for (Object o : list) {
                out.add(yamlString(o));
            }
            return List.copyOf(out);
        }
        if (yaml instanceof Map) {
            throw mismatch(yaml);
        }
        return List.of(String.valueOf(yaml).split(",", -1));
    }

    /** encoding/json's wording for the JSON value that did not fit: "string", "number -1", ... */
    static InvalidValueException mismatch(Object yaml) {
        String kind;
        if (yaml instanceof String) {
            kind = "string";
        } else if (yaml instanceof Boolean) {
            kind = "bool";
        } else if (yaml instanceof Number) {
            kind = "number " + yaml;
        } else if (yaml instanceof List) {
            kind = "array";
        } else if (yaml instanceof Map) {
            kind = "object";
        } else {
            kind = "string";
        }
        return new InvalidValueException(kind);
    }
}
