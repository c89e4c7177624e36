package io.etcdj.server.proxy;

import io.etcdj.server.bootstrap.DnsLookup;
import io.etcdj.server.config.StartupLog;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.naming.NamingException;

/**
 * The client endpoints a proxy finds through DNS SRV ({@code --discovery-srv}), as etcd 3.4's
 * gateway and gRPC proxy find them: the records of {@code _etcd-client-ssl._tcp.<domain>} (https)
 * then {@code _etcd-client._tcp.<domain>} (http), with "-&lt;name&gt;" after "client" when
 * {@code --discovery-srv-name} is given. With {@code --insecure-discovery} every record is used.
 * Otherwise etcd "validates" them: an http record is dropped as insecure, an https one is kept if
 * its host:port accepts a TCP connection (etcd dials it plainly, with no TLS handshake), and a CA
 * file that cannot be read drops them all. What is left may be empty: the proxy then uses its
 * {@code --endpoints}.
 */
public final class ClientSrvDiscovery {
    /** etcd's dial timeout for the validation. */
    static final Duration DIAL_TIMEOUT = Duration.ofSeconds(5);

    /** One discovered endpoint: "host:port" and whether it was an https record. */
    public record Endpoint(String hostPort, boolean secure) {
        /** As etcd writes it: "https://host:port" or "http://host:port". */
        public String url() {
            return (secure ? "https://" : "http://") + hostPort;
        }
    }

    private final DnsLookup dns;

    public ClientSrvDiscovery(DnsLookup dns) {
        this.dns = dns;
    }

    /**
     * The usable endpoints of {@code domain}, logged as etcd logs them; possibly none.
     *
     * @param caFile the CA file the validation's transport would load ("" for none)
     * @throws NamingException with etcd's text when neither service could be looked up
     */
    public List<Endpoint> discover(String domain, String serviceName, boolean insecure, String caFile, StartupLog log)
            throws NamingException {
        List<Endpoint> all = lookup(domain, serviceName);
        log.log(StartupLog.Level.INFO, "etcdmain/util.go:41", "discovered cluster from SRV",
                Map.of("srv-server", domain, "endpoints", urls(all)));
        if (insecure) {
            return all;
        }
        log.log(StartupLog.Level.INFO, "etcdmain/util.go:59", "validating discovered SRV endpoints",
                Map.of("srv-server", domain, "endpoints", urls(all)));
        List<String> errors = new ArrayList<>();
        List<Endpoint> valid = validated(all, caFile, errors);
        if (!errors.isEmpty()) {
            log.log(StartupLog.Level.WARN, "etcdmain/util.go:70", "failed to validate discovered endpoints",
                    Map.of("srv-server", domain, "endpoints", urls(valid), "error", String.join(",", errors)));
        } else {
            log.log(StartupLog.Level.INFO, "etcdmain/util.go:79", "using validated discovered SRV endpoints",
                    Map.of("srv-server", domain, "endpoints", urls(valid)));
        }
        return valid;
    }

    /**
     * Every record, https ones first (etcd's srv.GetClient).
     *
     * @throws NamingException "dns lookup errors: A and B" when both lookups failed
     */
    List<Endpoint> lookup(String domain, String serviceName) throws NamingException {
        String suffix = serviceName.isEmpty() ? "" : "-" + serviceName;
        List<Endpoint> out = new ArrayList<>();
        String httpsError = collect("etcd-client-ssl" + suffix, domain, true, out);
        String httpError = collect("etcd-client" + suffix, domain, false, out);
        if (httpsError != null && httpError != null) {
            throw new NamingException("dns lookup errors: " + httpsError + " and " + httpError);
        }
        return out;
    }

    private String collect(String service, String domain, boolean secure, List<Endpoint> out) {
        try {
            for (DnsLookup.Srv srv : dns.srv("_" + service + "._tcp." + domain)) {
                String host = srv.target().endsWith(".") ? srv.target().substring(0, srv.target().length() - 1) : srv.target();
                out.add(new Endpoint(host + ":" + srv.port(), secure));
            }
            return null;
        } catch (NamingException e) {
            return "lookup _" + service + "._tcp." + domain + ": " + e.getMessage();
        }
    }

    /** etcd's ValidateSecureEndpoints: the endpoints kept, in order; why each other one went into {@code errors}. */
    private List<Endpoint> validated(List<Endpoint> all, String caFile, List<String> errors) {
        if (!caFile.isEmpty()) {
            try {
                Files.readAllBytes(Path.of(caFile));
            } catch (NoSuchFileException e) {
                errors.add("open " + caFile + ": no such file or directory");
                return List.of();
            } catch (IOException e) {
                errors.add("open " + caFile + ": " + e.getMessage());
                return List.of();
            }
        }
        List<Endpoint> out = new ArrayList<>();
        for (Endpoint e : all) {
            if (!e.secure()) {
                errors.add("\"" + e.url() + "\" is insecure");
                continue;
            }
            String failure = dialFailure(e.hostPort());
            if (failure != null) {
                errors.add("\"" + e.url() + "\" failed to dial (" + failure + ")");
            } else {
                out.add(e);
            }
        }
        return out;
    }

    /** Why a TCP connection to {@code hostPort} failed, in Go's words, or null when it was accepted. */
    private String dialFailure(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        String host = hostPort.substring(0, colon);
        int port = Integer.parseInt(hostPort.substring(colon + 1));
        String address;
        try {
            address = dns.resolve(host);
        } catch (IOException e) {
            return "dial tcp: lookup " + host + ": no such host";
        }
        String target = (address.contains(":") ? "[" + address + "]" : address) + ":" + port;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), (int) DIAL_TIMEOUT.toMillis());
            return null;
        } catch (IOException e) {
            String why = e.getMessage() != null && e.getMessage().toLowerCase(Locale.ROOT).contains("refused")
                    ? "connect: connection refused" : "i/o timeout";
            return "dial tcp " + target + ": " + why;
        }
    }

    private static List<String> urls(List<Endpoint> endpoints) {
        return endpoints.stream().map(Endpoint::url).toList();
    }
}
