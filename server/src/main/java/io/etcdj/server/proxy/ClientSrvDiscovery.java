package io.etcdj.server.proxy;

import io.etcdj.server.bootstrap.DnsLookup;
import java.util.ArrayList;
import java.util.List;
import javax.naming.NamingException;

/**
 * The client endpoints a proxy finds through DNS SRV ({@code --discovery-srv}): the records of
 * {@code _etcd-client-ssl._tcp.<domain>} (https) and {@code _etcd-client._tcp.<domain>} (http),
 * with "-&lt;name&gt;" after "client" when {@code --discovery-srv-name} is given. Plain-http
 * endpoints are kept only with {@code --insecure-discovery}, as etcd keeps only endpoints it can
 * reach securely otherwise.
 */
public final class ClientSrvDiscovery {
    /** One discovered endpoint: "host:port" and whether it was an https record. */
    public record Endpoint(String hostPort, boolean secure) {}

    private final DnsLookup dns;

    public ClientSrvDiscovery(DnsLookup dns) {
        this.dns = dns;
    }

    /** @throws NamingException with etcd's text when neither service has usable records */
    public List<Endpoint> discover(String domain, String serviceName, boolean insecure) throws NamingException {
        String suffix = serviceName.isEmpty() ? "" : "-" + serviceName;
        List<Endpoint> out = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        collect("etcd-client-ssl" + suffix, domain, true, out, errors);
        if (insecure) {
            collect("etcd-client" + suffix, domain, false, out, errors);
        }
        if (out.isEmpty()) {
            throw new NamingException(errors.isEmpty() ? "no usable SRV records for " + domain : String.join(", ", errors));
        }
        return out;
    }

    private void collect(String service, String domain, boolean secure, List<Endpoint> out, List<String> errors) {
        try {
            for (DnsLookup.Srv srv : dns.srv("_" + service + "._tcp." + domain)) {
                String host = srv.target().endsWith(".") ? srv.target().substring(0, srv.target().length() - 1) : srv.target();
                out.add(new Endpoint(host + ":" + srv.port(), secure));
            }
        } catch (NamingException e) {
            errors.add("error querying DNS SRV records for _" + service + " " + e.getMessage());
        }
    }
}
