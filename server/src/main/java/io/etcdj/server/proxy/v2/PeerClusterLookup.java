package io.etcdj.server.proxy.v2;

import io.etcdj.server.config.StartupLog;
import io.etcdj.server.pb.MemberRecord;
import io.etcdj.server.pb.MembersAnswer;
import io.etcdj.server.pb.MembersQuery;
import io.etcdj.server.transport.MemberChannels;
import io.etcdj.server.transport.PeerMethods;
import io.etcdj.server.v2.http.MiniJson;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCalls;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Asks the cluster's members, over their peer URLs, who the members are (etcd's
 * GetClusterFromRemotePeers): the first peer that answers gives every member's peer and client
 * URLs. An etcd member answers {@code GET <peer>/members} with a JSON list, an etcdj member the
 * peer port's gRPC members query; both are tried, so the proxy fronts either.
 */
final class PeerClusterLookup {
    /** The members' URLs, each list sorted (as etcd's Cluster.PeerURLs/ClientURLs are). */
    record ClusterUrls(List<String> peerUrls, List<String> clientUrls) {}

    static final String NO_CLUSTER = "could not retrieve cluster information from the given URLs";
    /** etcd's bound on one peer's members answer. */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);

    private final MemberChannels channels;
    private final HttpClient http;
    private final StartupLog log;
    /**
     * Which kind of member answered last, asked first next time. etcdj first: an etcdj peer port
     * logs every HTTP/1 request it refuses, while an etcd peer refuses gRPC quietly.
     */
    private volatile boolean peersAreEtcdj = true;

    PeerClusterLookup(MemberChannels channels, HttpClient http, StartupLog log) {
        this.channels = channels;
        this.http = http;
        this.log = log;
    }

    /** The cluster as the first answering peer sees it; fails when none answers. */
    ClusterUrls fetch(List<String> peerUrls) throws IOException {
        for (String url : peerUrls) {
            boolean grpcFirst = peersAreEtcdj;
            try {
                return grpcFirst ? fromEtcdj(url) : fromEtcd(url);
            } catch (IOException | RuntimeException firstFailure) {
                try {
                    ClusterUrls answer = grpcFirst ? fromEtcd(url) : fromEtcdj(url);
                    peersAreEtcdj = !grpcFirst;
                    return answer;
                } catch (IOException | RuntimeException e) {
                    Exception http = grpcFirst ? e : firstFailure;
                    log.log(StartupLog.Level.WARN, "etcdserver/cluster_util.go:76", "failed to get cluster response",
                            Map.of("address", url + "/members", "error",
                                    http.getMessage() != null ? http.getMessage() : http.toString()));
                }
            }
        }
        throw new IOException(NO_CLUSTER);
    }

    private ClusterUrls fromEtcdj(String peerUrl) {
        ManagedChannel ch = channels.open(peerUrl, PeerMethods.MAX_MESSAGE_BYTES);
        try {
            MembersAnswer a = ClientCalls.blockingUnaryCall(ch, PeerMethods.MEMBERS,
                    CallOptions.DEFAULT.withDeadlineAfter(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS),
                    MembersQuery.getDefaultInstance());
            TreeSet<String> peers = new TreeSet<>();
            TreeSet<String> clients = new TreeSet<>();
            for (MemberRecord m : a.getMembersList()) {
                peers.addAll(m.getPeerUrlsList());
                clients.addAll(m.getClientUrlsList());
            }
            return new ClusterUrls(List.copyOf(peers), List.copyOf(clients));
        } finally {
            ch.shutdownNow();
        }
    }

    private ClusterUrls fromEtcd(String peerUrl) throws IOException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(trimSlash(peerUrl) + "/members"))
                .timeout(ANSWER_TIMEOUT).GET().build();
        HttpResponse<String> r;
        try {
            r = http.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        if (r.statusCode() != 200) {
            throw new IOException("unexpected status " + r.statusCode());
        }
        Object doc;
        try {
            doc = new MiniJson(r.body()).parseDocument();
        } catch (MiniJson.SyntaxError e) {
            throw new IOException(e.getMessage());
        }
        if (!(doc instanceof List<?> members)) {
            throw new IOException("the members answer is not a list");
        }
        TreeSet<String> peers = new TreeSet<>();
        TreeSet<String> clients = new TreeSet<>();
        for (Object o : members) {
            if (o instanceof Map<?, ?> m) {
                addStrings(peers, m.get("peerURLs"));
                addStrings(clients, m.get("clientURLs"));
            }
        }
        return new ClusterUrls(List.copyOf(peers), List.copyOf(clients));
    }

    private static void addStrings(TreeSet<String> into, Object list) {
        if (list instanceof List<?> l) {
            l.forEach(v -> into.add(String.valueOf(v)));
        }
    }

    private static String trimSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
