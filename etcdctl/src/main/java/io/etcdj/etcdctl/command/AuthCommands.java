package io.etcdj.etcdctl.command;

import com.google.protobuf.ByteString;
import io.etcdj.api.authpb.Permission;
import io.etcdj.api.authpb.UserAddOptions;
import io.etcdj.api.etcdserverpb.AuthDisableRequest;
import io.etcdj.api.etcdserverpb.AuthEnableRequest;
import io.etcdj.api.etcdserverpb.AuthRoleAddRequest;
import io.etcdj.api.etcdserverpb.AuthRoleDeleteRequest;
import io.etcdj.api.etcdserverpb.AuthRoleGetRequest;
import io.etcdj.api.etcdserverpb.AuthRoleGetResponse;
import io.etcdj.api.etcdserverpb.AuthRoleGrantPermissionRequest;
import io.etcdj.api.etcdserverpb.AuthRoleListRequest;
import io.etcdj.api.etcdserverpb.AuthRoleRevokePermissionRequest;
import io.etcdj.api.etcdserverpb.AuthUserAddRequest;
import io.etcdj.api.etcdserverpb.AuthUserChangePasswordRequest;
import io.etcdj.api.etcdserverpb.AuthUserDeleteRequest;
import io.etcdj.api.etcdserverpb.AuthUserGetRequest;
import io.etcdj.api.etcdserverpb.AuthUserGetResponse;
import io.etcdj.api.etcdserverpb.AuthUserGrantRoleRequest;
import io.etcdj.api.etcdserverpb.AuthUserListRequest;
import io.etcdj.api.etcdserverpb.AuthUserRevokeRoleRequest;
import io.etcdj.etcdctl.cli.Command;
import io.etcdj.etcdctl.cli.ExitCodes;
import io.etcdj.etcdctl.cli.Invocation;
import io.etcdj.etcdctl.client.EtcdClient;
import io.etcdj.etcdctl.client.EtcdError;
import io.etcdj.etcdctl.print.KeyRanges;
import io.etcdj.etcdctl.print.Printer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** auth enable|disable, user ..., role ... */
final class AuthCommands {
    private AuthCommands() {}

    /** Runs one auth call with the usual client, failing with exit 1 and the error text. */
    private static <T> T call(Session s, Function<EtcdClient, T> rpc) {
        try (EtcdClient c = s.client()) {
            return c.unary(rpc);
        } catch (EtcdError e) {
            throw s.fail(ExitCodes.ERROR, e.getMessage());
        }
    }

    private static void needArgs(Invocation inv, boolean ok, String message) {
        if (!ok) {
            throw inv.fail(ExitCodes.BAD_ARGS, message);
        }
    }

    static Command auth() {
        Command a = new Command("auth <enable or disable>", "Enable or disable authentication", null);
        a.add(new Command("enable", "Enables authentication", AuthCommands::enable),
                new Command("disable", "Disables authentication", inv -> {
                    needArgs(inv, inv.args().isEmpty(), "auth disable command does not accept any arguments");
                    Session s = new Session(inv);
                    call(s, c -> c.auth().authDisable(AuthDisableRequest.getDefaultInstance()));
                    s.out().println("Authentication Disabled");
                }));
        return a;
    }

    private static void enable(Invocation inv) {
        needArgs(inv, inv.args().isEmpty(), "auth enable command does not accept any arguments");
        Session s = new Session(inv);
        try (EtcdClient c = s.client()) {
            while (true) {
                try {
                    c.unary(x -> x.auth().authEnable(AuthEnableRequest.getDefaultInstance()));
                    break;
                } catch (EtcdError e) {
                    if (!e.getMessage().equals("etcdserver: root user does not have root role")) {
                        throw e;
                    }
                    c.unary(x -> x.auth().roleAdd(AuthRoleAddRequest.newBuilder().setName("root").build()));
                    c.unary(x -> x.auth().userGrantRole(AuthUserGrantRoleRequest.newBuilder().setUser("root")
                            .setRole("root").build()));
                }
            }
        } catch (EtcdError e) {
            throw s.fail(ExitCodes.ERROR, e.getMessage());
        }
        s.out().println("Authentication Enabled");
    }

    static Command user() {
        Command u = new Command("user <subcommand>", "User related commands", null);
        Command add = new Command("add <user name or user:password> [options]", "Adds a new user", AuthCommands::userAdd);
        add.flags().bool("interactive", "", true, "Read password from stdin instead of interactive terminal");
        add.flags().string("new-user-password", "", "", "Supply password from the command line flag");
        add.flags().bool("no-password", "", false, "Create a user without password (CN based auth only)");
        Command get = new Command("get <user name> [options]", "Gets detailed information of a user", AuthCommands::userGet);
        get.flags().bool("detail", "", false, "Show permissions of roles granted to the user");
        Command passwd = new Command("passwd <user name> [options]", "Changes password of user", AuthCommands::passwd);
        passwd.flags().bool("interactive", "", true, "If true, read password from stdin instead of interactive terminal");
        u.add(add, new Command("delete <user name>", "Deletes a user", inv -> {
            needArgs(inv, inv.args().size() == 1, "user delete command requires user name as its argument");
            Session s = new Session(inv);
            String name = inv.args().get(0);
            var r = call(s, c -> c.authNoTimeout().userDelete(AuthUserDeleteRequest.newBuilder().setName(name).build()));
            s.print(() -> s.printer().userDelete(name, r));
        }), get, new Command("list", "Lists all users", inv -> {
            needArgs(inv, inv.args().isEmpty(), "user list command requires no arguments");
            Session s = new Session(inv);
            var r = call(s, c -> c.authNoTimeout().userList(AuthUserListRequest.getDefaultInstance()));
            s.print(() -> s.printer().userList(r));
        }), passwd, new Command("grant-role <user name> <role name>", "Grants a role to a user", inv -> {
            needArgs(inv, inv.args().size() == 2, "user grant command requires user name and role name as its argument");
            Session s = new Session(inv);
            String user = inv.args().get(0);
            String role = inv.args().get(1);
            var r = call(s, c -> c.authNoTimeout().userGrantRole(AuthUserGrantRoleRequest.newBuilder().setUser(user)
                    .setRole(role).build()));
            s.print(() -> s.printer().userGrantRole(user, role, r));
        }), new Command("revoke-role <user name> <role name>", "Revokes a role from a user", inv -> {
            needArgs(inv, inv.args().size() == 2, "user revoke-role requires user name and role name as its argument");
            Session s = new Session(inv);
            String user = inv.args().get(0);
            String role = inv.args().get(1);
            var r = call(s, c -> c.authNoTimeout().userRevokeRole(AuthUserRevokeRoleRequest.newBuilder().setName(user)
                    .setRole(role).build()));
            s.print(() -> s.printer().userRevokeRole(user, role, r));
        }));
        return u;
    }

    private static String readPassword(Invocation inv, String name) {
        if (!inv.bool("interactive")) {
            String line = inv.console().readLine().strip();
            int sp = line.indexOf(' ');
            return sp < 0 ? line : line.substring(0, sp);
        }
        String p1 = PasswordPrompt.ask(inv.console(), "Password of " + name + ": ");
        if (p1.isEmpty()) {
            throw inv.fail(ExitCodes.BAD_ARGS, "empty password");
        }
        String p2 = PasswordPrompt.ask(inv.console(), "Type password of " + name + " again for confirmation: ");
        if (!p1.equals(p2)) {
            throw inv.fail(ExitCodes.BAD_ARGS, "given passwords are different");
        }
        return p1;
    }

    private static void userAdd(Invocation inv) {
        needArgs(inv, inv.args().size() == 1, "user add command requires user name as its argument");
        String arg = inv.args().get(0);
        String user;
        String password = "";
        boolean noPassword = inv.bool("no-password");
        if (!noPassword) {
            String fromFlag = inv.string("new-user-password");
            if (!fromFlag.isEmpty()) {
                user = arg;
                password = fromFlag;
            } else {
                int colon = arg.indexOf(':');
                if (colon < 0) {
                    user = arg;
                    password = readPassword(inv, arg);
                } else {
                    user = arg.substring(0, colon);
                    password = arg.substring(colon + 1);
                    if (user.isEmpty()) {
                        throw inv.fail(ExitCodes.BAD_ARGS, "empty user name is not allowed");
                    }
                }
            }
        } else {
            user = arg;
        }
        Session s = new Session(inv);
        String pw = password;
        var r = call(s, c -> c.authNoTimeout().userAdd(AuthUserAddRequest.newBuilder().setName(user).setPassword(pw)
                .setOptions(UserAddOptions.newBuilder().setNoPassword(noPassword)).build()));
        s.print(() -> s.printer().userAdd(user, r));
    }

    private static void userGet(Invocation inv) {
        needArgs(inv, inv.args().size() == 1, "user get command requires user name as its argument");
        String name = inv.args().get(0);
        Session s = new Session(inv);
        try (EtcdClient c = s.client()) {
            AuthUserGetResponse r = c.unary(x -> x.authNoTimeout().userGet(
                    AuthUserGetRequest.newBuilder().setName(name).build()));
            Printer p = s.printer();
            if (inv.bool("detail")) {
                s.out().printf("User: %s\n", name);
                for (String role : r.getRolesList()) {
                    s.out().print("\n");
                    AuthRoleGetResponse rr = c.unary(x -> x.authNoTimeout().roleGet(
                            AuthRoleGetRequest.newBuilder().setRole(role).build()));
                    s.print(() -> p.roleGet(role, rr));
                }
            } else {
                s.print(() -> p.userGet(name, r));
            }
        } catch (EtcdError e) {
            throw s.fail(ExitCodes.ERROR, e.getMessage());
        }
    }

    private static void passwd(Invocation inv) {
        needArgs(inv, inv.args().size() == 1, "user passwd command requires user name as its argument");
        String name = inv.args().get(0);
        String pw = readPassword(inv, name);
        Session s = new Session(inv);
        var r = call(s, c -> c.authNoTimeout().userChangePassword(AuthUserChangePasswordRequest.newBuilder().setName(name)
                .setPassword(pw).build()));
        s.print(() -> s.printer().userChangePassword(r));
    }

    static Command role() {
        Command r = new Command("role <subcommand>", "Role related commands", null);
        Command grant = new Command("grant-permission [options] <role name> <permission type> <key> [endkey]",
                "Grants a key to a role", AuthCommands::grantPermission);
        grant.flags().bool("prefix", "", false, "grant a prefix permission");
        grant.flags().bool("from-key", "", false,
                "grant a permission of keys that are greater than or equal to the given key using byte compare");
        Command revoke = new Command("revoke-permission <role name> <key> [endkey]", "Revokes a key from a role",
                AuthCommands::revokePermission);
        revoke.flags().bool("prefix", "", false, "revoke a prefix permission");
        revoke.flags().bool("from-key", "", false,
                "revoke a permission of keys that are greater than or equal to the given key using byte compare");
        r.add(new Command("add <role name>", "Adds a new role", inv -> {
            needArgs(inv, inv.args().size() == 1, "role add command requires role name as its argument");
            Session s = new Session(inv);
            String name = inv.args().get(0);
            var resp = call(s, c -> c.authNoTimeout().roleAdd(AuthRoleAddRequest.newBuilder().setName(name).build()));
            s.print(() -> s.printer().roleAdd(name, resp));
        }), new Command("delete <role name>", "Deletes a role", inv -> {
            needArgs(inv, inv.args().size() == 1, "role delete command requires role name as its argument");
            Session s = new Session(inv);
            String name = inv.args().get(0);
            var resp = call(s, c -> c.authNoTimeout().roleDelete(AuthRoleDeleteRequest.newBuilder().setRole(name).build()));
            s.print(() -> s.printer().roleDelete(name, resp));
        }), new Command("get <role name>", "Gets detailed information of a role", inv -> {
            needArgs(inv, inv.args().size() == 1, "role get command requires role name as its argument");
            Session s = new Session(inv);
            String name = inv.args().get(0);
            var resp = call(s, c -> c.authNoTimeout().roleGet(AuthRoleGetRequest.newBuilder().setRole(name).build()));
            s.print(() -> s.printer().roleGet(name, resp));
        }), new Command("list", "Lists all roles", inv -> {
            needArgs(inv, inv.args().isEmpty(), "role list command requires no arguments");
            Session s = new Session(inv);
            var resp = call(s, c -> c.authNoTimeout().roleList(AuthRoleListRequest.getDefaultInstance()));
            s.print(() -> s.printer().roleList(resp));
        }), grant, revoke);
        return r;
    }

    private static String[] permRange(Invocation inv, List<String> args) {
        String key = args.get(0);
        boolean prefix = inv.bool("prefix");
        boolean fromKey = inv.bool("from-key");
        String end = "";
        if (key.isEmpty()) {
            if (prefix && fromKey) {
                throw inv.fail(ExitCodes.BAD_ARGS, "--from-key and --prefix flags are mutually exclusive");
            }
            key = "\0";
            if (prefix || fromKey) {
                end = "\0";
            }
        } else if (args.size() == 1) {
            if (prefix) {
                if (fromKey) {
                    throw inv.fail(ExitCodes.BAD_ARGS, "--from-key and --prefix flags are mutually exclusive");
                }
                end = new String(KeyRanges.prefixEnd(key.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
            } else if (fromKey) {
                end = "\0";
            }
        } else {
            if (prefix) {
                throw inv.fail(ExitCodes.BAD_ARGS, "unexpected endkey argument with --prefix flag");
            }
            if (fromKey) {
                throw inv.fail(ExitCodes.BAD_ARGS, "unexpected endkey argument with --from-key flag");
            }
            end = args.get(1);
        }
        return new String[] {key, end};
    }

    private static void grantPermission(Invocation inv) {
        List<String> args = inv.args();
        needArgs(inv, args.size() >= 3,
                "role grant command requires role name, permission type, and key [endkey] as its argument");
        Permission.Type type;
        try {
            type = Permission.Type.valueOf(args.get(1).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw inv.fail(ExitCodes.BAD_ARGS, "invalid permission type: " + args.get(1));
        }
        String[] range = permRange(inv, args.subList(2, args.size()));
        Session s = new Session(inv);
        String role = args.get(0);
        var r = call(s, c -> c.authNoTimeout().roleGrantPermission(AuthRoleGrantPermissionRequest.newBuilder().setName(role)
                .setPerm(Permission.newBuilder().setPermType(type).setKey(bytes(range[0]))
                        .setRangeEnd(bytes(range[1]))).build()));
        s.print(() -> s.printer().roleGrantPermission(role, r));
    }

    private static void revokePermission(Invocation inv) {
        List<String> args = inv.args();
        needArgs(inv, args.size() >= 2,
                "role revoke-permission command requires role name and key [endkey] as its argument");
        String[] range = permRange(inv, args.subList(1, args.size()));
        Session s = new Session(inv);
        String role = args.get(0);
        var r = call(s, c -> c.authNoTimeout().roleRevokePermission(AuthRoleRevokePermissionRequest.newBuilder().setRole(role)
                .setKey(bytes(range[0])).setRangeEnd(bytes(range[1])).build()));
        s.print(() -> s.printer().roleRevokePermission(role, args.get(1), range[1], r));
    }

    private static ByteString bytes(String s) {
        return ByteString.copyFrom(s, StandardCharsets.UTF_8);
    }
}
