package io.etcdj.etcdctl.v2;

import io.etcdj.etcdctl.cli.Console;
import io.etcdj.etcdctl.cli.GoDuration;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * What every v2 command sees: the parsed global flags, the streams and the client it builds
 * (syncing the endpoint list from /v2/members first unless --no-sync, as etcdctl v2 does).
 */
final class V2Context {
    final GoFlags global;
    final GoFlags local;
    final Console console;

    V2Context(GoFlags global, GoFlags local, Console console) {
        this.global = global;
        this.local = local;
        this.console = console;
    }

    PrintStream out() {
        return console.out();
    }

    PrintStream err() {
        return console.err();
    }

    String output() {
        return global.isSet("output") ? global.string("output") : "simple";
    }

    List<String> args() {
        return local.args();
    }

    /** handleError: "Error:  <err>" on stderr (plus a cluster error's detail), then exit. */
    V2Exit fail(int code, Exception e) {
        err().print("Error:  " + e.getMessage() + "\n");
        if (e instanceof ClusterError c) {
            err().print(c.detail() + "\n");
        }
        return new V2Exit(code);
    }

    V2Exit fail(int code, String message) {
        err().print("Error:  " + message + "\n");
        return new V2Exit(code);
    }

    long durationFlag(String name, long defaultNanos) {
        if (!global.isSet(name)) {
            return defaultNanos;
        }
        try {
            return GoDuration.parse(global.string(name));
        } catch (Exception e) {
            err().print("invalid value \"" + global.string(name) + "\" for flag -" + name + ": parse error\n");
            throw new V2Exit(V2Exit.BAD_ARGS);
        }
    }

    Duration totalTimeout() {
        return Duration.ofNanos(durationFlag("total-timeout", 5_000_000_000L));
    }

    /** The endpoint list: --endpoints, ETCDCTL_ENDPOINTS, --endpoint, ETCDCTL_ENDPOINT, --peers, ETCDCTL_PEERS. */
    List<String> endpoints() {
        String s = global.string("endpoints");
        Map<String, String> env = console.env();
        if (s.isEmpty()) {
            s = env.getOrDefault("ETCDCTL_ENDPOINTS", "");
        }
        if (s.isEmpty()) {
            s = global.string("endpoint");
        }
        if (s.isEmpty()) {
            s = env.getOrDefault("ETCDCTL_ENDPOINT", "");
        }
        if (s.isEmpty()) {
            s = global.string("peers");
        }
        if (s.isEmpty()) {
            s = env.getOrDefault("ETCDCTL_PEERS", "");
        }
        if (s.isEmpty()) {
            s = "http://127.0.0.1:2379,http://127.0.0.1:4001";
        }
        List<String> eps = new ArrayList<>();
        for (String ep : s.split(",", -1)) {
            if (ep.matches("[^/:]*:.*") && !ep.matches("[A-Za-z][A-Za-z0-9+.-]*:.*")) {
                // Go's url.Parse rejects a colon in the first segment when what precedes it is no scheme.
                err().print("parse \"" + ep + "\": first path segment in URL cannot contain colon\n");
                throw new V2Exit(V2Exit.BAD_ARGS);
            }
            eps.add(ep.contains("://") ? ep : "http://" + ep);
        }
        return eps;
    }

    /** A transport over the endpoints, synced to the members' client URLs unless --no-sync. */
    V2Transport transport(boolean sync) {
        SSLContext tls;
        try {
            tls = V2Tls.of(global.string("ca-file"), global.string("cert-file"), global.string("key-file"));
        } catch (NoSuchFileException e) {
            err().print("open " + e.getFile() + ": no such file or directory\n");
            throw new V2Exit(V2Exit.BAD_ARGS);
        } catch (IOException | GeneralSecurityException e) {
            err().print(e.getMessage() + "\n");
            throw new V2Exit(V2Exit.BAD_ARGS);
        }
        V2Transport t = new V2Transport(endpoints(), durationFlag("timeout", 2_000_000_000L), tls);
        if (global.bool("debug")) {
            t.debugTo(err());
        }
        if (!global.string("username").isEmpty()) {
            String u = global.string("username");
            int colon = u.indexOf(':');
            if (colon >= 0) {
                t.authorize(u.substring(0, colon), u.substring(colon + 1));
            } else {
                console.out().print("Password: ");
                console.out().flush();
                String pw = console.readLine();
                console.out().print("\n");
                t.authorize(u, pw);
            }
        }
        if (sync && !global.bool("no-sync")) {
            if (global.bool("debug")) {
                err().print("start to sync cluster using endpoints(" + String.join(",", t.endpoints()) + ")\n");
            }
            try {
                List<String> synced = new ArrayList<>();
                for (MembersApi.Member m : new MembersApi(t, Duration.ofSeconds(1)).list()) {
                    synced.addAll(m.clientURLs());
                }
                if (synced.isEmpty()) {
                    err().print("etcd cluster has no published client endpoints.\n");
                    err().print("Try '--no-sync' if you want to access non-published client endpoints("
                            + String.join(",", t.endpoints()) + ").\n");
                    throw fail(V2Exit.SERVER_ERROR, "client: no endpoints available");
                }
                t.useEndpoints(synced);
            } catch (ClusterError e) {
                if (e.connectionFailure()) {
                    throw fail(V2Exit.BAD_CONNECTION, e);
                }
                // other failures (a TLS handshake) are left to the command's own request, as Go's client does
            } catch (ServerError | IOException e) {
                // Go's client keeps the given endpoints when a sync reply is not a member list
            }
            if (global.bool("debug")) {
                err().print("got endpoints(" + String.join(",", t.endpoints()) + ") after sync\n");
            }
        }
        if (global.bool("debug")) {
            err().print("Cluster-Endpoints: " + String.join(", ", t.endpoints()) + "\n");
        }
        return t;
    }

    KeysApi keys() {
        return new KeysApi(transport(true), totalTimeout());
    }

    static List<String> split(String csv) {
        return Arrays.asList(csv.split(","));
    }
}
