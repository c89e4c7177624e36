package io.etcdj.etcdctl.command;

import io.etcdj.etcdctl.cli.Command;
import io.etcdj.etcdctl.cli.ExitCodes;
import io.etcdj.etcdctl.cli.ExitException;
import io.etcdj.etcdctl.cli.Flag;
import io.etcdj.etcdctl.cli.FlagValueException;
import io.etcdj.etcdctl.cli.Invocation;
import io.etcdj.etcdctl.client.ClientConfig;
import io.etcdj.etcdctl.client.EtcdClient;
import io.etcdj.etcdctl.client.EtcdError;
import io.etcdj.etcdctl.print.GoNilHeaderPanic;
import io.etcdj.etcdctl.print.Output;
import io.etcdj.etcdctl.print.Printer;
import io.etcdj.etcdctl.print.UnsupportedFormatException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a command body needs beyond its arguments, built the way etcdctl's global.go builds it:
 * ETCDCTL_* variables fill unset global flags (with pkg/flags' warnings), then the printer for
 * -w/--hex and the client configuration are derived.
 */
public final class Session {
    private static final DateTimeFormatter CAPNS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    private final Invocation inv;
    private boolean envApplied;
    private boolean settingsListed;
    private Printer printer;

    public Session(Invocation inv) {
        this.inv = inv;
    }

    public Invocation inv() {
        return inv;
    }

    public List<String> args() {
        return inv.args();
    }

    public Output out() {
        return new Output(inv.console().out());
    }

    public Output err() {
        return new Output(inv.console().err());
    }

    public ExitException fail(int code, String message) {
        return inv.fail(code, message);
    }

    /** flags.SetPflagsFromEnv("ETCDCTL", cmd.InheritedFlags()) with its warnings; once per run. */
    public void applyEnv() {
        if (envApplied) {
            return;
        }
        envApplied = true;
        Command cmd = inv.command();
        Set<String> used = new HashSet<>();
        Set<String> alreadySet = new HashSet<>();
        Map<String, String> env = inv.console().env();
        for (Flag f : cmd.inheritedFlags().sorted()) {
            String key = envKey(f.name());
            if (f.changed()) {
                alreadySet.add(key);
                continue;
            }
            String v = env.get(key);
            if (v != null && !v.isEmpty()) {
                used.add(key);
                try {
                    f.set(v);
                } catch (FlagValueException e) {
                    // pkg/flags returns this error and etcdctl ignores it
                }
            }
        }
        if (cmd.name().equals("watch")) {
            used.add("ETCDCTL_WATCH_KEY");
            used.add("ETCDCTL_WATCH_RANGE_END");
        }
        for (Map.Entry<String, String> e : env.entrySet()) {
            String k = e.getKey();
            if (used.contains(k)) {
                continue;
            }
            if (alreadySet.contains(k)) {
                inv.console().err().println(capnslog('C') + "conflicting environment variable \"" + k
                        + "\" is shadowed by corresponding command-line flag (either unset environment variable or disable flag)");
                throw new ExitException(1);
            }
            if (k.startsWith("ETCDCTL_")) {
                inv.console().err().println(capnslog('W') + "unrecognized environment variable " + k + "=" + e.getValue());
            }
        }
    }

    private static String capnslog(char level) {
        return LocalDateTime.now().format(CAPNS) + " " + level + " | pkg/flags: ";
    }

    static String envKey(String flag) {
        return "ETCDCTL_" + flag.replace('-', '_').toUpperCase(Locale.ROOT);
    }

    /** The printer for -w (initDisplayFromCmd); an unknown format ends the run with exit 4. */
    public Printer printer() {
        if (printer == null) {
            String fmt = inv.string("write-out");
            printer = Printer.forFormat(fmt, inv.bool("hex"), out());
            if (printer == null) {
                throw fail(ExitCodes.BAD_FEATURE, "unsupported output format");
            }
        }
        return printer;
    }

    /** Runs a printing step, turning an unsupported format into etcdctl's exit 4. */
    public void print(Runnable r) {
        try {
            r.run();
        } catch (UnsupportedFormatException e) {
            throw fail(ExitCodes.BAD_FEATURE, e.getMessage());
        } catch (GoNilHeaderPanic e) {
            inv.console().err().print(e.trace());
            throw new ExitException(ExitCodes.GO_PANIC);
        }
    }

    @SuppressWarnings("unchecked")
    public List<String> endpoints() {
        List<String> eps = (List<String>) inv.flag("endpoints").value();
        return eps.stream().map(String::trim).toList();
    }

    public long commandTimeoutNanos() {
        return (Long) inv.flag("command-timeout").value();
    }

    public boolean commandTimeoutSet() {
        return inv.flag("command-timeout").changed();
    }

    /** clientConfigFromCmd: env, printer, TLS and auth settings, validated. */
    public ClientConfig clientConfig() {
        applyEnv();
        if (inv.bool("debug")) {
            listClientSettings();
        }
        List<String> eps = endpoints();
        String cert = tlsFile("cert");
        String key = tlsFile("key");
        String cacert = tlsFile("cacert");
        boolean insecureDiscovery = inv.bool("insecure-discovery");
        String domain = insecureDiscovery ? "" : inv.string("discovery-srv");
        printer();
        String user = inv.string("user");
        String password = inv.string("password");
        String u = null;
        String p = null;
        if (!user.isEmpty()) {
            if (password.isEmpty()) {
                int colon = user.indexOf(':');
                if (colon < 0) {
                    u = user;
                    p = PasswordPrompt.ask(inv.console(), "Password: ");
                } else {
                    u = user.substring(0, colon);
                    p = user.substring(colon + 1);
                }
            } else {
                u = user;
                p = password;
            }
        }
        return new ClientConfig(eps, (Long) inv.flag("dial-timeout").value(), commandTimeoutNanos(),
                (Long) inv.flag("keepalive-time").value(), (Long) inv.flag("keepalive-timeout").value(),
                inv.bool("insecure-transport"), inv.bool("insecure-skip-tls-verify"), cacert, cert, key, domain,
                u, p);
    }

    /**
     * --debug: every global flag as its ETCDCTL_* variable with its value, in name order, on
     * stderr, once, as clientv3's config step prints them (a password included, as etcdctl does).
     * For watch, the two variables it reads itself are listed among them.
     */
    private void listClientSettings() {
        if (settingsListed) {
            return;
        }
        settingsListed = true;
        TreeMap<String, String> settings = new TreeMap<>(); // by flag name, as pflag visits them
        for (Flag f : inv.command().inheritedFlags().sorted()) {
            settings.put(f.name(), f.valueText());
        }
        if (inv.command().name().equals("watch")) {
            for (String name : List.of("watch-key", "watch-range-end")) {
                settings.put(name, inv.console().env().getOrDefault(envKey(name), ""));
            }
        }
        settings.forEach((name, v) -> inv.console().err().println(envKey(name) + "=" + v));
    }

    private String tlsFile(String name) {
        Flag f = inv.flag(name);
        String v = (String) f.value();
        if (v.isEmpty() && f.changed()) {
            throw fail(ExitCodes.BAD_ARGS, "empty string is passed to --" + name + " option");
        }
        return v.isEmpty() ? null : v;
    }

    /** mustClientFromCmd. */
    public EtcdClient client() {
        return connect(clientConfig());
    }

    public EtcdClient connect(ClientConfig cfg) {
        try {
            return EtcdClient.connect(cfg, inv.console().err());
        } catch (EtcdError e) {
            throw fail(ExitCodes.BAD_CONNECTION, e.getMessage());
        } catch (IllegalArgumentException e) {
            throw fail(ExitCodes.BAD_ARGS, e.getMessage());
        }
    }
}
