package io.etcdj.server.config;

import io.etcdj.server.config.ConfigException.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads an etcd YAML config file ({@code --config-file}) the way etcd 3.5 does: keys are the
 * flag names; TLS lives in the nested {@code client-transport-security} and
 * {@code peer-transport-security} blocks; URL lists and {@code cors}/{@code host-whitelist} are
 * comma-separated strings; a key that is absent, null or (for those lists) empty keeps its
 * default; unknown keys are ignored; key matching falls back to ignoring case, as Go's
 * encoding/json does.
 */
final class ConfigFileLoader {
    /** Blocks whose keys are read one level down (a block may sit in another), and their Go types. */
    private static final Map<String, String> BLOCKS = Map.of(
            "client-transport-security", "embed.securityConfig",
            "peer-transport-security", "embed.securityConfig",
            "socket-options", "transport.SocketOpts",
            "discovery-config", "v3discovery.DiscoveryConfig",
            "discovery-config.client", "clientv3.ConfigSpec",
            "discovery-config.client.secure", "clientv3.SecureConfig",
            "discovery-config.client.auth", "clientv3.AuthConfig");
    /** URL list keys and the name etcd's "unexpected error setting up ..." message uses for them. */
    private static final Map<String, String> URL_KEYS = Map.of(
            "listen-peer-urls", "listen-peer-urls",
            "listen-client-urls", "listen-client-urls",
            "listen-client-http-urls", "listen-client-http-urls",
            "initial-advertise-peer-urls", "initial-advertise-peer-urls",
            "advertise-client-urls", "advertise-peer-urls",
            "listen-metrics-urls", "listen-metrics-urls");

    private ConfigFileLoader() {}

    /** Loads the file over etcd's defaults, then applies etcd's file-mode rules and validation. */
    static ConfigValues load(Path path, StartupLog log) throws ConfigException {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw invalid("open " + path + ": no such file or directory");
        } catch (IOException e) {
            throw invalid("read " + path + ": " + e.getMessage());
        }
        Object root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            throw invalid("error converting YAML to JSON: yaml: line " + line + ": " + e.getProblem());
        } catch (YAMLException e) {
            throw invalid("error converting YAML to JSON: yaml: " + e.getMessage());
        }
        ConfigValues values = new ConfigValues();
        String defaultInitialCluster = values.get(EtcdFlags.INITIAL_CLUSTER);
        if (root != null) {
            if (!(root instanceof Map<?, ?> top)) {
                throw invalid("error unmarshaling JSON: while decoding JSON: json: cannot unmarshal "
                        + FlagTypes.mismatch(root).getMessage() + " into Go value of type embed.configYAML");
            }
            readMap(top, "", values);
        }

        if ((!values.get(EtcdFlags.DISCOVERY).isEmpty() || !values.get(EtcdFlags.DISCOVERY_SRV).isEmpty()
                || !values.get(EtcdFlags.DISCOVERY_ENDPOINTS).isEmpty())
                && values.get(EtcdFlags.INITIAL_CLUSTER).equals(defaultInitialCluster)) {
            values.derive(EtcdFlags.INITIAL_CLUSTER, "");
        }
        if (values.get(EtcdFlags.INITIAL_CLUSTER_STATE).isEmpty()) {
            values.derive(EtcdFlags.INITIAL_CLUSTER_STATE, "new");
        }
        if (values.get(EtcdFlags.SELF_SIGNED_CERT_VALIDITY) == 0L) {
            values.derive(EtcdFlags.SELF_SIGNED_CERT_VALIDITY, 1L);
        }
        ConfigValidation.validate(values, log);
        for (Flag<String> choice : List.of(EtcdFlags.DISCOVERY_FALLBACK, EtcdFlags.PROXY_MODE)) {
            String v = values.get(choice);
            try {
                choice.type().parse(v);
            } catch (FlagType.InvalidValueException e) {
                String what = choice == EtcdFlags.PROXY_MODE ? "proxyFlag" : "discovery-fallback flag";
                throw new ConfigException(Kind.PLAIN, "unexpected error setting up " + what + ": invalid value");
            }
        }
        return values;
    }

    private static void readMap(Map<?, ?> map, String prefix, ConfigValues values) throws ConfigException {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = prefix + e.getKey();
            Object value = e.getValue();
            String block = match(BLOCKS.keySet(), key);
            if (block != null) {
                if (value == null) {
                    continue;
                }
                if (!(value instanceof Map<?, ?> nested)) {
                    throw typeMismatch(block, BLOCKS.get(block), FlagTypes.mismatch(value));
                }
                readMap(nested, block + ".", values);
                continue;
            }
            Flag<?> flag = lookup(key);
            if (flag == null || value == null) {
                continue;
            }
            readValue(flag, value, values);
        }
    }

    private static void readValue(Flag<?> flag, Object value, ConfigValues values) throws ConfigException {
        String key = flag.yamlPath();
        String urlName = URL_KEYS.get(key);
        boolean commaList = urlName != null || flag == EtcdFlags.CORS || flag == EtcdFlags.HOST_WHITELIST;
        if (commaList) {
            String s;
            try {
                s = FlagTypes.yamlString(value);
            } catch (FlagType.InvalidValueException e) {
                throw typeMismatch(key, "string", e);
            }
            if (s.isEmpty()) {
                return;
            }
            try {
                values.setExplicit(flag, flag.type().parse(s));
            } catch (FlagType.InvalidValueException e) {
                if (urlName != null) {
                    throw new ConfigException(Kind.PLAIN, "unexpected error setting up " + urlName + ": "
                            + e.getMessage());
                }
                throw invalid(e.getMessage());
            }
            return;
        }
        try {
            values.setExplicit(flag, flag.type().readYaml(value));
        } catch (FlagType.InvalidValueException e) {
            throw typeMismatch(key, flag.type().goType(), e);
        }
    }

    private static Flag<?> lookup(String key) {
        Flag<?> exact = EtcdFlags.byYamlPath().get(key);
        if (exact != null) {
            return exact;
        }
        for (Map.Entry<String, Flag<?>> e : EtcdFlags.byYamlPath().entrySet()) {
            if (e.getKey().equalsIgnoreCase(key)) {
                return e.getValue();
            }
        }
        return null;
    }

    private static String match(Collection<String> names, String key) {
        for (String n : names) {
            if (n.toLowerCase(Locale.ROOT).equals(key.toLowerCase(Locale.ROOT))) {
                return n;
            }
        }
        return null;
    }

    private static ConfigException typeMismatch(String key, String goType, FlagType.InvalidValueException e) {
        return invalid("error unmarshaling JSON: while decoding JSON: json: cannot unmarshal " + e.getMessage()
                + " into Go struct field configYAML." + key + " of type " + goType);
    }

    private static ConfigException invalid(String message) {
        return new ConfigException(Kind.INVALID, message);
    }
}
