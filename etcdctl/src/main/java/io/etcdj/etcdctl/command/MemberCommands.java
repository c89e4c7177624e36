package io.etcdj.etcdctl.command;

import io.etcdj.api.etcdserverpb.Member;
import io.etcdj.api.etcdserverpb.MemberAddRequest;
import io.etcdj.api.etcdserverpb.MemberAddResponse;
import io.etcdj.api.etcdserverpb.MemberListRequest;
import io.etcdj.api.etcdserverpb.MemberListResponse;
import io.etcdj.api.etcdserverpb.MemberPromoteRequest;
import io.etcdj.api.etcdserverpb.MemberPromoteResponse;
import io.etcdj.api.etcdserverpb.MemberRemoveRequest;
import io.etcdj.api.etcdserverpb.MemberRemoveResponse;
import io.etcdj.api.etcdserverpb.MemberUpdateRequest;
import io.etcdj.api.etcdserverpb.MemberUpdateResponse;
import io.etcdj.etcdctl.cli.Command;
import io.etcdj.etcdctl.cli.ExitCodes;
import io.etcdj.etcdctl.cli.Invocation;
import io.etcdj.etcdctl.client.EtcdClient;
import io.etcdj.etcdctl.client.EtcdError;
import io.etcdj.etcdctl.print.GoQuote;
import io.etcdj.etcdctl.print.SimplePrinter;
import io.etcdj.server.config.EtcdUrls;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** member add | remove | update | list | promote. */
final class MemberCommands {
    private MemberCommands() {}

    static Command build() {
        Command m = new Command("member <subcommand>", "Membership related commands", null);
        Command add = new Command("add <memberName> [options]", "Adds a member into the cluster", MemberCommands::add);
        add.flags().string("peer-urls", "", "", "comma separated peer URLs for the new member.");
        add.flags().bool("learner", "", false, "indicates if the new member is raft learner");
        Command update = new Command("update <memberID> [options]", "Updates a member in the cluster",
                MemberCommands::update);
        update.flags().string("peer-urls", "", "", "comma separated peer URLs for the updated member.");
        m.add(add, new Command("remove <memberID>", "Removes a member from the cluster", MemberCommands::remove), update,
                new Command("list", "Lists all members in the cluster",
                        "When --write-out is set to simple, this command prints out comma-separated member lists for each endpoint.\n"
                                + "The items in the lists are ID, Status, Name, Peer Addrs, Client Addrs, Is Learner.\n",
                        MemberCommands::list),
                new Command("promote <memberID>", "Promotes a non-voting member in the cluster",
                        "Promotes a non-voting learner member to a voting one in the cluster.\n", MemberCommands::promote));
        return m;
    }

    private static void add(Invocation inv) {
        List<String> args = inv.args();
        if (args.isEmpty()) {
            throw inv.fail(ExitCodes.BAD_ARGS, "member name not provided");
        }
        if (args.size() > 1) {
            StringBuilder ev = new StringBuilder("too many arguments");
            for (String s : args) {
                if (s.toLowerCase(Locale.ROOT).startsWith("http")) {
                    ev.append(", did you mean --peer-urls=").append(s);
                }
            }
            throw inv.fail(ExitCodes.BAD_ARGS, ev.toString());
        }
        String name = args.get(0);
        String peerUrls = inv.string("peer-urls");
        if (peerUrls.isEmpty()) {
            throw inv.fail(ExitCodes.BAD_ARGS, "member peer urls not provided");
        }
        List<String> urls = checkedPeerUrls(inv, peerUrls);
        Session s = new Session(inv);
        MemberAddResponse resp;
        try (EtcdClient c = s.client()) {
            resp = c.unary(x -> x.cluster().memberAdd(MemberAddRequest.newBuilder().addAllPeerURLs(urls)
                    .setIsLearner(inv.bool("learner")).build()));
        } catch (EtcdError e) {
            throw s.fail(ExitCodes.ERROR, e.getMessage());
        }
        s.print(() -> s.printer().memberAdd(resp));
        if (s.printer() instanceof SimplePrinter) {
            long newId = resp.getMember().getID();
            List<String> conf = new ArrayList<>();
            for (Member mb : resp.getMembersList()) {
                for (String u : mb.getPeerURLsList()) {
                    conf.add((mb.getID() == newId ? name : mb.getName()) + "=" + u);
                }
            }
            s.out().print("\n");
            s.out().println("ETCD_NAME=" + GoQuote.quote(name));
            s.out().println("ETCD_INITIAL_CLUSTER=" + GoQuote.quote(String.join(",", conf)));
            s.out().println("ETCD_INITIAL_ADVERTISE_PEER_URLS=" + GoQuote.quote(peerUrls));
            s.out().println("ETCD_INITIAL_CLUSTER_STATE=\"existing\"");
        }
    }

    /**
     * The --peer-urls list as sent (split on commas, elements untrimmed), after etcdctl's own check
     * of every element by etcd's URL rules: a bad URL fails before any request, with exit code 1.
     */
    private static List<String> checkedPeerUrls(Invocation inv, String peerUrls) {
        List<String> urls = Arrays.asList(peerUrls.split(",", -1));
        try {
            urls.forEach(EtcdUrls::parseOne);
        } catch (IllegalArgumentException e) {
            throw inv.fail(ExitCodes.ERROR, e.getMessage());
        }
        return urls;
    }

    private static long idArg(Invocation inv) {
        if (inv.args().size() != 1) {
            throw inv.fail(ExitCodes.BAD_ARGS, "member ID is not provided");
        }
        return Ids.member(inv, inv.args().get(0));
    }

    private static void remove(Invocation inv) {
        long id = idArg(inv);
        Session s = new Session(inv);
        MemberRemoveResponse resp;
        try (EtcdClient c = s.client()) {
            resp = c.unary(x -> x.cluster().memberRemove(MemberRemoveRequest.newBuilder().setID(id).build()));
        } catch (EtcdError e) {
            throw s.fail(ExitCodes.ERROR, e.getMessage());
        }
        s.print(() -> s.printer().memberRemove(id, resp));
    }

    private static void update(Invocation inv) {
        long id = idArg(inv);
        String peerUrls = inv.string("peer-urls");
        if (peerUrls.isEmpty()) {
            throw inv.fail(ExitCodes.BAD_ARGS, "member peer urls not provided");
        }
        List<String> urls = checkedPeerUrls(inv, peerUrls);
        Session s = new Session(inv);
        MemberUpdateResponse resp;
        try (EtcdClient c = s.client()) {
            resp = c.unary(x -> x.cluster().memberUpdate(MemberUpdateRequest.newBuilder().setID(id)
                    .addAllPeerURLs(urls).build()));
        } catch (EtcdError e) {
            throw s.fail(ExitCodes.ERROR, e.getMessage());
        }
        s.print(() -> s.printer().memberUpdate(id, resp));
    }

    static MemberListResponse memberList(Session s, EtcdClient c) throws EtcdError {
        return c.unary(x -> x.cluster().memberList(MemberListRequest.getDefaultInstance()));
    }

    private static void list(Invocation inv) {
        Session s = new Session(inv);
        MemberListResponse resp;
        try (EtcdClient c = s.client()) {
            resp = memberList(s, c);
        } catch (EtcdError e) {
            throw s.fail(ExitCodes.ERROR, e.getMessage());
        }
        s.print(() -> s.printer().memberList(resp));
    }

    private static void promote(Invocation inv) {
        long id = idArg(inv);
        Session s = new Session(inv);
        MemberPromoteResponse resp;
        try (EtcdClient c = s.client()) {
            resp = c.unary(x -> x.cluster().memberPromote(MemberPromoteRequest.newBuilder().setID(id).build()));
        } catch (EtcdError e) {
            throw s.fail(ExitCodes.ERROR, e.getMessage());
        }
        s.print(() -> s.printer().memberPromote(id, resp));
    }
}
