package io.etcdj.server.bootstrap;

import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.naming.NamingException;

/**
 * etcd's DNS SRV bootstrap: the initial cluster from the SRV records of
 * {@code _etcd-server-ssl[-NAME]._tcp.DOMAIN} (https peers) and {@code _etcd-server[-NAME]._tcp.DOMAIN}
 * (http peers), both looked up and their results combined. Each record becomes one member
 * {@code <name>=<scheme>://<target without trailing dot>:<port>}; the record whose target and
 * port resolve to the same address as one of this member's --initial-advertise-peer-urls gets
 * this member's --name, every other record a sequence number ("0", "1", ... per service) as etcd
 * names them. Only when neither service has usable records does the lookup fail.
 */
public final class SrvClusterResolver {
    private final DnsLookup dns;

    public SrvClusterResolver(DnsLookup dns) {
        this.dns = dns;
    }

    /**
     * @param domain            --discovery-srv
     * @param serviceName       --discovery-srv-name, or ""
     * @param selfName          --name
     * @param advertisePeerUrls --initial-advertise-peer-urls
     * @return the initial cluster entries ("name=url"), https ones first
     * @throws NamingException with etcd's text when neither service has records
     */
    public List<String> resolve(String domain, String serviceName, String selfName, List<URI> advertisePeerUrls)
            throws NamingException {
        String suffix = serviceName.isEmpty() ? "" : "-" + serviceName;
        Map<String, URI> selfByAddress = new HashMap<>();
        for (URI u : advertisePeerUrls) {
            try {
                selfByAddress.put(dns.resolve(u.getHost()) + ":" + u.getPort(), u);
            } catch (UnknownHostException e) {
                // an advertised URL that does not resolve matches no record
            }
        }
        List<String> entries = new ArrayList<>();
        String sslError = null;
        String httpError = null;
        try {
            entries.addAll(entries("etcd-server-ssl" + suffix, "https", domain, selfName, selfByAddress));
        } catch (NamingException e) {
            sslError = "error querying DNS SRV records for _etcd-server-ssl" + suffix + " " + e.getMessage();
        }
        try {
            entries.addAll(entries("etcd-server" + suffix, "http", domain, selfName, selfByAddress));
        } catch (NamingException e) {
            httpError = "error querying DNS SRV records for _etcd-server" + suffix + " " + e.getMessage();
        }
        if (sslError != null && httpError != null) {
            throw new NamingException(sslError + ", " + httpError);
        }
        return entries;
    }

    private List<String> entries(String service, String scheme, String domain, String selfName,
                                 Map<String, URI> selfByAddress) throws NamingException {
        List<String> out = new ArrayList<>();
        String error = null;
        int nextNumber = 0;
        for (DnsLookup.Srv srv : dns.srv("_" + service + "._tcp." + domain)) {
            String host = srv.target().endsWith(".") ? srv.target().substring(0, srv.target().length() - 1) : srv.target();
            String address;
            try {
                address = dns.resolve(host) + ":" + srv.port();
            } catch (UnknownHostException e) {
                error = "lookup " + host + ": no such host";
                continue;
            }
            URI self = selfByAddress.get(address);
            String hostPort = (host.contains(":") ? "[" + host + "]" : host) + ":" + srv.port();
            if (self != null && !self.getScheme().equals(scheme)) {
                error = "bootstrap at " + scheme + "://" + hostPort + " from DNS for " + service
                        + " has scheme mismatch with expected peer " + self;
                continue;
            }
            String name = self != null ? selfName : String.valueOf(nextNumber++);
            out.add(name + "=" + scheme + "://" + hostPort);
        }
        if (out.isEmpty()) {
            throw new NamingException(error == null ? "no usable SRV records" : error);
        }
        return out;
    }
}
