package io.etcdj.server.transport;

import io.etcdj.server.EtcdError;
import io.etcdj.server.EtcdException;
import io.etcdj.server.membership.Member;
import io.etcdj.server.membership.Membership;
import io.etcdj.server.v2.http.GoJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The HTTP/1.1 side of the peer port, routed as etcd 3.4's peer mux routes it (Go's ServeMux:
 * unclean paths and a subtree named without its slash are redirected with 301, the longest
 * pattern wins, anything else is "404 page not found"):
 * <ul>
 *   <li>{@code GET /members}: the members, sorted by ID, IDs as unsigned decimals;</li>
 *   <li>{@code GET /version}: the client port's version JSON;</li>
 *   <li>{@code /raft/probing} (any method): {@code {"OK":true,"Now":...}};</li>
 *   <li>{@code POST /members/promote/<decimal id>}: promotes a learner;</li>
 *   <li>{@code GET /members/hashkv} with {@code {"revision":N}}: the HashKV at N;</li>
 *   <li>{@code POST /leases}, {@code /leases/internal}: {@link PeerLeaseHttp};</li>
 *   <li>{@code /raft}, {@code /raft/snapshot}, {@code /raft/stream/...}: {@link PeerRaftHttp}.</li>
 * </ul>
 */
public final class PeerHttpRoutes {
    private static final Pattern REVISION = Pattern.compile(
            "^\\{\\s*(?:\"revision\"\\s*:\\s*(-?\\d+)\\s*)?}$", Pattern.CASE_INSENSITIVE);

    private final PeerHttpMember member;

    public PeerHttpRoutes(PeerHttpMember member) {
        this.member = member;
    }

    CompletableFuture<PeerHttpAnswer> answer(PeerHttpRequest r) {
        if (!r.method().equals("CONNECT")) {
            String clean = cleanPath(r.path());
            if (!clean.equals(r.path())) {
                return done(PeerHttpAnswer.movedPermanently(r.method(), withQuery(clean, r.query())));
            }
        }
        String path = r.path();
        if (path.equals("/members/promote") || path.equals("/raft/stream")) {
            return done(PeerHttpAnswer.movedPermanently(r.method(), withQuery(path + "/", r.query())));
        }
        Membership m = member.membership();
        if (m == null && !path.equals("/version") && !path.equals("/raft/probing")) {
            return done(PeerHttpAnswer.error(503, "member not started"));
        }
        return switch (path) {
            case "/members" -> done(members(r, m));
            case "/version" -> done(r.method().equals("GET")
                    ? PeerHttpAnswer.json(member.versionJson(), List.of()) : PeerHttpAnswer.methodNotAllowed("GET"));
            case "/raft/probing" -> done(probing());
            case "/raft", "/raft/snapshot" -> done(PeerRaftHttp.pipelineOrSnapshot(r, m));
            case "/leases" -> done(PeerLeaseHttp.renew(r, member.lessor()));
            case "/leases/internal" -> done(PeerLeaseHttp.timeToLive(r, member.lessor()));
            case "/members/hashkv" -> hashKv(r, m);
            default -> {
                if (path.startsWith("/raft/stream/")) {
                    yield done(PeerRaftHttp.stream(r, member, m));
                }
                if (path.startsWith("/members/promote/")) {
                    yield promote(r, m);
                }
                yield done(PeerHttpAnswer.notFound());
            }
        };
    }

    private static PeerHttpAnswer members(PeerHttpRequest r, Membership m) {
        if (!r.method().equals("GET")) {
            return PeerHttpAnswer.methodNotAllowed("GET");
        }
        return PeerHttpAnswer.json(membersJson(m.members()) + "\n", clusterIdHeader(m));
    }

    /** etcd's membership.Member array: name, clientURLs and isLearner left out when empty. */
    static String membersJson(List<Member> members) {
        StringBuilder b = new StringBuilder("[");
        List<Member> sorted = members.stream().sorted(Comparator.comparing(Member::id, Long::compareUnsigned)).toList();
        for (Member mb : sorted) {
            if (b.length() > 1) {
                b.append(',');
            }
            b.append("{\"id\":").append(Long.toUnsignedString(mb.id())).append(",\"peerURLs\":")
                    .append(stringArray(mb.peerUrls()));
            if (mb.learner()) {
                b.append(",\"isLearner\":true");
            }
            if (!mb.name().isEmpty()) {
                b.append(",\"name\":").append(GoJson.quote(mb.name()));
            }
            if (!mb.clientUrls().isEmpty()) {
                b.append(",\"clientURLs\":").append(stringArray(mb.clientUrls()));
            }
            b.append('}');
        }
        return b.append(']').toString();
    }

    private static String stringArray(List<String> values) {
        return values.stream().map(GoJson::quote).collect(Collectors.joining(",", "[", "]"));
    }

    private static PeerHttpAnswer probing() {
        String body = new GoJson().beginObject().name("OK").value(true).name("Now").time(Instant.now())
                .endObject() + "\n";
        return PeerHttpAnswer.ok("text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8), List.of());
    }

    private CompletableFuture<PeerHttpAnswer> promote(PeerHttpRequest r, Membership m) {
        if (!r.method().equals("POST")) {
            return done(PeerHttpAnswer.methodNotAllowed("POST"));
        }
        List<Map.Entry<String, String>> set = clusterIdHeader(m);
        String idText = r.path().substring("/members/promote/".length());
        long id;
        try {
            id = parseUnsignedDecimal(idText);
        } catch (NumberFormatException e) {
            return done(PeerHttpAnswer.error(404, "member " + idText + " not found in cluster", set));
        }
        return member.promote(id).handle((members, failure) -> {
            if (failure == null) {
                return PeerHttpAnswer.json(membersJson(members) + "\n", set);
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause instanceof EtcdException e) {
                if (e.is(EtcdError.MEMBER_NOT_FOUND)) {
                    return PeerHttpAnswer.error(404, "membership: ID not found", set);
                }
                if (e.is(EtcdError.MEMBER_NOT_LEARNER)) {
                    return PeerHttpAnswer.error(412, "membership: can only promote a learner member", set);
                }
                if (e.is(EtcdError.LEARNER_NOT_READY)) {
                    return PeerHttpAnswer.error(412, e.getMessage(), set);
                }
            }
            // etcd's WriteError for any other error: a JSON HTTPError
            return new PeerHttpAnswer(500, concat(set, Map.entry("Content-Type", "application/json")),
                    "{\"message\":\"Internal Server Error\"}".getBytes(StandardCharsets.UTF_8), false);
        });
    }

    private CompletableFuture<PeerHttpAnswer> hashKv(PeerHttpRequest r, Membership m) {
        if (!r.method().equals("GET")) {
            return done(PeerHttpAnswer.methodNotAllowed("GET"));
        }
        Matcher revision = REVISION.matcher(new String(r.body(), StandardCharsets.UTF_8).strip());
        long rev;
        try {
            if (!revision.matches()) {
                throw new NumberFormatException();
            }
            rev = revision.group(1) == null ? 0 : Long.parseLong(revision.group(1));
        } catch (NumberFormatException e) {
            return done(PeerHttpAnswer.error(400, "error unmarshalling request"));
        }
        return member.hashKv(rev).handle((h, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                String text = String.valueOf(cause.getMessage());
                return PeerHttpAnswer.error(400, text.startsWith("etcdserver: ") ? text.substring(12) : text);
            }
            // Go's json of pb.HashKVResponse: omitempty everywhere, the header with its revision only
            GoJson j = new GoJson().beginObject();
            j.name("header").beginObject();
            if (h.getHeader().getRevision() != 0) {
                j.field("revision", h.getHeader().getRevision());
            }
            j.endObject();
            if (h.getHash() != 0) {
                j.field("hash", Integer.toUnsignedLong(h.getHash()));
            }
            if (h.getCompactRevision() != 0) {
                j.field("compact_revision", h.getCompactRevision());
            }
            return PeerHttpAnswer.json(j.endObject().toString(), clusterIdHeader(m));
        });
    }

    private static List<Map.Entry<String, String>> clusterIdHeader(Membership m) {
        return List.of(Map.entry(PeerHttpAnswer.CLUSTER_ID, PeerRaftHttp.hex(m.clusterId())));
    }

    private static List<Map.Entry<String, String>> concat(List<Map.Entry<String, String>> a, Map.Entry<String, String> b) {
        List<Map.Entry<String, String>> all = new ArrayList<>(a);
        all.add(b);
        return all;
    }

    /** Go's strconv.ParseUint(s, 10, 64). */
    private static long parseUnsignedDecimal(String s) {
        if (s.isEmpty() || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new NumberFormatException(s);
        }
        return Long.parseUnsignedLong(s);
    }

    private static CompletableFuture<PeerHttpAnswer> done(PeerHttpAnswer a) {
        return CompletableFuture.completedFuture(a);
    }

    private static String withQuery(String path, String query) {
        return query.isEmpty() ? path : path + "?" + query;
    }

    /** Go's ServeMux cleanPath: path.Clean, rooted, keeping a trailing slash. */
    static String cleanPath(String p) {
        if (p.isEmpty()) {
            return "/";
        }
        if (p.charAt(0) != '/') {
            p = "/" + p;
        }
        Deque<String> parts = new ArrayDeque<>();
        for (String part : p.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(part);
            }
        }
        String clean = "/" + String.join("/", parts);
        if (p.endsWith("/") && !clean.equals("/")) {
            clean += "/";
        }
        return clean;
    }
}
