package io.etcdj.etcdctl.v2;

import io.etcdj.etcdctl.print.GoQuote;
import java.util.ArrayList;
import java.util.List;

/** member list|add|remove|update over /v2/members; every failure prints to stderr and exits 1. */
final class MemberCommands {
    private MemberCommands() {}

    private static MembersApi api(V2Context c) {
        return new MembersApi(c.transport(true), c.totalTimeout());
    }

    private static V2Exit exit1(V2Context c, String text) {
        c.err().print(text);
        return new V2Exit(V2Exit.BAD_ARGS);
    }

    static void list(V2Context c) {
        MembersApi api = api(c);
        List<MembersApi.Member> members;
        try {
            members = api.list();
        } catch (Exception e) {
            throw exit1(c, e.getMessage() + "\n");
        }
        MembersApi.Member leader;
        try {
            leader = api.leader();
        } catch (Exception e) {
            throw exit1(c, "Failed to get leader: " + e.getMessage() + "\n");
        }
        StringBuilder b = new StringBuilder();
        for (MembersApi.Member m : members) {
            if (m.name().isEmpty()) {
                b.append(m.id()).append("[unstarted]: peerURLs=").append(String.join(",", m.peerURLs())).append('\n');
            } else {
                b.append(m.id()).append(": name=").append(m.name())
                        .append(" peerURLs=").append(String.join(",", m.peerURLs()))
                        .append(" clientURLs=").append(String.join(",", m.clientURLs()))
                        .append(" isLeader=").append(m.id().equals(leader.id())).append('\n');
            }
        }
        c.out().print(b);
    }

    static void add(V2Context c) {
        if (c.args().size() != 2) {
            throw exit1(c, "Provide a name and a single member peerURL\n");
        }
        String name = c.args().get(0);
        MembersApi api = api(c);
        MembersApi.Member added;
        List<MembersApi.Member> members;
        try {
            added = api.add(c.args().get(1));
        } catch (Exception e) {
            throw exit1(c, e.getMessage() + "\n");
        }
        try {
            members = api.list();
        } catch (Exception e) {
            throw exit1(c, e.getMessage() + "\n");
        }
        List<String> conf = new ArrayList<>();
        for (MembersApi.Member m : members) {
            for (String u : m.peerURLs()) {
                conf.add((m.id().equals(added.id()) ? name : m.name()) + "=" + u);
            }
        }
        c.out().print("Added member named " + name + " with ID " + added.id() + " to cluster\n\n"
                + "ETCD_NAME=" + GoQuote.quote(name) + "\n"
                + "ETCD_INITIAL_CLUSTER=" + GoQuote.quote(String.join(",", conf)) + "\n"
                + "ETCD_INITIAL_CLUSTER_STATE=\"existing\"\n");
    }

    static void remove(V2Context c) {
        if (c.args().size() != 1) {
            throw exit1(c, "Provide a single member ID\n");
        }
        String id = c.args().get(0);
        MembersApi api = api(c);
        List<MembersApi.Member> members;
        try {
            members = api.list();
        } catch (Exception e) {
            throw exit1(c, "Error while verifying ID against known members: " + e.getMessage() + "\n");
        }
        boolean found = false;
        for (MembersApi.Member m : members) {
            found |= m.id().equals(id);
            if (m.name().equals(id)) {
                c.err().print("Found a member named " + m.name() + "; if this is correct, please use its ID, eg:\n"
                        + "\tetcdctl member remove " + m.id() + "\n"
                        + "For more details, read the documentation at https://github.com/etcd-io/etcd/blob/master/"
                        + "Documentation/runtime-configuration.md#remove-a-member\n\n");
            }
        }
        if (!found) {
            throw exit1(c, "Couldn't find a member in the cluster with an ID of " + id + ".\n");
        }
        try {
            api.remove(id);
        } catch (Exception e) {
            throw exit1(c, "Received an error trying to remove member " + id + ": " + e.getMessage());
        }
        c.out().print("Removed member " + id + " from cluster\n");
    }

    static void update(V2Context c) {
        if (c.args().size() != 2) {
            throw exit1(c, "Provide an ID and a list of comma separated peerURL "
                    + "(0xabcd http://example.com,http://example1.com)\n");
        }
        String id = c.args().get(0);
        try {
            api(c).update(id, V2Context.split(c.args().get(1)));
        } catch (Exception e) {
            throw exit1(c, e.getMessage() + "\n");
        }
        c.out().print("Updated member with ID " + id + " in cluster\n");
    }
}
