package io.etcdj.server.config;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The membership a new cluster bootstraps with: member names with their peer URLs, each
 * member's ID and the cluster ID, all derived as etcd derives them ({@link MemberIds}).
 * Immutable.
 */
public final class InitialCluster {
    /**
     * One bootstrap member.
     *
     * @param name     the member name (the key in --initial-cluster)
     * @param peerUrls its peer URLs, sorted by string form
     * @param id       its member ID
     */
    public record Member(String name, List<URI> peerUrls, long id) {
        public Member {
            peerUrls = List.copyOf(peerUrls);
        }

        /** The ID as etcd prints it. */
        public String idHex() {
            return MemberIds.hex(id);
        }

        /** The peer URLs as strings. */
        public List<String> peerUrlStrings() {
            List<String> out = new ArrayList<>();
            for (URI u : peerUrls) {
                out.add(u.toString());
            }
            return out;
        }
    }

    private final String token;
    private final Map<String, List<URI>> urlsByName;
    private final List<Member> members;
    private final long clusterId;

    private InitialCluster(String token, Map<String, List<URI>> urlsByName) {
        this.token = token;
        this.urlsByName = Collections.unmodifiableMap(new TreeMap<>(urlsByName));
        List<Member> list = new ArrayList<>();
        List<Long> ids = new ArrayList<>();
        for (Map.Entry<String, List<URI>> e : this.urlsByName.entrySet()) {
            List<String> strings = new ArrayList<>();
            for (URI u : e.getValue()) {
                strings.add(u.toString());
            }
            long id = MemberIds.memberId(strings, token);
            if (ids.contains(id)) {
                throw new IllegalArgumentException("member exists with identical ID " + MemberIds.hex(id));
            }
            if (id == 0) {
                throw new IllegalArgumentException("cannot use 0 as member id");
            }
            ids.add(id);
            list.add(new Member(e.getKey(), e.getValue(), id));
        }
        list.sort(Comparator.comparing(Member::id, Long::compareUnsigned));
        this.members = List.copyOf(list);
        this.clusterId = MemberIds.clusterId(ids);
    }

    /**
     * Parses an --initial-cluster value ("n1=http://a:2380,n1=http://b:2380,n2=...") as etcd's
     * {@code types.NewURLsMap} does and derives the IDs with {@code token}.
     *
     * @throws IllegalArgumentException with etcd's message for a bad URL or duplicate member ID
     */
    public static InitialCluster parse(String initialCluster, String token) {
        return new InitialCluster(token, parseUrlsMap(initialCluster));
    }

    /**
     * etcd's {@code types.NewURLsMap}: names to their peer URLs (each list sorted, duplicates
     * kept), without deriving IDs.
     *
     * @throws IllegalArgumentException with etcd's message for a bad URL
     */
    public static Map<String, List<URI>> parseUrlsMap(String initialCluster) {
        Map<String, List<String>> raw = new LinkedHashMap<>();
        for (String entry : initialCluster.split(",", -1)) {
            if (entry.isEmpty()) {
                continue;
            }
            int eq = entry.indexOf('=');
            String name = eq >= 0 ? entry.substring(0, eq) : entry;
            String url = eq >= 0 ? entry.substring(eq + 1) : "";
            raw.computeIfAbsent(name, k -> new ArrayList<>()).add(url);
        }
        Map<String, List<URI>> urls = new TreeMap<>();
        for (Map.Entry<String, List<String>> e : raw.entrySet()) {
            List<URI> list = new ArrayList<>();
            for (String u : e.getValue()) {
                list.add(EtcdUrls.parseOne(u));
            }
            list.sort(Comparator.comparing(URI::toString));
            urls.put(e.getKey(), List.copyOf(list));
        }
        return Collections.unmodifiableMap(urls);
    }

    /** A cluster from names and peer URLs (as a discovery service or DNS SRV lookup yields them). */
    public static InitialCluster of(Map<String, List<URI>> urlsByName, String token) {
        Map<String, List<URI>> sorted = new LinkedHashMap<>();
        for (Map.Entry<String, List<URI>> e : urlsByName.entrySet()) {
            List<URI> list = new ArrayList<>(e.getValue());
            list.sort(Comparator.comparing(URI::toString));
            sorted.put(e.getKey(), list);
        }
        return new InitialCluster(token, sorted);
    }

    /** The token the IDs were derived with (--initial-cluster-token, or the discovery URL). */
    public String token() {
        return token;
    }

    /** Members sorted by ID (unsigned), as etcd lists them. */
    public List<Member> members() {
        return members;
    }

    public Optional<Member> member(String name) {
        return members.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    public long clusterId() {
        return clusterId;
    }

    public String clusterIdHex() {
        return MemberIds.hex(clusterId);
    }

    /** Peer URLs by member name, names sorted. */
    public Map<String, List<URI>> urlsByName() {
        return urlsByName;
    }

    /** etcd's URLsMap.String(): "name=url" pairs sorted and comma-joined. */
    @Override
    public String toString() {
        return urlsMapString(urlsByName);
    }

    /** etcd's URLsMap.String() of any names-to-URLs map. */
    public static String urlsMapString(Map<String, List<URI>> urlsByName) {
        List<String> pairs = new ArrayList<>();
        for (Map.Entry<String, List<URI>> e : urlsByName.entrySet()) {
            for (URI u : e.getValue()) {
                pairs.add(e.getKey() + "=" + u);
            }
        }
        Collections.sort(pairs);
        return String.join(",", pairs);
    }
}
