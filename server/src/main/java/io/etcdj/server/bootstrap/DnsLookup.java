package io.etcdj.server.bootstrap;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Hashtable;
import java.util.List;
import javax.naming.NameNotFoundException;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;

/**
 * DNS queries for DNS SRV discovery, through the JDK's JNDI DNS provider. By default it asks the
 * system's name servers; the environment variable {@code ETCDJ_DNS_SERVER} (or the system property
 * {@code etcdj.dns.server}), as {@code host[:port]}, sends every query of this class to that
 * server instead (tests point it at a dnsmasq on a high port). Host names are then resolved
 * through the same server, so SRV targets and their addresses come from one place.
 */
public final class DnsLookup {
    /** One SRV record; {@code target} keeps DNS's trailing dot. */
    public record Srv(int priority, int weight, int port, String target) {}

    public static final String SERVER_ENV = "ETCDJ_DNS_SERVER";
    public static final String SERVER_PROPERTY = "etcdj.dns.server";

    private final String server;

    /** @param server "host[:port]" of the DNS server to ask, or null for the system's */
    public DnsLookup(String server) {
        this.server = server == null || server.isEmpty() ? null : server;
    }

    /** The lookup configured by {@code ETCDJ_DNS_SERVER} / {@code etcdj.dns.server}, else the system's. */
    public static DnsLookup configured() {
        String s = System.getProperty(SERVER_PROPERTY);
        return new DnsLookup(s != null ? s : System.getenv(SERVER_ENV));
    }

    /**
     * The SRV records of {@code name}, by priority then weight (heaviest first).
     *
     * @throws NamingException when the name has no SRV records or the query failed
     */
    public List<Srv> srv(String name) throws NamingException {
        List<Srv> out = new ArrayList<>();
        for (String v : records(name, "SRV")) {
            String[] p = v.trim().split("\\s+");
            if (p.length == 4) {
                out.add(new Srv(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]), p[3]));
            }
        }
        if (out.isEmpty()) {
            throw new NameNotFoundException("no SRV records for " + name);
        }
        out.sort(Comparator.comparingInt(Srv::priority).thenComparing(Comparator.comparingInt(Srv::weight).reversed()));
        return out;
    }

    /** The first address of {@code host} (an IP literal is returned as it is). */
    public String resolve(String host) throws UnknownHostException {
        String bare = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        if (server == null || isIpLiteral(bare) || bare.equals("localhost")) {
            return InetAddress.getByName(bare).getHostAddress();
        }
        try {
            List<String> a = records(bare, "A");
            if (!a.isEmpty()) {
                return a.get(0).trim();
            }
            List<String> aaaa = records(bare, "AAAA");
            if (!aaaa.isEmpty()) {
                return InetAddress.getByName(aaaa.get(0).trim()).getHostAddress();
            }
        } catch (NamingException e) {
            throw new UnknownHostException(bare + ": " + e.getMessage());
        }
        throw new UnknownHostException(bare);
    }

    private List<String> records(String name, String type) throws NamingException {
        Hashtable<String, String> env = new Hashtable<>();
        env.put(DirContext.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.dns.DnsContextFactory");
        env.put(DirContext.PROVIDER_URL, server == null ? "dns:" : "dns://" + server);
        env.put("com.sun.jndi.dns.timeout.initial", "2000");
        env.put("com.sun.jndi.dns.timeout.retries", "2");
        DirContext ctx = new InitialDirContext(env);
        try {
            Attributes attrs = ctx.getAttributes(name, new String[] {type});
            Attribute attr = attrs.get(type);
            List<String> out = new ArrayList<>();
            if (attr != null) {
                NamingEnumeration<?> values = attr.getAll();
                while (values.hasMore()) {
                    out.add(String.valueOf(values.next()));
                }
            }
            return out;
        } finally {
            ctx.close();
        }
    }

    private static boolean isIpLiteral(String host) {
        return host.matches("[0-9.]+") || host.contains(":");
    }
}
